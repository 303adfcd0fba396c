"""The frisklivsresept report, checked against figures computed here from random data:
year boundaries, age bands on birthdays (29 February too), another municipality's rows
never counted; the page and its CSV agree with the command."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random

import pytest
from django.core.management import call_command
from django.urls import reverse

from mestring.friskliv.models import Prescription
from mestring.friskliv.reports import FrisklivsreseptReport
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db
YEAR = 2024
D = datetime.date
REASONS = [
    "muskel_skjelett",
    "overvekt",
    "inaktivitet",
    "psykisk",
    "sovn",
    "royk_snus",
    "kosthold",
    "annet",
]
BANDS = ["0-19", "20-39", "40-59", "60-79", "80+"]


def birthday_in(year: int, birth: D) -> D:
    """The birthday in `year`; 29 February is celebrated on 1 March in other years."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return D(year, 3, 1)


def age(birth: D, day: D) -> int:
    return day.year - birth.year - (1 if day < birthday_in(day.year, birth) else 0)


def band(years: int) -> str:
    return BANDS[min(years // 20, 4)]


def make(municipality, birth: D, referral: D, reason: str, completed: bool | None) -> dict:
    person = factories.PersonFactory(municipality=municipality, birth_date=birth)
    Prescription.all_objects.create(
        municipality=municipality,
        person=person,
        referral_date=referral,
        reason=reason,
        completed=completed,
        status="henvist" if completed is None else "avsluttet",
    )
    return {"birth": birth, "referral": referral, "reason": reason, "completed": completed}


def generate(municipality, seed: int, count: int) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for _ in range(count):
        referral = D(YEAR - 1, 11, 1) + datetime.timedelta(days=rng.randint(0, 500))
        if rng.random() < 0.1:
            birth = D(rng.choice([1944, 1964, 1984, 2004, 1952]), 2, 29)
        else:
            birth = D(1930, 1, 1) + datetime.timedelta(days=rng.randint(0, 30000))
        if birth > referral:
            birth = referral - datetime.timedelta(days=rng.randint(0, 5000))
        completed = rng.choice([True, False, None])
        records.append(make(municipality, birth, referral, rng.choice(REASONS), completed))
    return records


def edges(municipality) -> list[dict]:
    """Boundaries of the year and of the age bands."""
    rows = [
        make(municipality, D(1980, 5, 5), D(YEAR - 1, 12, 31), "overvekt", True),
        make(municipality, D(1980, 5, 5), D(YEAR, 1, 1), "overvekt", True),
        make(municipality, D(1980, 5, 5), D(YEAR, 12, 31), "sovn", False),
        make(municipality, D(1980, 5, 5), D(YEAR + 1, 1, 1), "sovn", True),
    ]
    for years in (20, 40, 60, 80):
        rows.append(make(municipality, D(YEAR - years, 6, 15), D(YEAR, 6, 15), "annet", None))
        rows.append(make(municipality, D(YEAR - years, 6, 16), D(YEAR, 6, 15), "annet", None))
    # Born 29 February 1964: 59 on 28 February 2024, 60 on 29 February 2024.
    rows.append(make(municipality, D(1964, 2, 29), D(YEAR, 2, 28), "kosthold", True))
    rows.append(make(municipality, D(1964, 2, 29), D(YEAR, 2, 29), "kosthold", True))
    return rows


def expected(records: list[dict], year: int) -> dict:
    chosen = [r for r in records if r["referral"].year == year]
    return {
        "year": year,
        "referred": len(chosen),
        "completed": sum(1 for r in chosen if r["completed"] is True),
        "by_age_band": {
            b: sum(1 for r in chosen if band(age(r["birth"], r["referral"])) == b) for b in BANDS
        },
        "by_reason": {code: sum(1 for r in chosen if r["reason"] == code) for code in REASONS},
    }


@pytest.fixture
def records(world):
    records = generate(world.municipality, seed=60104, count=150) + edges(world.municipality)
    other = factories.make_municipality("9002", "Nabokommune")
    generate(other, seed=77, count=40)
    return records


def run(year: int, fmt: str = "json", number: str = "9001") -> str:
    out = io.StringIO()
    call_command(
        "report", "frisklivsresept", municipality=number, year=year, format=fmt, stdout=out
    )
    return out.getvalue()


def test_command_matches_figures_computed_here(records):
    for year in (YEAR - 1, YEAR, YEAR + 1):
        assert json.loads(run(year)) == expected(records, year)


def test_edges_land_where_they_should(world):
    rows = edges(world.municipality)
    with activate(world.municipality):
        result = FrisklivsreseptReport(year=YEAR).compute()
    assert result == expected(rows, YEAR)
    assert result["referred"] == 12
    assert result["by_age_band"] == {"0-19": 1, "20-39": 2, "40-59": 5, "60-79": 3, "80+": 1}


def test_empty_year_lists_every_band_and_reason(world):
    assert json.loads(run(2001)) == {
        "year": 2001,
        "referred": 0,
        "completed": 0,
        "by_age_band": dict.fromkeys(BANDS, 0),
        "by_reason": dict.fromkeys(REASONS, 0),
    }


def test_csv_of_command_and_page_agree(world, client_for, records):
    text = run(YEAR, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    want = expected(records, YEAR)
    assert rows[0] == ["figure", "key", "value"]
    assert rows[1:3] == [
        ["referred", "", str(want["referred"])],
        ["completed", "", str(want["completed"])],
    ]
    assert ["by_age_band", "40-59", str(want["by_age_band"]["40-59"])] in rows
    assert ["by_reason", "royk_snus", str(want["by_reason"]["royk_snus"])] in rows
    page = client_for(world.read_only).get(
        reverse("friskliv:report"), {"ar": str(YEAR), "format": "csv"}
    )
    assert page.status_code == 200
    assert page.content.decode() == text


def test_page_shows_the_figures_and_no_persons(world, client_for, records):
    response = client_for(world.read_only).get(reverse("friskliv:report"), {"ar": str(YEAR)})
    html = response.content.decode()
    want = expected(records, YEAR)
    assert response.status_code == 200
    assert response.context["result"] == want
    assert "Psykiske plager" in html and "Røyk/snus" in html
    assert f'<span class="figure">{want["referred"]}</span>' in html
    assert world.person.family_name not in html


def test_page_needs_statistics_permission(world, client_for):
    assert client_for(world.outsider).get(reverse("friskliv:report")).status_code == 403


def test_bad_year_gives_a_message_and_keeps_the_input(world, client_for):
    response = client_for(world.read_only).get(reverse("friskliv:report"), {"ar": "20x4"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "er ikke et årstall" in html and 'value="20x4"' in html
