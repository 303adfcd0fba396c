"""The portal demo data: relatives who can log in, and what each login shows."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from mestring.people.models import ActingBasis, Person, Relative
from mestring.portal.demo import ATTORNEY, GUARDIAN, NO_BASIS, TOO_OLD_PARENT, build_portal_demo
from mestring.portal.representation import SELF, representations
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_relatives_and_what_their_logins_show(world):
    today = timezone.localdate()
    for index, age in enumerate([8, 16, 35, 40, 80, 85, 50, 70]):
        factories.PersonFactory(
            municipality=world.municipality,
            person_ref=f"DEMO-{index:04d}",
            birth_date=today - datetime.timedelta(days=age * 365 + 120),
        )
    with activate(world.municipality):
        persons = list(Person.objects.filter(person_ref__startswith="DEMO-"))
        build_portal_demo(random.Random(1), persons, today)
        count = Relative.objects.count()
        build_portal_demo(random.Random(2), persons, today)
        assert Relative.objects.count() == count  # idempotent

        def shows(name: str) -> list[str]:
            relative = Relative.objects.get(name=name)
            assert relative.national_id
            return [r.basis for r in representations(relative.national_id)]

        assert shows(GUARDIAN) == [ActingBasis.GUARDIANSHIP]
        assert shows(ATTORNEY) == [ActingBasis.POWER_OF_ATTORNEY]
        assert shows(TOO_OLD_PARENT) == []
        assert shows(NO_BASIS) == []
        parent = Relative.objects.get(
            acting_basis=ActingBasis.PARENTAL_RESPONSIBILITY,
            person__birth_date__gt=today - datetime.timedelta(days=5000),
        )
        assert [r.basis for r in representations(parent.national_id)] == [
            SELF,
            ActingBasis.PARENTAL_RESPONSIBILITY,
        ]
