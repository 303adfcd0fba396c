"""The bed table of `seed_001` reproduced exactly through the imports and the report command."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command

from tests import factories
from tests.institutions import seed_001

pytestmark = pytest.mark.django_db


def test_no_night_has_more_than_eleven_in_bed():
    per_night: dict[datetime.date, int] = {}
    for _type, admitted, discharged in seed_001.stays():
        day = admitted
        while day < (discharged or datetime.date(2018, 1, 1)):
            per_night[day] = per_night.get(day, 0) + 1
            day += datetime.timedelta(days=1)
    assert max(per_night.values()) <= seed_001.BEDS


def test_seed_001_table_reproduced(tmp_path):
    factories.make_municipality("9001", "Testkommune")
    persons, units, stays = seed_001.write(tmp_path)
    for kind, path in (("persons", persons), ("units", units), ("stays", stays)):
        call_command("import", kind, str(path), municipality="9001", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "report",
        "bed-occupancy",
        municipality="9001",
        year=2017,
        unit="Lokalmedisinsk senter",
        format="json",
        stdout=out,
    )
    assert json.loads(out.getvalue()) == seed_001.EXPECTED
