"""Named users per role (owner, team member, read-only, outsider) and login helpers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from mestring.accounts.middleware import LAST_SEEN, LOGIN_AT
from mestring.people.models import Person, Staff
from mestring.tenancy.models import Municipality
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # Argon2 is the production hasher (tested in tests/accounts); MD5 keeps other tests fast.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@dataclass
class World:
    """One municipality with a person and staff in every relation to that person."""

    municipality: Municipality
    person: Person
    owner: Staff  # coordinator with a care relation
    team_member: Staff  # provider in the person's unit, relation through the unit
    read_only: Staff  # planner: statistics, no records
    outsider: Staff  # provider in the same municipality, no relation
    caseworker: Staff  # may search and register persons, no relation to `person`
    admin: Staff


def make_staff(municipality: Municipality, role: str, username: str, **kwargs: object) -> Staff:
    staff = factories.StaffFactory(
        municipality=municipality, user__username=username, hpr_number="9100099", **kwargs
    )
    factories.give_role(staff, role)
    return staff


@pytest.fixture
def world(db: None) -> World:
    municipality = factories.make_municipality("9001", "Testkommune")
    person = factories.PersonFactory(
        municipality=municipality, given_name="Gunnhild", family_name="Skjermesen"
    )
    unit = factories.UnitFactory(municipality=municipality, name="Hjemmetjenesten")
    owner = make_staff(municipality, "koordinator", "eier")
    team_member = make_staff(municipality, "tjenesteyter", "teammedlem")
    team_member.units.add(unit)
    read_only = make_staff(municipality, "planlegger", "lesetilgang")
    outsider = make_staff(municipality, "tjenesteyter", "utenforstaende")
    caseworker = make_staff(municipality, "saksbehandler", "saksbehandler")
    admin = make_staff(municipality, "administrator", "administrator")
    factories.grant_relation(owner, person)
    from mestring.access.models import CareRelation

    CareRelation.all_objects.create(
        municipality=municipality, person=person, unit=unit, kind="tjenesteyter", reason="Test"
    )
    return World(municipality, person, owner, team_member, read_only, outsider, caseworker, admin)


def login(client: Client, staff: Staff) -> Client:
    """Log in as a fully verified staff user (password and second factor done)."""
    import time

    device = factories.confirmed_device(staff.user)
    client.force_login(staff.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LOGIN_AT] = session[LAST_SEEN] = time.time()
    session.save()
    return client


@pytest.fixture
def client_for(client: Client):
    def _client_for(staff: Staff) -> Client:
        return login(Client(), staff)

    return _client_for
