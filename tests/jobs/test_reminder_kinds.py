"""Each kind of reminder is found on the first day of its notice period, not the day
before, for the right recipient; and a second scan creates nothing new."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from mestring.access.models import AuditEvent
from mestring.jobs.models import ReminderKind
from tests.casework.service_helpers import decide, make_assessment, register
from tests.devices.loan_helpers import deliver, order
from tests.jobs.conftest import at
from tests.jobs.helpers import (
    D,
    make_consent,
    make_coordinator,
    make_follow_up,
    make_group,
    make_plan,
    member,
    reminders,
    scan,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _summary(world) -> list[tuple]:
    return [(r.kind, r.staff_id, r.object_id, r.due_on) for r in reminders(world)]


def test_plan_revision_on_the_fourteenth_day_before_to_the_coordinator(world):
    make_coordinator(world)
    plan = make_plan(world, next_revision_on=D(2026, 9, 30))
    assert scan(world, at(D(2026, 9, 15))) == []
    created = scan(world, at(D(2026, 9, 16)))
    assert _summary(world) == [
        (ReminderKind.PLAN_REVISION, world.owner.pk, plan.pk, D(2026, 9, 30))
    ]
    assert created[0].person_id == world.person.pk
    # Again the same day, and the days after: nothing new.
    assert scan(world, at(D(2026, 9, 16), 15)) == []
    assert scan(world, at(D(2026, 10, 2))) == []
    assert len(reminders(world)) == 1


def test_plan_without_coordinator_or_closed_gives_no_reminder(world):
    plan = make_plan(world, next_revision_on=D(2026, 9, 30))
    assert scan(world, at(D(2026, 9, 20))) == []
    make_coordinator(world)
    plan.status = "avsluttet"
    plan.save()
    assert scan(world, at(D(2026, 9, 20))) == []


def test_follow_up_three_days_before_to_the_responsible_or_the_chair(world):
    group = make_group(world)
    responsible = member(group, staff=world.team_member)
    item = make_follow_up(world, D(2026, 5, 10), responsible)
    assert scan(world, at(D(2026, 5, 6))) == []
    scan(world, at(D(2026, 5, 7)))
    assert _summary(world) == [
        (ReminderKind.FOLLOW_UP, world.team_member.pk, item.pk, D(2026, 5, 10))
    ]
    # An item for an external member goes to the group's chair.
    member(group, staff=world.owner, is_chair=True, role="Koordinator")
    external = member(group, kind="ekstern", name="Fastlege Test", role="Fastlege")
    other = make_follow_up(world, D(2026, 5, 9), external)
    scan(world, at(D(2026, 5, 7)))
    assert (ReminderKind.FOLLOW_UP, world.owner.pk, other.pk, D(2026, 5, 9)) in _summary(world)
    # Done items are not reminded.
    done = make_follow_up(world, D(2026, 5, 9), responsible)
    done.done_on = D(2026, 5, 1)
    done.save()
    assert scan(world, at(D(2026, 5, 8))) == []


def test_case_provisional_reply_and_overdue_to_the_caseworker(world):
    received = D(2026, 3, 2)
    with time_machine.travel(at(received), tick=False):
        case = register(world.caseworker, world.person, ["avlastning"], received_on=received)
    deadline = received + 30 * DAY
    assert scan(world, at(received + 22 * DAY)) == []
    scan(world, at(received + 23 * DAY))
    assert _summary(world) == [
        (ReminderKind.CASE_PROVISIONAL_REPLY, world.caseworker.pk, case.pk, deadline)
    ]
    # On the 30th day it is not yet overdue; the 31st it is.
    assert scan(world, at(received + 30 * DAY)) == []
    scan(world, at(received + 31 * DAY))
    assert (ReminderKind.CASE_OVERDUE, world.caseworker.pk, case.pk, deadline) in _summary(world)
    assert len(reminders(world)) == 2


def test_decision_ending_thirty_days_before_to_the_caseworker(world):
    today = D(2026, 6, 15)
    with time_machine.travel(at(today), tick=False):
        make_assessment(world.caseworker, world.person, assessed_on=today)
        case = register(world.caseworker, world.person, ["stottekontakt"], received_on=today)
        decision = decide(world.caseworker, case, "stottekontakt", valid_to=D(2026, 9, 30))
    assert scan(world, at(D(2026, 8, 30))) == []
    scan(world, at(D(2026, 8, 31)))
    assert _summary(world) == [
        (ReminderKind.DECISION_ENDING, world.caseworker.pk, decision.pk, D(2026, 9, 30))
    ]


def test_consent_expiring_thirty_days_before_to_the_coordinator(world):
    make_coordinator(world)
    consent = make_consent(world, expires_on=D(2026, 12, 31))
    withdrawn = make_consent(world, expires_on=D(2026, 12, 31), withdrawn_on=D(2026, 11, 1))
    assert scan(world, at(D(2026, 11, 30))) == []
    scan(world, at(D(2026, 12, 1)))
    assert _summary(world) == [
        (ReminderKind.CONSENT_EXPIRING, world.owner.pk, consent.pk, D(2026, 12, 31))
    ]
    assert withdrawn.pk not in {r.object_id for r in reminders(world)}


def test_loan_overdue_the_day_after_expected_return_to_the_store_staff(world):
    from tests.devices.loan_helpers import make_item
    from tests.factories import give_role

    give_role(world.team_member, "hjelpemiddeltekniker")
    make_item(world.municipality, "HM-1")
    loan = order(world.owner, world.person, "HM-1", on=D(2026, 3, 2), expected=D(2026, 4, 1))
    deliver(world.team_member, loan, on=D(2026, 3, 3))
    assert scan(world, at(D(2026, 4, 1))) == []
    scan(world, at(D(2026, 4, 2)))
    assert _summary(world) == [
        (ReminderKind.LOAN_OVERDUE, world.team_member.pk, loan.pk, D(2026, 4, 1))
    ]


def test_scan_is_idempotent_and_audited_once_per_reminder(world):
    make_coordinator(world)
    make_plan(world, next_revision_on=D(2026, 9, 30))
    make_consent(world, expires_on=D(2026, 9, 30))
    first = scan(world, at(D(2026, 9, 20)))
    assert len(first) == 2
    events = AuditEvent.all_objects.filter(object_type="reminder", action="create")
    assert events.count() == 2
    assert set(events.values_list("person_id", flat=True)) == {world.person.pk}
    assert scan(world, at(D(2026, 9, 20), 18)) == []
    assert len(reminders(world)) == 2 and events.count() == 2


def test_another_municipality_is_not_scanned(world):
    from tests.conftest import make_staff
    from tests.factories import PersonFactory, make_municipality

    other = make_municipality("9002", "Nabokommune")
    other_staff = make_staff(other, "koordinator", "nabo")
    other_person = PersonFactory(municipality=other)
    from mestring.plans.models import CoordinatorAssignment

    CoordinatorAssignment.all_objects.create(
        municipality=other, person=other_person, coordinator=other_staff, started_on=D(2026, 1, 1)
    )
    from mestring.access.models import Consent

    Consent.all_objects.create(
        municipality=other,
        person=other_person,
        kind="annet",
        scope="x",
        given_by="personen",
        given_on=D(2026, 1, 1),
        expires_on=D(2026, 9, 30),
    )
    assert scan(world, at(D(2026, 9, 20))) == []
