"""`mestring bench` on a small size: it builds what it says and measures every part."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mestring.bench.build import BENCH_REF
from mestring.casework.models import Case
from mestring.core.reporting import REPORTS
from mestring.people.models import Person

pytestmark = pytest.mark.django_db


def test_bench_builds_the_size_asked_and_reports_every_part(tmp_path, capsys):
    output = tmp_path / "bench.json"
    call_command(
        "bench",
        persons=300,
        open_cases=40,
        years=2,
        repeat=2,
        import_rows=20,
        json=output,
    )
    figures = json.loads(output.read_text(encoding="utf-8"))
    assert Person.all_objects.filter(person_ref__startswith=BENCH_REF).count() == 300
    open_cases = Case.all_objects.filter(person__person_ref__startswith=BENCH_REF).exclude(
        status="avsluttet"
    )
    assert open_cases.count() == 40
    assert figures["build"]["rows"]["people.Person"] == 300
    assert figures["size"] == {"persons": 300, "open_cases": 40, "years": 2}
    # Every page answered, with its query count and timings.
    assert len(figures["pages"]) >= 14
    for page in figures["pages"]:
        assert page["status"] == 200, page
        assert page["queries"] > 0 and 0 < page["p50_ms"] <= page["p95_ms"], page
    assert {r["name"] for r in figures["reports"]} == set(REPORTS)
    # Each report agrees with its hand-written SQL (plan-chapter has none).
    compared = [r for r in figures["reports"] if r["equal"] is not None]
    assert len(compared) == len(REPORTS) - 1
    assert all(r["equal"] is True for r in compared), figures["reports"]
    assert [i["name"] for i in figures["imports"]] == [
        "persons",
        "stays",
        "episodes",
        "prescriptions",
        "loans",
        "plans",
    ]
    assert all(i["rows"] == 20 for i in figures["imports"])
    # The readable table names every page.
    table = capsys.readouterr().out
    assert all(page["name"] in table for page in figures["pages"])

    # The same database with another size is refused rather than mixed.
    with pytest.raises(CommandError, match="allerede 300"):
        call_command("bench", persons=200, open_cases=5, years=1, only=["reports"])
