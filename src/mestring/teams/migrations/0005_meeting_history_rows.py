"""A meeting's history, rebuilt for the meetings made before it was kept: planned when
it was scheduled, then held (at its start) or cancelled."""

from django.db import migrations

PLANNED = "planlagt"
HELD = "avholdt"


def forwards(apps, schema_editor):
    meeting_model = apps.get_model("teams", "Meeting")
    change_model = apps.get_model("teams", "MeetingStatusChange")
    rows = []
    for meeting in meeting_model.objects.filter(history__isnull=True).iterator():
        common = {"municipality_id": meeting.municipality_id, "meeting_id": meeting.pk}
        rows.append(
            change_model(from_status="", to_status=PLANNED, changed_at=meeting.created_at, **common)
        )
        if meeting.status != PLANNED:
            # When a meeting was cancelled was not kept; its scheduling is the last known time.
            when = max(meeting.starts_at, meeting.created_at) if meeting.status == HELD else None
            rows.append(
                change_model(
                    from_status=PLANNED,
                    to_status=meeting.status,
                    changed_at=when or meeting.created_at,
                    **common,
                )
            )
    change_model.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("teams", "0004_meeting_status_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
