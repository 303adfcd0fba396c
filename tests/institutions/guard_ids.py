"""Ids of a rehabilitation stay and a planned stay of world.person, for the guard
walker tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mestring.institutions.models import PlannedStay
from tests.catalogue.helpers import service, service_decision
from tests.institutions.helpers import admit, make_unit


def make_ids(world) -> dict[str, int]:
    unit = make_unit(world.municipality, name="Guard-enhet", beds=3)
    stay = admit(
        world.owner, world.person, unit, on=timezone.localdate() - datetime.timedelta(days=10)
    )
    decision = service_decision(
        world.person, service(world.municipality, "korttidsopphold"), world.caseworker
    )
    planned = PlannedStay.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        unit=unit,
        stay_type="korttid",
        expected_on=timezone.localdate() + datetime.timedelta(days=30),
        decision=decision,
    )
    return {"stay_id": stay.pk, "planned_id": planned.pk}
