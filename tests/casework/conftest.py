from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

# A fixed working day, so that day counts and deadlines are exact.
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW.date()


@pytest.fixture
def lead(world):
    from tests.casework.helpers import make_lead

    return make_lead(world.municipality)
