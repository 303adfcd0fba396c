"""Retention may remove the oldest audit rows, behind a checkpoint.

PostgreSQL: the trigger function of `access/0004` is replaced. UPDATE stays refused for
every role. DELETE is allowed for a row only when the transaction has set
`SET LOCAL mestring.audit_prune = 'on'` and the row's `seq` is at or below the latest
checkpoint of its municipality (`access_auditcheckpoint.last_seq`), which the retention
job writes in the same transaction just before it deletes. The checkpoint table itself
refuses UPDATE and DELETE, and UPDATE, DELETE and TRUNCATE on it are revoked from PUBLIC
and from the migrating role. Which role may DELETE audit rows and INSERT checkpoints is a
matter of grants (docs/deploy.md, section 2): only the retention role.

SQLite: a trigger refuses UPDATE of a checkpoint, as for the audit rows.

Going back restores the function of `access/0004` (DELETE refused always). Going back
past `access/0005` also drops the checkpoints: a chain pruned by then no longer verifies.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION mestring_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('mestring.audit_prune', true) = 'on'
       AND OLD.seq <= (
           SELECT max(c.last_seq) FROM access_auditcheckpoint c
           WHERE c.municipality_id = OLD.municipality_id
       ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'access_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION mestring_audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access_auditcheckpoint is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_auditcheckpoint_no_update BEFORE UPDATE ON access_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION mestring_audit_checkpoint_append_only();
CREATE TRIGGER access_auditcheckpoint_no_delete BEFORE DELETE ON access_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION mestring_audit_checkpoint_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON access_auditcheckpoint FROM PUBLIC;
"""
POSTGRES_BACKWARD = """
CREATE OR REPLACE FUNCTION mestring_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS access_auditcheckpoint_no_update ON access_auditcheckpoint;
DROP TRIGGER IF EXISTS access_auditcheckpoint_no_delete ON access_auditcheckpoint;
DROP FUNCTION IF EXISTS mestring_audit_checkpoint_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS access_auditcheckpoint_no_update
BEFORE UPDATE ON access_auditcheckpoint
BEGIN
    SELECT RAISE(ABORT, 'access_auditcheckpoint is append-only: UPDATE is not allowed');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS access_auditcheckpoint_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
        schema_editor.execute(
            "REVOKE UPDATE, DELETE, TRUNCATE ON access_auditcheckpoint FROM CURRENT_USER"
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
    dependencies = [("access", "0005_audit_checkpoint")]

    operations = [migrations.RunPython(forward, backward)]
