"""The staff member's own lists (reminders, API keys) download as CSV, like every list."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.jobs.models import Reminder
from tests.api.helpers import make_token
from tests.core.test_csv_export import parse_csv

pytestmark = pytest.mark.django_db


def _reminder(world, kind: str, due: datetime.date) -> Reminder:
    return Reminder.all_objects.create(
        municipality=world.municipality,
        kind=kind,
        staff=world.owner,
        recipient_key=f"staff:{world.owner.pk}",
        person=world.person,
        object_type="plan",
        object_id=due.toordinal(),
        due_on=due,
    )


def test_reminders_csv_has_the_page_rows_and_is_audited_as_the_page(world, client_for):
    due = [datetime.date(2026, 12, 1), datetime.date(2026, 12, 24)]
    for day in due:
        _reminder(world, "plan_revisjon", day)
    Reminder.all_objects.create(
        municipality=world.municipality,
        kind="plan_revisjon",
        staff=world.caseworker,
        recipient_key=f"staff:{world.caseworker.pk}",
        person=world.person,
        object_type="plan",
        object_id=1,
        due_on=datetime.date(2026, 12, 2),
    )
    client = client_for(world.owner)
    page = client.get(reverse("jobs:reminders"))
    assert "format=csv" in page.content.decode()
    before = AuditEvent.all_objects.count()
    response = client.get(reverse("jobs:reminders") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = parse_csv(response)
    assert rows[0] == ["Påminnelse", "Frist", "Laget", "Sett"]
    # Only the owner's own reminders, not the caseworker's.
    assert sorted(row[1] for row in rows[1:]) == [d.strftime("%d.%m.%Y") for d in due]
    assert AuditEvent.all_objects.count() == before + 1


def test_api_keys_csv_lists_only_own_keys(world, client_for):
    make_token(world.owner, ["persons:read"])
    make_token(world.caseworker, ["persons:read"])
    response = client_for(world.owner).get(reverse("api:token_list") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = parse_csv(response)
    assert len(rows) == 2  # header and the owner's one key
    assert "Test" in rows[1]
