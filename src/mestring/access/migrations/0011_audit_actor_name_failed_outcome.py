"""The actor's name as it was on each audit row, and the outcome "failed".

Adding a NOT NULL column makes Django rebuild the table on SQLite, which drops the
trigger that refuses UPDATE (0004); it is created again here. On PostgreSQL the column
is added in place (no row is rewritten, so the append-only triggers stay and never fire).
"""

from django.db import migrations, models

SQLITE_NO_UPDATE = """
CREATE TRIGGER IF NOT EXISTS access_auditevent_no_update BEFORE UPDATE ON access_auditevent
BEGIN
    SELECT RAISE(ABORT, 'access_auditevent is append-only: UPDATE is not allowed');
END;
"""


def restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_UPDATE)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0010_registrar_relations_become_intake"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(blank=True, default="", max_length=300),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="outcome",
            field=models.CharField(
                choices=[("allowed", "Tillatt"), ("refused", "Avvist"), ("failed", "Mislyktes")],
                max_length=10,
            ),
        ),
        migrations.RunPython(restore_sqlite_trigger, migrations.RunPython.noop),
    ]
