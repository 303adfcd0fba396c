"""The three-year table counts each day in one query: figures per day checked
against plans made here, at the edges of each day."""

from __future__ import annotations

import datetime

import pytest

from mestring.access.models import Consent
from mestring.plans.models import IndividualPlan
from mestring.reports.individual_plans import three_year_table
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 15)


def _plan(m, unit, start, end=None):
    person = factories.PersonFactory(municipality=m)
    consent = Consent.all_objects.create(
        municipality=m,
        person=person,
        kind="individuell_plan",
        scope="IP",
        given_by="personen",
        given_on=start,
    )
    return IndividualPlan.all_objects.create(
        municipality=m,
        person=person,
        consent=consent,
        responsible_unit=unit,
        start_date=start,
        end_date=end,
        status="avsluttet" if end else "aktiv",
    )


def test_counts_per_day_and_units_without_plans_on_the_days(world):
    m = world.municipality
    a = factories.UnitFactory(municipality=m, name="A-enheten")
    b = factories.UnitFactory(municipality=m, name="B-enheten")
    between = factories.UnitFactory(municipality=m, name="Mellom-enheten")
    other = factories.make_municipality("9002", "Annen kommune")
    other_unit = factories.UnitFactory(municipality=other, name="A-enheten")
    d = datetime.date
    _plan(m, a, d(2024, 12, 31))  # from the first day on
    _plan(m, a, d(2020, 1, 1), d(2024, 12, 31))  # ends on the first day: counts there
    _plan(m, a, d(2020, 1, 1), d(2024, 12, 30))  # ended the day before
    _plan(m, b, d(2025, 12, 31), d(2026, 6, 14))  # the second day only
    _plan(m, b, DAY)  # starts on the day
    _plan(m, b, DAY + datetime.timedelta(days=1))  # starts after
    _plan(m, between, d(2025, 2, 1), d(2025, 3, 1))  # in force on none of the days
    _plan(other, other_unit, d(2020, 1, 1))  # another municipality
    with activate(m):
        table = three_year_table(DAY)
    assert table["days"] == ["2024-12-31", "2025-12-31", "2026-06-15"]
    assert table["rows"] == [
        {"unit": "A-enheten", "counts": [2, 1, 1]},
        {"unit": "B-enheten", "counts": [0, 1, 1]},
    ]
