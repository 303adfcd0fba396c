"""The demo measures are believable and built once."""

from __future__ import annotations

import datetime
import random

import pytest

from mestring.outcomes.demo import build_outcomes_demo
from mestring.outcomes.models import Observation
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_builds_series_once(world):
    persons = [world.person] + [
        factories.PersonFactory(municipality=world.municipality) for _ in range(19)
    ]
    today = datetime.date(2026, 6, 1)
    with activate(world.municipality):
        build_outcomes_demo(random.Random(1), persons, world.owner, today)
        count = Observation.objects.count()
        build_outcomes_demo(random.Random(1), persons, world.owner, today)
        assert Observation.objects.count() == count
        assert Observation.objects.values("person").distinct().count() == 15
        assert set(Observation.objects.values_list("instrument", flat=True)) == {
            "sppb",
            "copm",
            "psfs",
        }
        assert all(o.observed_on <= today for o in Observation.objects.all())
        assert all(0 <= o.total <= 12 for o in Observation.objects.filter(instrument="sppb"))
