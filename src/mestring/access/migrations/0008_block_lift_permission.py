"""Give the permission to lift blocks to the roles that already administer access.

New municipalities get it with the default roles (the coordinating unit's lead). A
municipality created earlier has its roles already, and a role's permissions are its own
data, so only roles holding «Gi tilgang til personer» (access.grant) get it here: they
administer access today, and until now anyone with a care relation could lift a block.
Going back takes the permission away from every role.
"""

from django.db import migrations

GRANT = "access.grant"
BLOCK_LIFT = "access.block_lift"


def add_block_lift(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    for role in Role._base_manager.all():
        if GRANT in role.permissions and BLOCK_LIFT not in role.permissions:
            role.permissions = sorted([*role.permissions, BLOCK_LIFT])
            role.save(update_fields=["permissions"])


def remove_block_lift(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    for role in Role._base_manager.all():
        if BLOCK_LIFT in role.permissions:
            role.permissions = [code for code in role.permissions if code != BLOCK_LIFT]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("access", "0007_block_lift")]

    operations = [migrations.RunPython(add_block_lift, remove_block_lift)]
