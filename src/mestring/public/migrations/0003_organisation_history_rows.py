"""An organisation's history, rebuilt for the registrations made before it was kept:
pending when sent in, then approved or rejected when that happened."""

from django.db import migrations

PENDING = "venter"
REJECTED = "avvist"


def forwards(apps, schema_editor):
    organisation_model = apps.get_model("public", "UserOrganisation")
    change_model = apps.get_model("public", "OrganisationStatusChange")
    rows = []
    for organisation in organisation_model.objects.filter(history__isnull=True).iterator():
        common = {
            "municipality_id": organisation.municipality_id,
            "organisation_id": organisation.pk,
        }
        rows.append(
            change_model(
                from_status="", to_status=PENDING, changed_at=organisation.submitted_at, **common
            )
        )
        if organisation.status != PENDING:
            rejected = organisation.status == REJECTED
            when = organisation.rejected_at if rejected else organisation.approved_at
            rows.append(
                change_model(
                    from_status=PENDING,
                    to_status=organisation.status,
                    reason=organisation.rejection_reason[:500] if rejected else "",
                    changed_at=when or organisation.updated_at,
                    **common,
                )
            )
    change_model.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("public", "0002_organisation_status_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
