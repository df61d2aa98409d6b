from django.db import migrations


def forwards(apps, schema_editor):
    from stportal.secondments.seed import load_seed

    load_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("secondments", "0001_initial"), ("curricula", "0002_seed")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
