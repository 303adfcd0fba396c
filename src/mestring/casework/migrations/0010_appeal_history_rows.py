"""An appeal's history, rebuilt from its dates for the appeals made before it was kept:
received, then sent on (if it was), then its outcome (if it has one)."""

import datetime

from django.db import migrations
from django.utils import timezone

SENT = "oversendt"
RECEIVED = "mottatt"


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _rows(change_model, appeal) -> list:
    def row(from_status: str, to_status: str, day: datetime.date):
        return change_model(
            municipality_id=appeal.municipality_id,
            appeal_id=appeal.pk,
            from_status=from_status,
            to_status=to_status,
            changed_at=_at(day),
        )

    rows = [row("", RECEIVED, appeal.received_on)]
    previous = RECEIVED
    if appeal.sent_on is not None:
        rows.append(row(RECEIVED, SENT, appeal.sent_on))
        previous = SENT
    if appeal.status not in (RECEIVED, SENT):
        rows.append(row(previous, appeal.status, appeal.outcome_on or appeal.received_on))
    return rows


def forwards(apps, schema_editor):
    appeal_model = apps.get_model("casework", "Appeal")
    change_model = apps.get_model("casework", "AppealStatusChange")
    rows = []
    for appeal in appeal_model.objects.filter(history__isnull=True).iterator():
        rows.extend(_rows(change_model, appeal))
    change_model.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("casework", "0009_status_history_base_and_appeal_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
