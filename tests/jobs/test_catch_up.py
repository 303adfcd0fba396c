"""Reminders missed while the worker was stopped through the whole notice period are
made when it runs again — once, marked late — and timely ones are not marked."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from mestring.jobs import worker
from mestring.jobs.models import NotificationPreference, ReminderKind
from mestring.jobs.selectors import CATCH_UP_DAYS
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
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
URL = "/profil/paminnelser/"


def drain(day: datetime.date, hour: int = 7) -> None:
    """One pass of the worker on `day`: schedule the day's scan, run what is due."""
    with time_machine.travel(at(day, hour), tick=False):
        worker.Worker().drain()


def _summary(world) -> list[tuple]:
    return sorted(
        (r.kind, r.staff_id, r.object_id, r.due_on, r.late, r.created_at.date())
        for r in reminders(world)
    )


def test_decision_ending_while_the_worker_was_stopped_is_caught_up_once(world):
    today = D(2026, 6, 15)
    with time_machine.travel(at(today), tick=False):
        make_assessment(world.caseworker, world.person, assessed_on=today)
        case = register(world.caseworker, world.person, ["stottekontakt"], received_on=today)
        decision = decide(world.caseworker, case, "stottekontakt", valid_to=D(2026, 9, 30))
    drain(D(2026, 8, 30))  # the day before the notice period: nothing yet
    assert reminders(world) == []
    # The worker is stopped from 31.08 (the first day of notice) until after 30.09.
    drain(D(2026, 10, 5))
    assert _summary(world) == [
        (
            ReminderKind.DECISION_ENDING,
            world.caseworker.pk,
            decision.pk,
            D(2026, 9, 30),
            True,
            D(2026, 10, 5),
        )
    ]
    drain(D(2026, 10, 5), 16)
    drain(D(2026, 10, 6))
    assert len(reminders(world)) == 1


def test_decision_ended_longer_ago_than_the_catch_up_period_is_left(world):
    today = D(2026, 6, 15)
    with time_machine.travel(at(today), tick=False):
        make_assessment(world.caseworker, world.person, assessed_on=today)
        case = register(world.caseworker, world.person, ["stottekontakt"], received_on=today)
        decide(world.caseworker, case, "stottekontakt", valid_to=D(2026, 9, 30))
    drain(D(2026, 9, 30) + (CATCH_UP_DAYS + 1) * DAY)
    assert reminders(world) == []
    drain(D(2026, 9, 30) + CATCH_UP_DAYS * DAY)
    assert len(reminders(world)) == 1 and reminders(world)[0].late


def test_consent_expired_while_stopped_is_caught_up_late_and_emailed_once(world):
    make_coordinator(world)
    world.owner.user.email = "koordinator@example.kommune.no"
    world.owner.user.save()
    NotificationPreference.all_objects.create(
        municipality=world.municipality, staff=world.owner, channel="epost"
    )
    consent = make_consent(world, expires_on=D(2026, 12, 31))
    make_consent(world, expires_on=D(2026, 12, 31), withdrawn_on=D(2026, 12, 20))
    drain(D(2026, 11, 30))
    assert reminders(world) == []
    drain(D(2027, 1, 6))
    assert _summary(world) == [
        (
            ReminderKind.CONSENT_EXPIRING,
            world.owner.pk,
            consent.pk,
            D(2026, 12, 31),
            True,
            D(2027, 1, 6),
        )
    ]
    assert [m.to for m in mail.outbox] == [["koordinator@example.kommune.no"]]
    assert "Du har en ny påminnelse i Mestring" in mail.outbox[0].body
    drain(D(2027, 1, 6), 12)
    drain(D(2027, 1, 7))
    assert len(reminders(world)) == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("back_on", "late"),
    [(D(2026, 9, 16), False), (D(2026, 9, 30), False), (D(2026, 10, 12), True)],
)
def test_plan_revision_is_late_only_when_made_after_its_date(world, back_on, late):
    make_coordinator(world)
    plan = make_plan(world, next_revision_on=D(2026, 9, 30))
    drain(D(2026, 9, 15))  # the day before the notice period
    assert reminders(world) == []
    drain(back_on)
    assert _summary(world) == [
        (ReminderKind.PLAN_REVISION, world.owner.pk, plan.pk, D(2026, 9, 30), late, back_on)
    ]
    drain(back_on + DAY)
    assert len(reminders(world)) == 1


def test_follow_up_case_and_loan_are_caught_up_and_marked_late(world):
    from tests.devices.loan_helpers import make_item
    from tests.factories import give_role

    group = make_group(world)
    responsible = member(group, staff=world.team_member)
    item = make_follow_up(world, D(2026, 3, 20), responsible)
    received = D(2026, 3, 2)
    with time_machine.travel(at(received), tick=False):
        case = register(world.caseworker, world.person, ["avlastning"], received_on=received)
    give_role(world.team_member, "hjelpemiddeltekniker")
    make_item(world.municipality, "HM-1")
    loan = order(world.owner, world.person, "HM-1", on=D(2026, 3, 2), expected=D(2026, 4, 1))
    deliver(world.team_member, loan, on=D(2026, 3, 3))
    drain(D(2026, 3, 3))
    assert reminders(world) == []
    # Stopped through every notice period; back on 20.04.
    drain(D(2026, 4, 20))
    deadline = received + 30 * DAY
    assert [row[:5] for row in _summary(world)] == sorted(
        [
            (ReminderKind.FOLLOW_UP, world.team_member.pk, item.pk, D(2026, 3, 20), True),
            (ReminderKind.CASE_PROVISIONAL_REPLY, world.caseworker.pk, case.pk, deadline, True),
            (ReminderKind.CASE_OVERDUE, world.caseworker.pk, case.pk, deadline, True),
            (ReminderKind.LOAN_OVERDUE, world.team_member.pk, loan.pk, D(2026, 4, 1), True),
        ]
    )
    drain(D(2026, 4, 21))
    assert len(reminders(world)) == 4


def test_overdue_kinds_on_their_first_day_are_not_late(world):
    from tests.devices.loan_helpers import make_item
    from tests.factories import give_role

    give_role(world.team_member, "hjelpemiddeltekniker")
    make_item(world.municipality, "HM-1")
    loan = order(world.owner, world.person, "HM-1", on=D(2026, 3, 2), expected=D(2026, 4, 1))
    deliver(world.team_member, loan, on=D(2026, 3, 3))
    drain(D(2026, 4, 2))
    (reminder,) = reminders(world)
    assert reminder.object_id == loan.pk and not reminder.late


def test_late_mark_is_shown_to_the_recipient_only(world, client_for):
    make_coordinator(world)
    make_plan(world, next_revision_on=D(2026, 9, 30))
    drain(D(2026, 10, 2))
    page = client_for(world.owner).get(URL).content.decode()
    assert "Revisjon av individuell plan" in page and "Forsinket" in page
    page = client_for(world.outsider).get(URL).content.decode()
    assert "Forsinket" not in page and "Du har ingen påminnelser." in page
