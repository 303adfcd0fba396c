"""Helpers for the tests of the citizen's pages (no fixtures, so guard_ids can import it).

Until the login exists in every test, a citizen is logged in by writing the citizen
session exactly as `portal.session.citizen_login` + `choose_person` store it."""

from __future__ import annotations

import datetime
import time
from dataclasses import asdict, dataclass

from django.test import Client
from django.utils import timezone

from mestring.people.models import Person, Relative, Staff
from mestring.plans.models import Goal, IndividualPlan, Measure
from mestring.portal.session import SESSION_KEY, CitizenSession
from mestring.tenancy.context import activate
from tests import factories
from tests.plans import helpers as plan_helpers
from tests.teams import helpers as team_helpers

ACR = "idporten-loa-high"


def citizen_client(
    person: Person, *, national_id: str | None = None, name: str | None = None
) -> Client:
    """A browser where `national_id` (the person's own by default) is logged in and
    has chosen `person`'s pages."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = asdict(
        CitizenSession(
            national_id=national_id or person.national_id,
            name=name or person.full_name,
            acr=ACR,
            municipality_id=person.municipality_id,
            acting_for_id=person.pk,
            logged_in_at=time.time(),
        )
    )
    session.save()
    return client


def make_attorney(person: Person, name: str = "Fred Fullmektig") -> Relative:
    """A relative with power of attorney and their own identity number."""
    other = factories.PersonFactory.build(birth_date=datetime.date(1970, 5, 5))
    return Relative.all_objects.create(
        municipality=person.municipality,
        person=person,
        name=name,
        relation="barn",
        acting_basis="fullmakt",
        national_id=other.national_id,
        email="fred@example.org",
    )


@dataclass
class PlanWorld:
    plan: IndividualPlan
    goal: Goal
    measure: Measure
    coordinator: Staff


def make_plan_world(world) -> PlanWorld:
    """world.person with an active plan, one goal with a measure, and world.owner as
    coordinator (with an e-mail address)."""
    owner = world.owner
    owner.user.email = "eier@example.org"
    owner.user.save(update_fields=["email"])
    owner.phone = "40000001"
    owner.save(update_fields=["phone"])
    plan = plan_helpers.make_plan(world, what_matters="Å gå tur med hunden.")
    team_helpers.make_coordinator(world.person, owner)
    actor = plan_helpers.actor_for(owner)
    from mestring.plans import services as plan_services

    with activate(world.municipality):
        goal = plan_services.goal_add(actor=actor, plan=plan, text="Jeg vil handle selv")
        measure = plan_services.measure_add(
            actor=actor,
            plan=plan,
            data={"title": "Gåtrening", "goal": goal, "responsible_staff": owner},
        )
    return PlanWorld(plan=plan, goal=goal, measure=measure, coordinator=owner)


def future(days: int = 3) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
