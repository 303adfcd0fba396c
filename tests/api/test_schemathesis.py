"""Fuzzing the API from its own OpenAPI document (issue 10 item 5).

Every operation runs with an authorised client (a token with all scopes for a staff
member with care relations to two persons, and another municipality's data present)
and anonymously. Checks: no server error, the status code, content type and body as
documented. Figures are printed (run with -s).
"""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mestring.casework.models import Case
from mestring.plans.models import Goal
from mestring.referrals.models import Referral
from tests import factories
from tests.api.helpers import make_token
from tests.plans.helpers import make_plan

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 100


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection
    at the end of each request; inside a test's transaction (PostgreSQL) that would end
    the test's connection. Django's test client turns this off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema():
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def _fuzz(headers: dict[str, str], max_examples: int, figures: dict, extra=None) -> None:
    """Every operation of the document, `max_examples` generated requests each."""
    for result in _schema().get_all_operations():
        operation = result.ok()
        key = f"{operation.method.upper()} {operation.path}"
        figures.setdefault(key, {"examples": 0, "2xx": 0, "4xx": 0})

        @given(case=operation.as_strategy())
        @settings(
            max_examples=max_examples,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case) -> None:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            tally = figures[key]  # noqa: B023 - run() is called inside this iteration
            tally["examples"] += 1
            tally["2xx" if response.status_code < 300 else "4xx"] += 1
            if extra is not None:
                extra(response)

        run()


@pytest.fixture
def fuzz_token(world) -> str:
    """All scopes; data of the world's person, of a second person, and another municipality."""
    m = world.municipality
    second = factories.PersonFactory(municipality=m)
    factories.grant_relation(world.caseworker, world.person)
    factories.grant_relation(world.caseworker, second)
    for person in (world.person, second):
        Referral.all_objects.create(
            municipality=m,
            person=person,
            source="fastlege",
            received_on=datetime.date(2026, 1, 5),
            description="Trenger hjelp",
        )
        Case.all_objects.create(
            municipality=m, person=person, kind="tjeneste", received_on=datetime.date(2026, 1, 6)
        )
    plan = make_plan(world)
    Goal.all_objects.create(municipality=m, plan=plan, text="Gå til butikken")
    other = factories.make_municipality("9002", "Annenkommune")
    factories.PersonFactory(municipality=other)
    return make_token(world.caseworker)


def _report(label: str, figures: dict) -> None:
    total = sum(f["examples"] for f in figures.values())
    print(f"\nSchemathesis {label}: {len(figures)} operations, {total} examples, 0 failures")
    for key, counts in sorted(figures.items()):
        print(f"  {key}: {counts}")


def test_authorised(fuzz_token):
    figures: dict = {}
    _fuzz({"Authorization": f"Bearer {fuzz_token}"}, MAX_EXAMPLES, figures)
    _report("authorised", figures)
    assert all(counts["examples"] > 0 for counts in figures.values())


def test_anonymous(world):
    def refused(response) -> None:
        assert response.status_code == 401
        assert "API-nøkkel" in response.json()["detail"]

    figures: dict = {}
    _fuzz({}, MAX_EXAMPLES, figures, refused)
    _report("anonymous", figures)
