"""Anchors of the audit chain: where the chain was last seen whole.

Append-only like the audit rows: PostgreSQL refuses UPDATE and DELETE on every row and
UPDATE, DELETE and TRUNCATE are revoked from PUBLIC and the migrating role; SQLite
refuses UPDATE (DELETE stays for Django's test flush, as for the audit rows).
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION mestring_audit_anchor_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access_auditanchor is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_auditanchor_no_update BEFORE UPDATE ON access_auditanchor
    FOR EACH ROW EXECUTE FUNCTION mestring_audit_anchor_append_only();
CREATE TRIGGER access_auditanchor_no_delete BEFORE DELETE ON access_auditanchor
    FOR EACH ROW EXECUTE FUNCTION mestring_audit_anchor_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON access_auditanchor FROM PUBLIC;
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS access_auditanchor_no_update ON access_auditanchor;
DROP TRIGGER IF EXISTS access_auditanchor_no_delete ON access_auditanchor;
DROP FUNCTION IF EXISTS mestring_audit_anchor_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS access_auditanchor_no_update BEFORE UPDATE ON access_auditanchor
BEGIN
    SELECT RAISE(ABORT, 'access_auditanchor is append-only: UPDATE is not allowed');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS access_auditanchor_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
        schema_editor.execute(
            "REVOKE UPDATE, DELETE, TRUNCATE ON access_auditanchor FROM CURRENT_USER"
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
    dependencies = [
        ("access", "0011_audit_actor_name_failed_outcome"),
        ("tenancy", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditAnchor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField()),
                ("row_hash", models.CharField(max_length=64)),
                ("recorded_at", models.DateTimeField()),
                ("source", models.CharField(max_length=40)),
                (
                    "municipality",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tenancy.municipality",
                    ),
                ),
            ],
            options={
                "ordering": ["seq"],
                "indexes": [
                    models.Index(
                        fields=["municipality", "seq"], name="access_audi_municip_f8c9de_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
