"""The loans demo: believable amounts, consistent item statuses, idempotent, and
nothing at all without the store demo's items."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractYear

from mestring.devices.loans_demo import build_loans_demo
from mestring.devices.models import Inquiry, Item, Loan, NavApplication
from mestring.tenancy.context import activate
from tests import factories
from tests.devices.loan_helpers import make_item

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def run(world, persons) -> None:
    with activate(world.municipality):
        build_loans_demo(random.Random(3), persons, world.owner, TODAY)


def test_nothing_without_store_items(world):
    run(world, [world.person])
    assert not Loan.all_objects.exists()


def test_demo_data_is_believable_and_idempotent(world):
    persons = [factories.PersonFactory(municipality=world.municipality) for _ in range(15)]
    for i in range(40):
        make_item(world.municipality, f"D-{i:03d}", type_name=["Rullator", "Dusjstol"][i % 2])
    run(world, persons)
    loans = Loan.all_objects.filter(nav_application__isnull=True)
    assert 60 <= loans.count() <= 80
    assert loans.filter(returned_on__isnull=False).count() > 10
    open_loans = loans.filter(returned_on__isnull=True, delivered_on__isnull=False)
    assert open_loans.count() > 3
    assert open_loans.filter(expected_return_on__lt=TODAY).exists()
    assert loans.filter(delivered_on__isnull=True).exists()
    for loan in Loan.all_objects.filter(returned_on__isnull=True).select_related("item"):
        assert loan.item.status == "utlant"
    on_loan = Item.all_objects.filter(status="utlant")
    assert on_loan.count() == Loan.all_objects.filter(returned_on__isnull=True).count()
    statuses = set(NavApplication.all_objects.values_list("status", flat=True))
    assert statuses == {"sendt", "innvilget", "levert"}
    per_year = dict(
        Inquiry.all_objects.annotate(y=ExtractYear("received_on"))
        .values_list("y")
        .annotate(n=Count("pk"))
        .values_list("y", "n")
    )
    assert sorted(per_year) == list(range(2022, 2027))
    full_years = [per_year[y] for y in range(2022, 2026)]
    assert full_years == sorted(full_years) and 25 <= full_years[0] <= 50
    counts = (
        Loan.all_objects.count(),
        NavApplication.all_objects.count(),
        Inquiry.all_objects.count(),
    )
    run(world, persons)
    assert counts == (
        Loan.all_objects.count(),
        NavApplication.all_objects.count(),
        Inquiry.all_objects.count(),
    )
