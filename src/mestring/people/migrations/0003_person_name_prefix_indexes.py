"""Name search (`istartswith`, i.e. UPPER(name) LIKE 'X%') served by an index on
PostgreSQL. SQLite has no operator classes; its search stays a scan of the
municipality's rows, fine at the sizes SQLite is meant for."""

from django.db import migrations

INDEXES = {
    "person_given_name_prefix": "given_name",
    "person_family_name_prefix": "family_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_person "
            f"(municipality_id, UPPER({column}::text) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_relative_national_id")]

    operations = [migrations.RunPython(create, drop)]
