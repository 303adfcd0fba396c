"""A plan's history, rebuilt for the plans made before it was kept: made active when it
was created, and closed on its closing day with its closing note."""

import datetime

from django.db import migrations
from django.utils import timezone

ACTIVE = "aktiv"


def _closed_at(plan) -> datetime.datetime:
    if plan.closed_on is None:
        return plan.updated_at
    return timezone.make_aware(datetime.datetime.combine(plan.closed_on, datetime.time(12)))


def forwards(apps, schema_editor):
    plan_model = apps.get_model("plans", "IndividualPlan")
    change_model = apps.get_model("plans", "PlanStatusChange")
    rows = []
    for plan in plan_model.objects.filter(history__isnull=True).iterator():
        common = {"municipality_id": plan.municipality_id, "plan_id": plan.pk}
        rows.append(
            change_model(from_status="", to_status=ACTIVE, changed_at=plan.created_at, **common)
        )
        if plan.status != ACTIVE:
            rows.append(
                change_model(
                    from_status=ACTIVE,
                    to_status=plan.status,
                    reason=plan.closing_note[:500],
                    changed_at=max(_closed_at(plan), plan.created_at),
                    **common,
                )
            )
    change_model.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_status_history_base_and_plan_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
