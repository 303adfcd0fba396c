from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from mestring.access.audit import verify_chain
from mestring.access.models import CareRelation, Role
from mestring.access.permissions import DEFAULT_ROLES
from mestring.people.identity import parse_national_id
from mestring.people.models import Person, Staff, Unit
from mestring.tenancy.models import Municipality

pytestmark = pytest.mark.django_db


def test_municipality_add_is_idempotent(capsys):
    call_command("municipality", "add", "1820", "Alstahaug")
    call_command("municipality", "add", "1820", "Alstahaug")
    out = capsys.readouterr().out
    assert "Opprettet 1820 Alstahaug." in out and "finnes allerede" in out
    municipality = Municipality.objects.get(number="1820")
    assert Role.all_objects.filter(municipality=municipality).count() == len(DEFAULT_ROLES)


@pytest.mark.parametrize("number", ["182", "18200", "abcd"])
def test_municipality_number_must_have_four_digits(number):
    with pytest.raises(CommandError, match="fire siffer"):
        call_command("municipality", "add", number, "Feil")


def test_demo_json_and_idempotence(capsys):
    call_command("demo", "--json", "--password", "et-annet-passord-99")
    payload = json.loads(capsys.readouterr().out)
    assert payload["municipality"] == "9999"
    assert payload["password"] == "et-annet-passord-99"
    roles = {user["role"] for user in payload["users"]}
    assert set(DEFAULT_ROLES) <= roles
    municipality = Municipality.objects.get(number="9999")
    counts = (
        Person.all_objects.filter(municipality=municipality).count(),
        Unit.all_objects.filter(municipality=municipality).count(),
        Staff.all_objects.filter(municipality=municipality).count(),
        CareRelation.all_objects.filter(municipality=municipality).count(),
    )
    assert counts[0] == 500
    call_command("demo", "--json", "--password", "et-annet-passord-99")
    capsys.readouterr()
    assert counts == (
        Person.all_objects.filter(municipality=municipality).count(),
        Unit.all_objects.filter(municipality=municipality).count(),
        Staff.all_objects.filter(municipality=municipality).count(),
        CareRelation.all_objects.filter(municipality=municipality).count(),
    )
    user = get_user_model().objects.get(username=payload["users"][0]["username"])
    assert user.check_password("et-annet-passord-99")
    assert verify_chain(municipality.pk) is None


def test_demo_persons_are_synthetic_and_of_all_ages(capsys):
    call_command("demo", "--json")
    persons = Person.all_objects.filter(municipality__number="9999")
    numbers = [p.national_id for p in persons if p.national_id]
    assert numbers and all(parse_national_id(n, allow_synthetic=True).synthetic for n in numbers)
    years = [p.birth_date.year for p in persons]
    assert max(years) - min(years) > 80
    units = set(Unit.all_objects.filter(municipality__number="9999").values_list("name", flat=True))
    assert {"Hjemmetjenesten", "Frisklivssentralen", "Hjelpemiddellageret"} <= units


def test_demo_readable_output_lists_users_and_password(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "demo-passord-2026" in out and "demo.saksbehandler" in out


def test_demo_refuses_a_weak_password():
    with pytest.raises(CommandError):
        call_command("demo", "--password", "123")
