"""The data migrations that give appeals, plans, user organisations and meetings made
before their history was kept a history that ends in their present status."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from mestring.casework.models import Appeal, AppealStatusChange
from mestring.plans.models import IndividualPlan, PlanStatusChange
from mestring.public.models import OrganisationStatusChange
from mestring.teams.models import MeetingStatusChange
from mestring.tenancy.context import activate
from tests.plans.helpers import make_decision, make_plan
from tests.public.helpers import make_org
from tests.teams.helpers import make_coordinator, make_group, make_meeting

MIGRATIONS = {
    "casework": "0010_appeal_history_rows",
    "plans": "0004_plan_history_rows",
    "public": "0003_organisation_history_rows",
    "teams": "0005_meeting_history_rows",
}


def backfill(app: str) -> None:
    """Run one data migration as `migrate` would, on the rows there are now."""
    name = MIGRATIONS[app]
    state = MigrationLoader(connection).project_state((app, name))
    module = importlib.import_module(f"mestring.{app}.migrations.{name}")
    module.forwards(state.apps, None)


def trail(model: type, **belongs: object) -> list[tuple[str, str]]:
    rows = model.all_objects.filter(**belongs).order_by("changed_at", "pk")
    return list(rows.values_list("from_status", "to_status"))


@pytest.mark.django_db
def test_appeals_get_their_history_from_their_dates(world):
    decision = make_decision(world.person, world.caseworker)
    common = {"municipality": world.municipality, "decision": decision, "grounds": "Uenig"}
    day = datetime.date(2026, 2, 1)
    received = Appeal.all_objects.create(received_on=day, registered_by=world.caseworker, **common)
    upheld = Appeal.all_objects.create(
        received_on=day,
        status="stadfestet",
        sent_on=day + datetime.timedelta(days=3),
        outcome_on=day + datetime.timedelta(days=40),
        registered_by=world.caseworker,
        **common,
    )
    backfill("casework")
    assert trail(AppealStatusChange, appeal=received) == [("", "mottatt")]
    assert trail(AppealStatusChange, appeal=upheld) == [
        ("", "mottatt"),
        ("mottatt", "oversendt"),
        ("oversendt", "stadfestet"),
    ]
    backfill("casework")  # run again: nothing more
    assert AppealStatusChange.all_objects.count() == 4


@pytest.mark.django_db
def test_plans_get_their_history_with_the_closing_note(world):
    plan = make_plan(world)
    IndividualPlan.all_objects.filter(pk=plan.pk).update(
        status="avsluttet", closed_on=timezone.localdate(), closing_note="Flyttet"
    )
    PlanStatusChange.all_objects.all().delete()
    backfill("plans")
    assert trail(PlanStatusChange, plan=plan) == [("", "aktiv"), ("aktiv", "avsluttet")]
    assert PlanStatusChange.all_objects.filter(plan=plan).last().reason == "Flyttet"


@pytest.mark.django_db
def test_organisations_and_meetings_get_their_history(world):
    approved = make_org(world.municipality)
    pending = make_org(world.municipality, name="Venter", status="venter")
    make_coordinator(world.person, world.owner)
    meeting = make_meeting(world, make_group(world))
    with activate(world.municipality):
        meeting.history.all().delete()
    type(meeting).all_objects.filter(pk=meeting.pk).update(status="avholdt")
    backfill("public")
    backfill("teams")
    assert trail(OrganisationStatusChange, organisation=approved) == [
        ("", "venter"),
        ("venter", "godkjent"),
    ]
    assert trail(OrganisationStatusChange, organisation=pending) == [("", "venter")]
    assert trail(MeetingStatusChange, meeting=meeting) == [
        ("", "planlagt"),
        ("planlagt", "avholdt"),
    ]
