"""The first QI interests (issue 4); admins add more in the admin site."""

from django.db import migrations

INTERESTS = [
    ("Measurement", "Choosing and collecting measures to see if a change is an improvement."),
    ("Meeting chairing", "Chairing project meetings or QI forums."),
    ("Co-design", "Designing changes together with staff."),
    ("Data", "Looking at charts and numbers and saying what they show."),
    ("Training others", "Helping to teach QI, for example on Pocket QI."),
    ("Interview panels", "Sitting on panels that recruit staff."),
]


def seed(apps, schema_editor):
    Interest = apps.get_model("involvement", "Interest")
    for name, description in INTERESTS:
        Interest.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("involvement", "0004_people_register")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
