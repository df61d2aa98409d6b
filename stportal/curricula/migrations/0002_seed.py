from django.db import migrations


def forwards(apps, schema_editor):
    from stportal.curricula.seed import load_seed

    load_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("curricula", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
