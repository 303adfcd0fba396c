"""The table of `seed_001` reproduced through the command line: import persons and episodes,
then `mestring report everyday-rehab --year 2017 --format json` prints the table."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from mestring.rehab.models import Episode
from tests import factories
from tests.rehab import seed_001

pytestmark = pytest.mark.django_db


def test_seed_001_table_is_reproduced(tmp_path):
    factories.make_municipality("9301", "Seedkommune")
    persons_path, episodes_path = seed_001.write(tmp_path)
    call_command(
        "import", "persons", str(persons_path), "--municipality", "9301", stdout=io.StringIO()
    )
    call_command(
        "import", "episodes", str(episodes_path), "--municipality", "9301", stdout=io.StringIO()
    )
    assert Episode.all_objects.count() == 65
    out = io.StringIO()
    call_command(
        "report",
        "everyday-rehab",
        "--municipality",
        "9301",
        "--year",
        "2017",
        "--format",
        "json",
        stdout=out,
    )
    printed = json.loads(out.getvalue())
    assert printed == seed_001.EXPECTED
    assert json.dumps(printed) == json.dumps(seed_001.EXPECTED)
