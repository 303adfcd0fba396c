"""The demo data: believable, never over capacity, no person in two beds, idempotent."""

from __future__ import annotations

import datetime
import itertools
import random

import pytest
from django.utils import timezone

from mestring.institutions import selectors
from mestring.institutions.demo import build_institutions_demo
from mestring.institutions.models import PurchaseAgreement, Stay
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_is_within_capacity_and_idempotent(world):
    today = timezone.localdate()
    persons = [factories.PersonFactory(municipality=world.municipality) for _ in range(80)]
    with activate(world.municipality):
        build_institutions_demo(random.Random(5), persons, world.owner, today)
        count = Stay.objects.count()
        build_institutions_demo(random.Random(5), persons, world.owner, today)
        assert Stay.objects.count() == count > 50
        assert PurchaseAgreement.objects.filter(year=today.year).exists()
        first, end = today - datetime.timedelta(days=400), today + datetime.timedelta(days=1)
        for entry in selectors.bed_board(today):
            capacities = entry.unit.capacity_rows
            nights = selectors.occupied_nights(
                selectors.stays_in_period(entry.unit, first, end), first, end
            )
            for day, used in nights.items():
                assert used <= selectors.beds_on(capacities, day), (entry.unit.name, day)
            if entry.unit.name != "Helgeland rehabiliteringssenter":
                assert 0 < entry.occupied < entry.beds
        stays = list(Stay.objects.order_by("person_id", "admitted_on"))
        for a, b in itertools.pairwise(stays):
            if a.person_id == b.person_id:
                assert not selectors.overlaps(
                    a.admitted_on, a.discharged_on, b.admitted_on, b.discharged_on
                )
