"""The table of `seed_000` (Sømna 2018) reproduced through the import and report commands."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from tests import factories
from tests.devices import seed_000

pytestmark = pytest.mark.django_db


def test_the_seed_table_comes_out_of_the_commands(tmp_path, capsys):
    factories.make_municipality("1812", "Sømna")
    persons, loans = seed_000.write(tmp_path)
    call_command("import", "persons", str(persons), "--municipality", "1812")
    call_command("import", "loans", str(loans), "--municipality", "1812")
    capsys.readouterr()
    call_command("report", "assistive-devices", "--municipality", "1812", "--year", "2018")
    assert json.loads(capsys.readouterr().out) == seed_000.TABLE
