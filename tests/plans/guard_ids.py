"""Ids of a plan and its parts for world.person, for the guard walker tests."""

from __future__ import annotations

import datetime

from mestring.access.actor import system_actor
from mestring.access.models import Consent
from mestring.people.models import Unit
from mestring.plans import services
from mestring.plans.models import IndividualPlan
from mestring.tenancy.context import activate
from tests import factories


def make_ids(world) -> dict[str, int]:
    actor = system_actor(world.municipality)
    coordinator = factories.StaffFactory(
        municipality=world.municipality, user__username="vaktkoordinator"
    )
    with activate(world.municipality):
        unit = Unit.objects.get(name="Hjemmetjenesten")
        services.coordinator_add(actor=actor, staff=coordinator)
        assignment = services.coordinator_appoint(
            actor=actor,
            person=world.person,
            coordinator=coordinator,
            started_on=datetime.date(2026, 1, 10),
        )
        plan = IndividualPlan.objects.filter(person=world.person, status="aktiv").first()
        if plan is None:
            consent = Consent.objects.create(
                person=world.person,
                kind="individuell_plan",
                scope="Individuell plan",
                given_by="personen",
                given_on=datetime.date(2026, 1, 2),
            )
            plan = services.plan_create(
                actor=actor,
                person=world.person,
                consent=consent,
                responsible_unit=unit,
                start_date=datetime.date(2026, 1, 15),
            )
        goal = services.goal_add(actor=actor, plan=plan, text="Gå til butikken selv")
        measure = services.measure_add(
            actor=actor, plan=plan, data={"title": "Gåtrening", "responsible_unit": unit}
        )
        participant = services.participant_add(
            actor=actor, plan=plan, data={"unit": unit, "role": "Hjemmetjeneste"}
        )
    return {
        "assignment_id": assignment.pk,
        "plan_id": plan.pk,
        "goal_id": goal.pk,
        "measure_id": measure.pk,
        "participant_id": participant.pk,
        "revision_number": plan.version,
    }
