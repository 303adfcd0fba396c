"""Shared helpers for the teams tests (no fixtures here, so guard_ids could import it)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.people.models import Person, Relative, Staff
from mestring.plans.models import CoordinatorAssignment
from mestring.teams import services
from mestring.teams.models import GroupMember, Meeting, ResponsibilityGroup
from mestring.tenancy.context import activate
from tests import factories


def actor_for(staff: Staff) -> Actor:
    """The actor the middleware would build for this staff member."""
    roles = list(StaffRole.all_objects.filter(staff=staff).select_related("role"))
    return Actor(
        municipality=staff.municipality,
        user=staff.user,
        staff=staff,
        role_codes=tuple(a.role.code for a in roles),
        permissions=frozenset(p for a in roles for p in a.role.permissions),
    )


def make_coordinator(person: Person, staff: Staff) -> CoordinatorAssignment:
    return CoordinatorAssignment.all_objects.create(
        municipality=person.municipality,
        person=person,
        coordinator=staff,
        started_on=datetime.date(2026, 1, 2),
    )


def make_provider(world, username: str = "fysio") -> Staff:
    """A provider with no relation to the person until the group gives one."""
    staff = factories.StaffFactory(
        municipality=world.municipality,
        user__username=username,
        user__first_name="Frida",
        user__last_name="Fysio",
        user__email=f"{username}@example.org",
    )
    factories.give_role(staff, "tjenesteyter")
    return staff


def make_relative(person: Person, name: str = "Rita Datter") -> Relative:
    return Relative.all_objects.create(
        municipality=person.municipality, person=person, name=name, relation="barn"
    )


def make_group(
    world,
    started_on: datetime.date = datetime.date(2026, 1, 5),
    person: Person | None = None,
) -> ResponsibilityGroup:
    with activate(world.municipality):
        return services.group_create(
            actor=actor_for(world.owner), person=person or world.person, started_on=started_on
        )


def add_provider(world, group: ResponsibilityGroup, staff: Staff) -> GroupMember:
    with activate(world.municipality):
        return services.member_add(
            actor=actor_for(world.owner),
            group=group,
            kind="intern",
            staff=staff,
            role="Fysioterapeut",
            line="forste",
            started_on=group.started_on,
        )


def make_meeting(
    world, group: ResponsibilityGroup, starts_at: datetime.datetime | None = None
) -> Meeting:
    starts_at = starts_at or timezone.now() - datetime.timedelta(days=1)
    with activate(world.municipality):
        return services.meeting_schedule(
            actor=actor_for(world.owner),
            group=group,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1),
            place="Rådhuset, møterom 2",
            agenda="Status for målene i planen",
        )
