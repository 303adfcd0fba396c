"""The planning demo: 2015–2040 in five groups, registered to last year, projected
after, more old people each year, and idempotent."""

from __future__ import annotations

import datetime
import random

import pytest

from mestring.planning import selectors
from mestring.planning.demo import build_planning_demo
from mestring.planning.models import PopulationFigure
from mestring.tenancy.context import activate

pytestmark = pytest.mark.django_db


def test_demo_population_is_believable_and_idempotent(world):
    today = datetime.date(2026, 5, 1)
    with activate(world.municipality):
        build_planning_demo(random.Random(3), today)
        count = PopulationFigure.objects.count()
        build_planning_demo(random.Random(4), today)
        assert PopulationFigure.objects.count() == count == 5 * 26
        table = selectors.population_table()
    assert table["region"] == "9001"
    assert table["groups"] == ["0-19", "20-66", "67-79", "80-89", "90+"]
    assert table["years"] == list(range(2015, 2041))
    assert table["projected_from"] == 2026
    ratio = table["ratio_working_to_67plus"]
    assert ratio[2040] < ratio[2015]
    assert table["counts"]["80-89"][2040] > table["counts"]["80-89"][2015]
