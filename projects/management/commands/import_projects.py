from projects import imports
from projects.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import Life QI projects from a CSV with the columns "
        + ",".join(imports.PROJECT_COLUMNS)
        + ". All rows or none; running it twice changes nothing the second time."
    )
    kind = imports.PROJECTS
