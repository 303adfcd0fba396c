"""The demo builder makes episodes in every stage once, and only once."""

from __future__ import annotations

import datetime
import random

import pytest

from mestring.outcomes.demo import add_episode_sppb
from mestring.outcomes.models import Observation
from mestring.rehab.demo import STAGES, build_rehab_demo
from mestring.rehab.models import Episode, Visit
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_is_believable_and_idempotent(world):
    persons = [world.person] + [
        factories.PersonFactory(municipality=world.municipality) for _ in range(9)
    ]
    today = datetime.date(2026, 11, 1)
    with activate(world.municipality):
        build_rehab_demo(random.Random(1), persons, world.owner, today, add_episode_sppb)
        count = Episode.objects.count()
        build_rehab_demo(random.Random(1), persons, world.owner, today)
        assert Episode.objects.count() == count == len(STAGES)
        statuses = set(Episode.objects.values_list("status", flat=True))
        assert statuses == {"henvist", "ikke_aktuell", "venter", "pagar", "fullfort", "avbrutt"}
        assert Visit.objects.exists() and Observation.objects.filter(time_point="slutt").exists()
        assert not Episode.objects.filter(end_date__gt=today).exists()
