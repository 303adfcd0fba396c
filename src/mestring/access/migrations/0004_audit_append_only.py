"""The audit table is append-only, so the application cannot rewrite who saw what.

PostgreSQL: triggers refuse UPDATE and DELETE on every row, whoever runs them (the
owner and superusers included, unless they first drop the trigger, which itself is
logged by PostgreSQL), and the privileges to UPDATE, DELETE and TRUNCATE are revoked
from PUBLIC and from the role that runs the migrations. An installation that gives
the application its own role grants it INSERT and SELECT only (docs/deploy.md).

SQLite (the try-out database): a trigger refuses UPDATE. DELETE stays possible there
because Django's test database flush uses it; the hash chain still reveals it.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION mestring_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE ON access_auditevent
    FOR EACH ROW EXECUTE FUNCTION mestring_audit_append_only();
CREATE TRIGGER access_auditevent_no_delete BEFORE DELETE ON access_auditevent
    FOR EACH ROW EXECUTE FUNCTION mestring_audit_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON access_auditevent FROM PUBLIC;
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS access_auditevent_no_update ON access_auditevent;
DROP TRIGGER IF EXISTS access_auditevent_no_delete ON access_auditevent;
DROP FUNCTION IF EXISTS mestring_audit_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS access_auditevent_no_update BEFORE UPDATE ON access_auditevent
BEGIN
    SELECT RAISE(ABORT, 'access_auditevent is append-only: UPDATE is not allowed');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS access_auditevent_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
        # The migrating role (often the table owner) loses the right too.
        schema_editor.execute(
            "REVOKE UPDATE, DELETE, TRUNCATE ON access_auditevent FROM CURRENT_USER"
        )
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("access", "0003_sperring_nodtilgang_samtykke")]

    operations = [migrations.RunPython(forward, backward)]
