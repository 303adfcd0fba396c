from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from tests import factories
from tests.catalogue.helpers import provider, service

# A fixed day, so that waiting days and medians are exact.
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))


@pytest.fixture
def today():
    with time_machine.travel(NOW, tick=False):
        yield NOW.date()


@pytest.fixture
def dagplass(world):
    """Day places (capacity in places) at one unit with room for one."""
    svc = service(world.municipality, "dagplass")
    unit = factories.UnitFactory(municipality=world.municipality, name="Dagsenteret")
    provider(svc, unit, "1")
    return svc, unit


@pytest.fixture
def praktisk(world):
    """Practical help (capacity in hours per week) at one unit with 10 hours."""
    svc = service(world.municipality, "praktisk-bistand")
    unit = factories.UnitFactory(municipality=world.municipality, name="Praktisk bistand sone 1")
    provider(svc, unit, "10")
    return svc, unit
