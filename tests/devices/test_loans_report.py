"""The assistive-devices report, checked against figures computed here from random
data: year boundaries, open loans, returns the same year, undelivered orders and
another municipality's loans not counted; the page and its CSV agree with the command."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from mestring.devices.models import Loan
from mestring.devices.reports import AssistiveDevicesReport, trend
from mestring.tenancy.context import activate
from tests import factories
from tests.devices.loan_helpers import make_item

pytestmark = pytest.mark.django_db
YEAR = 2024
D = datetime.date
KEYS = {
    "year",
    "active_users",
    "users_with_deliveries",
    "new_users",
    "delivered",
    "returned",
    "delivered_value_nok",
}


def random_day(rng: random.Random, first: int = 2021, last: int = 2026) -> D:
    start = D(first, 1, 1)
    return start + datetime.timedelta(days=rng.randint(0, (D(last, 10, 31) - start).days))


def build(municipality, rng: random.Random, n_persons: int, n_loans: int, prefix: str) -> list:
    """Random loans; boundary days (1.1., 31.12.) are favoured. Returns the rows."""
    persons = [factories.PersonFactory(municipality=municipality) for _ in range(n_persons)]
    rows = []
    for i in range(n_loans):
        person = rng.choice(persons)
        if rng.random() < 0.25:
            delivered = rng.choice(
                [D(YEAR, 1, 1), D(YEAR, 12, 31), D(YEAR - 1, 12, 31), D(YEAR + 1, 1, 1)]
            )
        else:
            delivered = random_day(rng)
        # Some are ordered, not delivered: never counted.
        delivered_on = None if rng.random() < 0.1 else delivered
        returned = None
        if delivered_on and rng.random() < 0.6:
            choice = rng.random()
            if choice < 0.2:
                returned = delivered_on  # same day
            elif choice < 0.35:
                returned = D(delivered_on.year, 12, 31)
            else:
                returned = delivered_on + datetime.timedelta(days=rng.randint(1, 700))
        value = Decimal(rng.randrange(500, 40000, 250))
        item = make_item(municipality, f"{prefix}-{i}", value=value)
        Loan.all_objects.create(
            municipality=municipality,
            item=item,
            person=person,
            ordered_on=delivered,
            delivered_on=delivered_on,
            returned_on=returned,
        )
        rows.append((person.pk, delivered_on, returned, value))
    return rows


def expected(rows: list, year: int) -> dict:
    first, last = D(year, 1, 1), D(year, 12, 31)
    delivered = [r for r in rows if r[1] is not None]
    in_year = [r for r in delivered if first <= r[1] <= last]
    first_delivery: dict[int, D] = {}
    for person, day, _returned, _value in delivered:
        first_delivery[person] = min(day, first_delivery.get(person, day))
    total = sum((r[3] for r in in_year), Decimal(0))
    return {
        "year": year,
        "active_users": len(
            {r[0] for r in delivered if r[1] <= last and (r[2] is None or r[2] > last)}
        ),
        "users_with_deliveries": len({r[0] for r in in_year}),
        "new_users": sum(1 for day in first_delivery.values() if first <= day <= last),
        "delivered": len(in_year),
        "returned": sum(1 for r in rows if r[2] is not None and first <= r[2] <= last),
        "delivered_value_nok": int(total),
    }


@pytest.fixture
def data(world):
    rng = random.Random(7)
    rows = build(world.municipality, rng, 25, 140, "A")
    other = factories.make_municipality("9002", "Annenkommune")
    build(other, rng, 10, 60, "B")
    return rows


def test_figures_match_independent_computation(world, data):
    for year in (YEAR - 1, YEAR, YEAR + 1):
        with activate(world.municipality):
            result = AssistiveDevicesReport(year=year).compute()
        assert set(result) == KEYS
        assert result == expected(data, year), year
        assert isinstance(result["delivered_value_nok"], int)
    assert expected(data, YEAR)["delivered"] > 0 and expected(data, YEAR)["active_users"] > 0


def test_trend_is_five_years_oldest_first(world, data):
    with activate(world.municipality):
        rows = trend(YEAR)
    assert [row["year"] for row in rows] == list(range(YEAR - 4, YEAR + 1))
    assert rows == [expected(data, year) for year in range(YEAR - 4, YEAR + 1)]


def test_value_with_oere_is_a_float(world):
    person = factories.PersonFactory(municipality=world.municipality)
    item = make_item(world.municipality, "ORE", value=Decimal("1000.50"))
    Loan.all_objects.create(
        municipality=world.municipality,
        item=item,
        person=person,
        ordered_on=D(YEAR, 5, 1),
        delivered_on=D(YEAR, 5, 1),
    )
    with activate(world.municipality):
        assert AssistiveDevicesReport(year=YEAR).compute()["delivered_value_nok"] == 1000.5


def test_command_page_and_csv_agree(world, data, client_for, capsys):
    call_command("report", "assistive-devices", municipality="9001", year=YEAR, format="json")
    printed = json.loads(capsys.readouterr().out)
    assert printed == expected(data, YEAR)
    call_command("report", "assistive-devices", municipality="9001", year=YEAR, format="csv")
    command_csv = capsys.readouterr().out
    client = client_for(world.read_only)
    page = client.get(reverse("devices:report"), {"ar": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="bar"' in html and "Utvikling siste 5 år" in html
    download = client.get(reverse("devices:report"), {"ar": YEAR, "format": "csv"})
    assert download.content.decode() == command_csv
    header, row = list(csv.reader(io.StringIO(command_csv)))
    assert header[0] == "year" and int(row[0]) == YEAR
    assert dict(zip(header, row, strict=True))["delivered"] == str(printed["delivered"])


def test_report_page_bad_year_and_refusal(world, client_for):
    page = client_for(world.read_only).get(reverse("devices:report"), {"ar": "20x4"})
    assert page.status_code == 200
    assert "er ikke et årstall" in page.content.decode()
    assert client_for(world.outsider).get(reverse("devices:report")).status_code == 403
