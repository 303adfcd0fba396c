"""Demo data for rehabilitation: episodes and measures, stays and beds,
frisklivsresept and courses; the device store; population and the public
page; the citizen pages.

Each domain builds its own part; this picks, for each, persons the demo user who works
with it has a care relation to, so that every demo record can be opened in the demo.
Each part does nothing when its data already exists, so the demo stays idempotent.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mestring.access.models import CareRelation
from mestring.actionplan.demo import build_actionplan_demo
from mestring.courses.demo import build_courses_demo
from mestring.demo.actors import demo_actor
from mestring.demo.demo_stays import build_stays_demo
from mestring.devices.loans_demo import build_loans_demo
from mestring.devices.orders_demo import build_orders_demo
from mestring.devices.store_demo import build_store_demo
from mestring.friskliv.demo import build_friskliv_demo
from mestring.institutions.demo import build_institutions_demo
from mestring.outcomes.demo import add_episode_sppb, build_outcomes_demo
from mestring.people.models import Person, Staff
from mestring.planning.demo import build_planning_demo
from mestring.portal.demo import build_portal_demo
from mestring.portal.demo_pages import build_portal_pages_demo
from mestring.public.demo import build_public_demo
from mestring.rehab.demo import build_rehab_demo


def _persons_of(staff: Staff) -> list[Person]:
    """The persons the staff member has a care relation to, their own or their unit's:
    relations the demo's domain actions (appointments, cases, assignments) gave."""
    person_ids = CareRelation.objects.active().for_staff(staff).values_list("person_id", flat=True)
    return list(Person.objects.filter(pk__in=person_ids).order_by("pk"))


def _aged(minimum: int, today: datetime.date) -> list[Person]:
    """Persons at least that old: those an institution stay or a prescription (which
    give their own care relation) may be for."""
    persons = Person.objects.filter(person_ref__startswith="DEMO-").order_by("pk")
    return [p for p in persons if p.age_on(today) >= minimum]


def build_rehabilitation_demo(seed: int, staff_by_username: dict[str, Staff]) -> None:
    today = timezone.localdate()
    physio = staff_by_username["demo.fysioterapeut"]
    nurse = staff_by_username["demo.sykepleier"]
    physio_persons = _persons_of(physio)

    def rng(part: str) -> random.Random:
        return random.Random(f"{seed}-{part}")  # noqa: S311 - demo data, not security

    # Measures first: the outcomes demo does nothing once any measure exists, and the
    # episodes demo adds SPPB measures to its episodes.
    build_outcomes_demo(rng("outcomes"), physio_persons, physio, today)
    build_rehab_demo(rng("rehab"), physio_persons, physio, today, measure=add_episode_sppb)
    # A stay gives the institution unit its relation, a running prescription its
    # contact: these draw from the population, not from existing relations.
    build_institutions_demo(rng("institutions"), _aged(60, today), nurse, today)
    # Once the unit has its beds, the office assigns a few stays starting in the coming
    # two weeks: each becomes a planned arrival on the bed board.
    caseworker = staff_by_username["demo.saksbehandler"]
    build_stays_demo(rng("stays"), _aged(60, today), caseworker, nurse, today)
    build_friskliv_demo(rng("friskliv"), _aged(18, today), physio, today)
    build_courses_demo(rng("courses"), physio_persons, physio, today)
    # Devices: the store's items first, then loans of them to the persons the
    # occupational therapist (the demo coordinator) works with.
    therapist = staff_by_username["demo.koordinator"]
    build_store_demo(rng("store"), today)
    build_loans_demo(rng("loans"), _persons_of(therapist), therapist, today)
    # Orders by type: the physiotherapist orders for persons she works with; the
    # store fills them from free items or keeps them waiting for the type.
    build_orders_demo(
        rng("orders"),
        _persons_of(physio),
        demo_actor(physio),
        demo_actor(staff_by_username["demo.hjelpemiddeltekniker"]),
        today,
    )
    # Planning: population, and the public page with user organisations.
    build_planning_demo(rng("planning"), today)
    build_public_demo(rng("public"), today)
    build_actionplan_demo(rng("actionplan"), today, staff=staff_by_username["demo.planlegger"])
    # The citizen pages: relatives with a right to act, and what persons wrote.
    coordinator = staff_by_username["demo.koordinator"]
    build_portal_demo(rng("portal"), list(Person.objects.order_by("pk")), today)
    build_portal_pages_demo(rng("portal-pages"), _persons_of(coordinator), coordinator, today)
