"""The table of the database cache (settings.CACHES), which every worker process shares."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    from django.conf import settings

    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    for cache in settings.CACHES.values():
        table = cache.get("LOCATION")
        if cache["BACKEND"].endswith("db.DatabaseCache") and table in existing:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
