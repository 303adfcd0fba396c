"""Id of a rehabilitation stay of world.person, for the guard walker tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.institutions.helpers import admit, make_unit


def make_ids(world) -> dict[str, int]:
    unit = make_unit(world.municipality, name="Guard-enhet", beds=3)
    stay = admit(
        world.owner, world.person, unit, on=timezone.localdate() - datetime.timedelta(days=10)
    )
    return {"stay_id": stay.pk}
