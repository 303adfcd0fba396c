"""Factories for test data. Identity numbers are synthetic (month + 80) only."""

from __future__ import annotations

import datetime
import random

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mestring.access.models import CareRelation, CareRelationKind, Role, StaffRole
from mestring.people.identity import random_synthetic_national_id
from mestring.people.models import Person, Profession, RelationType, Relative, Staff, Unit, UnitKind
from mestring.tenancy.models import Municipality
from mestring.tenancy.services import municipality_ensure

PASSWORD = "riktig-hest-batteri-stift"
_rng = random.Random(20261122)


class UnscopedFactory(factory.django.DjangoModelFactory):
    """Writes through the unscoped manager, so tests need no active municipality."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class: type) -> object:
        return getattr(model_class, "all_objects", model_class._default_manager)


def make_municipality(number: str = "9001", name: str = "Testkommune") -> Municipality:
    return municipality_ensure(number=number, name=name)[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    password = factory.django.Password(PASSWORD)


class UnitFactory(UnscopedFactory):
    class Meta:
        model = Unit

    municipality = factory.LazyFunction(make_municipality)
    name = factory.Sequence(lambda n: f"Enhet {n}")
    kind = UnitKind.INTERNAL


class StaffFactory(UnscopedFactory):
    class Meta:
        model = Staff

    municipality = factory.LazyFunction(make_municipality)
    user = factory.SubFactory(UserFactory)
    profession = Profession.NURSE


def _free_national_id(municipality: Municipality, birth_date: datetime.date) -> str:
    """A synthetic number no person of the municipality has yet: tests that make many
    persons born the same day would otherwise meet the unique constraint by chance."""
    for _attempt in range(50):
        number = random_synthetic_national_id(_rng, birth_date)
        if not Person.all_objects.filter(municipality=municipality, national_id=number).exists():
            return number
    return ""


class PersonFactory(UnscopedFactory):
    class Meta:
        model = Person

    municipality = factory.LazyFunction(make_municipality)
    given_name = factory.Faker("first_name", locale="no_NO")
    family_name = factory.Faker("last_name", locale="no_NO")
    birth_date = factory.LazyFunction(
        lambda: datetime.date(1940, 1, 1) + datetime.timedelta(days=_rng.randint(0, 30000))
    )
    national_id = factory.LazyAttribute(lambda p: _free_national_id(p.municipality, p.birth_date))
    national_id_kind = "fnr"
    person_ref = factory.Sequence(lambda n: f"P{n:05d}")


class RelativeFactory(UnscopedFactory):
    class Meta:
        model = Relative

    person = factory.SubFactory(PersonFactory)
    municipality = factory.SelfAttribute("person.municipality")
    name = factory.Faker("name", locale="no_NO")
    relation = RelationType.CHILD


def give_role(staff: Staff, code: str) -> None:
    role = Role.all_objects.get(municipality=staff.municipality, code=code)
    StaffRole.all_objects.get_or_create(
        municipality=staff.municipality, staff=staff, role=role, unit=None
    )


def grant_relation(
    staff: Staff,
    person: Person,
    *,
    kind: str = CareRelationKind.PROVIDER,
    valid_to: datetime.datetime | None = None,
) -> CareRelation:
    return CareRelation.all_objects.create(
        municipality=person.municipality,
        person=person,
        staff=staff,
        kind=kind,
        reason="Test",
        valid_from=timezone.now() - datetime.timedelta(days=1),
        valid_to=valid_to,
    )


def confirmed_device(user: object) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)
