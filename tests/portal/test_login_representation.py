"""Whom a logged-in citizen may act for (portal/representation.py): their own record, a
power of attorney, guardianship, and parental responsibility only while the child is
under the configurable age of consent."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from mestring.people.identity import random_synthetic_national_id
from mestring.people.models import ActingBasis, RelationType
from mestring.portal.representation import SELF, representation_for, representations
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db
RNG = random.Random(16)


def born_years_ago(years: int, *, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day + datetime.timedelta(days=days)


def new_id(years: int = 45) -> str:
    return random_synthetic_national_id(RNG, born_years_ago(years))


def relative_of(person, basis: str, national_id: str, relation=RelationType.PARENT):
    return factories.RelativeFactory(
        person=person, acting_basis=basis, national_id=national_id, relation=relation
    )


def reps(world, national_id: str):
    with activate(world.municipality):
        return [(r.person.pk, r.basis) for r in representations(national_id)]


def test_own_record(world):
    assert reps(world, world.person.national_id) == [(world.person.pk, SELF)]


def test_empty_or_unknown_number_gives_nothing(world):
    assert reps(world, "") == []
    assert reps(world, new_id()) == []


def test_power_of_attorney(world):
    number = new_id()
    relative_of(world.person, ActingBasis.POWER_OF_ATTORNEY, number, RelationType.CHILD)
    assert reps(world, number) == [(world.person.pk, ActingBasis.POWER_OF_ATTORNEY)]


def test_guardianship(world):
    number = new_id()
    relative_of(world.person, ActingBasis.GUARDIANSHIP, number, RelationType.GUARDIAN)
    assert reps(world, number) == [(world.person.pk, ActingBasis.GUARDIANSHIP)]


def test_own_record_comes_first_then_those_one_acts_for(world):
    parent = factories.PersonFactory(municipality=world.municipality)
    child = factories.PersonFactory(municipality=world.municipality, birth_date=born_years_ago(8))
    relative_of(child, ActingBasis.PARENTAL_RESPONSIBILITY, parent.national_id)
    assert reps(world, parent.national_id) == [
        (parent.pk, SELF),
        (child.pk, ActingBasis.PARENTAL_RESPONSIBILITY),
    ]


@pytest.mark.parametrize(
    ("years", "days", "allowed"),
    [
        (15, 0, True),
        (16, 1, True),  # 16 tomorrow
        (16, 0, False),  # 16 today
        (17, 0, False),
    ],
    ids=["15", "16-tomorrow", "16-today", "17"],
)
def test_parental_responsibility_ends_at_the_age_of_consent(world, years, days, allowed):
    # The birth date is worked out when the test runs, not when it is collected: a run may
    # pass midnight between the two.
    birth = born_years_ago(years, days=days)
    child = factories.PersonFactory(municipality=world.municipality, birth_date=birth)
    number = new_id()
    relative_of(child, ActingBasis.PARENTAL_RESPONSIBILITY, number)
    expected = [(child.pk, ActingBasis.PARENTAL_RESPONSIBILITY)] if allowed else []
    assert reps(world, number) == expected
    with activate(world.municipality):
        assert (representation_for(number, child.pk) is not None) is allowed


def test_age_of_consent_is_configurable(world, settings):
    child = factories.PersonFactory(municipality=world.municipality, birth_date=born_years_ago(16))
    number = new_id()
    relative_of(child, ActingBasis.PARENTAL_RESPONSIBILITY, number)
    assert reps(world, number) == []
    settings.MESTRING_CHILD_CONSENT_AGE = 18
    assert reps(world, number) == [(child.pk, ActingBasis.PARENTAL_RESPONSIBILITY)]
    settings.MESTRING_CHILD_CONSENT_AGE = 12
    assert reps(world, number) == []


def test_power_of_attorney_has_no_age_limit(world):
    adult = factories.PersonFactory(municipality=world.municipality, birth_date=born_years_ago(40))
    number = new_id()
    relative_of(adult, ActingBasis.POWER_OF_ATTORNEY, number, RelationType.SPOUSE)
    assert reps(world, number) == [(adult.pk, ActingBasis.POWER_OF_ATTORNEY)]


def test_relative_without_acting_basis_gets_nothing(world):
    number = new_id()
    relative_of(world.person, "", number, RelationType.FRIEND)
    assert reps(world, number) == []


def test_person_of_another_municipality_is_not_found(world):
    other = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=other)
    ward = factories.PersonFactory(municipality=other)
    number = new_id()
    relative_of(ward, ActingBasis.POWER_OF_ATTORNEY, number)
    assert reps(world, stranger.national_id) == []
    assert reps(world, number) == []
    with activate(other):
        assert [r.person.pk for r in representations(stranger.national_id)] == [stranger.pk]


def test_representation_for_someone_else_is_none(world):
    other_person = factories.PersonFactory(municipality=world.municipality)
    with activate(world.municipality):
        assert representation_for(world.person.national_id, other_person.pk) is None
        rep = representation_for(world.person.national_id, world.person.pk)
        assert rep is not None and not rep.on_behalf
