"""Builders for the items that reminders are about, all of world.person."""

from __future__ import annotations

import datetime

from mestring.access.actor import system_actor
from mestring.access.models import Consent
from mestring.jobs import services
from mestring.jobs.models import Reminder
from mestring.plans.models import CoordinatorAssignment, IndividualPlan
from mestring.teams.models import FollowUpItem, GroupMember, Meeting, ResponsibilityGroup
from mestring.tenancy.context import activate
from tests import factories

D = datetime.date


def scan(world, now: datetime.datetime, kinds: set[str] | None = None) -> list[Reminder]:
    with activate(world.municipality):
        return services.reminders_scan(actor=system_actor(world.municipality), now=now, kinds=kinds)


def reminders(world) -> list[Reminder]:
    return list(Reminder.all_objects.filter(municipality=world.municipality).order_by("pk"))


def make_coordinator(world, staff=None) -> CoordinatorAssignment:
    return CoordinatorAssignment.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        coordinator=staff or world.owner,
        started_on=D(2026, 1, 5),
    )


def make_consent(world, **extra) -> Consent:
    data = {
        "kind": "individuell_plan",
        "scope": "Individuell plan",
        "given_by": "personen",
        "given_on": D(2026, 1, 5),
        **extra,
    }
    return Consent.all_objects.create(municipality=world.municipality, person=world.person, **data)


def make_plan(world, next_revision_on: datetime.date) -> IndividualPlan:
    unit = factories.UnitFactory(municipality=world.municipality)
    return IndividualPlan.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        consent=make_consent(world),
        responsible_unit=unit,
        start_date=D(2026, 1, 10),
        next_revision_on=next_revision_on,
        what_matters="Å gå tur med hunden i skogen",
    )


def make_group(world) -> ResponsibilityGroup:
    return ResponsibilityGroup.all_objects.create(
        municipality=world.municipality, person=world.person, started_on=D(2026, 1, 5)
    )


def member(group, **extra) -> GroupMember:
    data = {"kind": "intern", "role": "Fysioterapeut", "started_on": D(2026, 1, 5), **extra}
    return GroupMember.all_objects.create(municipality=group.municipality, group=group, **data)


def make_follow_up(world, due_on: datetime.date, responsible: GroupMember) -> FollowUpItem:
    start = datetime.datetime(2026, 2, 1, 10, tzinfo=datetime.UTC)
    meeting = Meeting.all_objects.create(
        municipality=world.municipality,
        group=responsible.group,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place="Rådhuset",
        status="avholdt",
    )
    return FollowUpItem.all_objects.create(
        municipality=world.municipality,
        meeting=meeting,
        what="Søke om rullestol til Gunnhild",
        responsible_member=responsible,
        due_on=due_on,
    )
