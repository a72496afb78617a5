from projects import imports
from projects.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import team memberships and little-i activities from a CSV with the columns "
        + ",".join(imports.INVOLVEMENT_COLUMNS)
        + ". All rows or none; running it twice changes nothing the second time."
    )
    kind = imports.INVOLVEMENT
