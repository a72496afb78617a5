from django.db import migrations


def create_state(apps, schema_editor):
    apps.get_model("involvement", "LevelsState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("involvement", "0002_people_involvement_levels")]

    operations = [migrations.RunPython(create_state, migrations.RunPython.noop)]
