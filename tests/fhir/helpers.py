"""A person with everything the FHIR export covers (no fixtures, so guard_ids can use it)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mestring.outcomes import services as outcome_services
from mestring.plans import services as plan_services
from mestring.plans.models import IndividualPlan
from mestring.teams import services as team_services
from mestring.tenancy.context import activate
from tests.outcomes.helpers import copm, sppb
from tests.plans.helpers import actor_for, home_unit, make_plan
from tests.teams.helpers import (
    add_provider,
    make_coordinator,
    make_group,
    make_meeting,
    make_provider,
)


def rich_person(world) -> IndividualPlan:
    """world.person gets: a plan with revisions, goals and measures, a responsibility
    group with the coordinator as chair and a provider, a held and a planned meeting,
    SPPB, COPM and PSFS measures, and the consent of the plan."""
    today = timezone.localdate()
    person = world.person
    person.phone, person.email = "40000001", "gunnhild@example.org"
    person.street_address, person.postal_code, person.postal_town = "Storgata 1", "0155", "Oslo"
    person.save()
    actor = actor_for(world.owner)
    make_coordinator(person, world.owner)
    plan = make_plan(world, what_matters="Å klare meg selv hjemme og gå tur med hunden.")
    with activate(world.municipality):
        first = plan_services.goal_add(
            actor=actor,
            plan=plan,
            text="Jeg vil gå til butikken selv",
            target_date=today + datetime.timedelta(days=60),
        )
        second = plan_services.goal_add(actor=actor, plan=plan, text="Lage middag to dager i uka")
        plan.refresh_from_db()
        plan_services.goal_update(
            actor=actor,
            goal=second,
            expected_version=plan.version,
            data={"achievement": "delvis"},
        )
        plan_services.measure_add(
            actor=actor,
            plan=plan,
            data={
                "title": "Gåtrening to ganger i uka",
                "goal": first,
                "scope": "2 x 45 minutter",
                "how": "Sammen med fysioterapeut, ute når været tillater det",
                "responsible_unit": home_unit(world),
                "responsible_staff": world.team_member,
                "responsible_other": "",
                "start_on": today - datetime.timedelta(days=10),
                "end_on": today + datetime.timedelta(days=50),
                "decision": None,
            },
        )
        plan_services.measure_add(
            actor=actor,
            plan=plan,
            data={
                "title": "Handleliste sammen med datteren",
                "goal": None,
                "scope": "",
                "how": "",
                "responsible_unit": None,
                "responsible_staff": None,
                "responsible_other": "Datteren",
                "start_on": None,
                "end_on": None,
                "decision": None,
            },
        )
        plan.refresh_from_db()
        plan_services.plan_update(
            actor=actor,
            plan=plan,
            expected_version=plan.version,
            data={"what_matters": "Å klare meg selv hjemme, gå tur med hunden og lage mat."},
        )
    group = make_group(world, started_on=today - datetime.timedelta(days=15))
    with activate(world.municipality):
        group.plan = plan
        group.save(update_fields=["plan"])
    add_provider(world, group, make_provider(world))
    held = make_meeting(world, group, timezone.now() - datetime.timedelta(days=3))
    with activate(world.municipality):
        attendance = {row.member_id: True for row in held.attendances.all()}
        team_services.meeting_record(
            actor=actor, meeting=held, attendance=attendance, minutes="Gikk gjennom målene."
        )
    make_meeting(world, group, timezone.now() + datetime.timedelta(days=14))
    sppb(world.owner, person, on=today - datetime.timedelta(days=5), balance=3, gait=2, chair=1)
    copm(world.owner, person, on=today - datetime.timedelta(days=5))
    with activate(world.municipality):
        outcome_services.psfs_record(
            actor=actor,
            person=person,
            observed_on=today - datetime.timedelta(days=4),
            time_point="start",
            activities=[("Gå i trapper", 4), ("Bære handleposer", 3), ("Stå opp fra stol", 6)],
        )
    plan.refresh_from_db()
    return plan
