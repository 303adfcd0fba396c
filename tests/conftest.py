"""Named users per role (owner, team member, read-only, outsider) and login helpers."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import settings as hypothesis_settings

from mestring.accounts.middleware import LAST_SEEN, LOGIN_AT
from mestring.people.models import Person, Staff
from mestring.tenancy.models import Municipality
from tests import factories

# Property tests: `ci` checks each property with 1 000 examples (the identity-number rules
# need that many to meet the rarer control-digit remainders); `dev` is the quick loop of
# `make test-fast`. HYPOTHESIS_PROFILE chooses; the full suite's default is `ci`.
hypothesis_settings.register_profile("ci", max_examples=1000, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=50, deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)

# A test that touches no database cannot answer differently on SQLite and PostgreSQL, so
# CI runs it once (in the PostgreSQL pass) with `-m "not engine_independent"` on SQLite.
# Tests that do use the database but manage their own engines (subprocesses, their own
# databases) or only check contracts above the ORM carry the marker in their module.
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        if not uses_database:
            item.add_marker(pytest.mark.engine_independent)


FAST_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # Argon2 is the production hasher (tested in tests/accounts); MD5 keeps other tests fast.
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # The development login provider is off unless asked for (I1); the tests
    # of the citizen's login use it, as `make run` does. Tests of its absence turn it off.
    settings.MESTRING_DEV_OIDC = True


T = TypeVar("T")


def built_once(django_db_blocker: object, build: Callable[[], T]) -> Iterator[T]:
    """Data that every test of a module only reads, built once for the module.

    The data lives in an outer transaction opened here; each test's own transaction
    (pytest-django's `db`) nests inside it as a savepoint and is rolled back after the
    test, so a test sees the data as built whatever the one before it did. The outer
    transaction is rolled back when the module is done. Use it from a module-scoped
    fixture in a module without transactional tests (`live_server`, `transactional_db`).
    """
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                data = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


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
    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: object) -> Iterator[World]:
    """`world` built once for a module whose tests only read it (see `built_once`)."""
    yield from built_once(django_db_blocker, build_world)


def build_world() -> World:
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


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database file with every migration applied, for tests that run the
    `mestring` command in subprocesses: migrating takes far longer than copying, so it
    is done once per test run (the xdist workers share it behind a lock). Copy it with
    `copy_migrated`, never use it in place."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    template = root / "migrated.sqlite3"
    with (root / "migrated.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            partial = root / "migrated.partial.sqlite3"
            partial.unlink(missing_ok=True)
            env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
            env["DATABASE_URL"] = f"sqlite:///{partial}"
            subprocess.run(
                [sys.executable, "-m", "mestring", "migrate", "--noinput", "-v0"],
                env=env,
                check=True,
                timeout=900,
            )
            partial.rename(template)
    return template


def copy_migrated(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


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
