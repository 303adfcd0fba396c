"""Fuzzing the API from its own OpenAPI document.

Every operation runs with an authorised client (a token with all scopes for a staff
member with care relations to two persons, and another municipality's data present)
and anonymously. Checks: no server error, the status code, content type and body as
documented. Figures are printed (run with -s).

One test item per operation, so that the operations spread over the test workers; the
seed data is built once for the module and each operation starts from it as built (its
own writes are rolled back). The API sits above the ORM and its contract does not
depend on the database engine: CI runs this module once, on PostgreSQL.
"""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mestring.api.api import api
from mestring.assessments.models import FunctionVariable
from mestring.casework import services as case_services
from mestring.casework.models import Case
from mestring.outcomes import services as outcome_services
from mestring.plans.models import Goal, Measure, PlanParticipant
from mestring.referrals.models import Referral
from mestring.teams.models import (
    Attendance,
    FollowUpItem,
    GroupMember,
    Meeting,
    ResponsibilityGroup,
)
from mestring.tenancy.context import activate
from tests import factories
from tests.api.helpers import make_token
from tests.casework.helpers import apply
from tests.casework.service_helpers import decide, register
from tests.conftest import HYPOTHESIS_PROFILE, built_once
from tests.devices.loan_helpers import deliver, make_item, order
from tests.institutions.helpers import admit, make_unit
from tests.outcomes.helpers import copm, sppb
from tests.plans.helpers import (
    actor_for,
    make_consent,
    make_decision,
    make_plan,
    make_pool_coordinator,
)
from tests.rehab.helpers import ended, refer, started
from tests.rehab.helpers import goal as rehab_goal

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Authorised: 100 generated requests per operation (10 in the quick `dev` profile).
# Anonymous: the property is "401 whatever the request", which a few examples per
# operation show as well as a hundred; the examples are derandomised, so the same ones
# run every time.
AUTHORISED_EXAMPLES = 100 if HYPOTHESIS_PROFILE == "ci" else 10
ANONYMOUS_EXAMPLES = 5
OPERATIONS = [
    (method.upper(), path)
    for path, item in api.get_openapi_schema()["paths"].items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete")
]

pytestmark = pytest.mark.engine_independent


@pytest.fixture(autouse=True, scope="module")
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection
    at the end of each request; inside a test's transaction (PostgreSQL) that would end
    the test's connection. Django's test client turns this off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def _fuzz(operation, headers: dict[str, str], max_examples: int, extra=None) -> dict:
    """`max_examples` generated requests to one operation; the tally of their answers."""
    tally = {"examples": 0, "2xx": 0, "4xx": 0}

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
        tally["examples"] += 1
        tally["2xx" if response.status_code < 300 else "4xx"] += 1
        if extra is not None:
            extra(response)

    run()
    return tally


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _seed_plans_and_cases(world, second) -> None:
    m = world.municipality
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
    Referral.all_objects.create(
        municipality=m,
        person=world.person,
        source="fastlege",
        received_on=datetime.date(2026, 2, 5),
        description="Under vurdering",
        status="under_vurdering",
    )
    Referral.all_objects.create(  # a second open one: opening a case uses one up
        municipality=m,
        person=world.person,
        source="fastlege",
        received_on=datetime.date(2026, 2, 6),
        description="Trenger hjelp i hjemmet",
    )
    plan = make_plan(world)
    Goal.all_objects.create(municipality=m, plan=plan, text="Gå til butikken")
    # Plan writes: participants to change and remove, a relative to add, a consent for
    # a plan for the second person, and the leader's right to appoint from the pool.
    relative = factories.RelativeFactory(person=world.person, name="Pårørende Fuzz")
    unit = factories.UnitFactory(municipality=m, name="Fuzz-enheten")
    for index in range(3):
        PlanParticipant.all_objects.create(
            municipality=m, plan=plan, unit=unit, role=f"Deltaker {index}"
        )
    PlanParticipant.all_objects.create(municipality=m, plan=plan, relative=relative, role="Mor")
    make_consent(second)
    factories.give_role(world.caseworker, "leder_ke")
    make_pool_coordinator(world, "fuzz.k1")
    make_pool_coordinator(world, "fuzz.k2")
    Measure.all_objects.create(
        municipality=m, plan=plan, title="Trening", responsible_other="Personen"
    )
    make_decision(world.person, world.caseworker)


def _seed_decision_work(world) -> None:
    """An open case asking for a plan and a coordinator, a service case with a decision
    in force and an appeal on it: every decision operation has something to act on."""
    worker, person = world.caseworker, world.person
    apply(worker, person, received_on=_days_ago(20))
    case = register(worker, person, ["ledsagerbevis", "stottekontakt"], received_on=_days_ago(20))
    decision = decide(worker, case, "ledsagerbevis", hours_per_week=None, days=1)
    with activate(world.municipality):
        case_services.appeal_register(
            actor=actor_for(worker),
            decision=decision,
            received_on=timezone.localdate(),
            grounds="Får for lite",
        )


def _seed_group_and_meetings(world) -> None:
    """A group with the fuzzing user as a member, a held and a coming meeting."""
    m = world.municipality
    group = ResponsibilityGroup.all_objects.create(
        municipality=m, person=world.person, started_on=datetime.date(2026, 1, 5)
    )
    member = GroupMember.all_objects.create(
        municipality=m,
        group=group,
        kind="intern",
        staff=world.caseworker,
        role="Saksbehandler",
        line="forste",
        started_on=datetime.date(2026, 1, 5),
    )
    now = timezone.now()
    held = Meeting.all_objects.create(
        municipality=m,
        group=group,
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=2, hours=-1),
        place="Rådhuset",
        status="avholdt",
        minutes="Referat",
    )
    Attendance.all_objects.create(municipality=m, meeting=held, member=member, attended=True)
    Meeting.all_objects.create(
        municipality=m,
        group=group,
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=1),
        place="Rådhuset",
    )
    FollowUpItem.all_objects.create(
        municipality=m,
        meeting=held,
        what="Søke om rullator",
        responsible_member=member,
        due_on=timezone.localdate() + datetime.timedelta(days=14),
    )


def _seed_rehabilitation(world, second) -> None:
    refer(world.caseworker, world.person)
    active = started(world.caseworker, world.person)
    rehab_goal(world.caseworker, active)
    ended(world.caseworker, second, on=_days_ago(90))
    sppb(world.caseworker, world.person, episode=active)
    sppb(world.caseworker, world.person, time_point="slutt")  # one for DELETE to take
    copm(world.caseworker, second)
    # Every instrument for the same person, so each correction can succeed.
    with activate(world.municipality):
        actor = actor_for(world.caseworker)
        outcome_services.psfs_record(
            actor=actor,
            person=world.person,
            observed_on=_days_ago(3),
            time_point="start",
            activities=[("Gå trapper", 2), ("Bære", 3), ("Sykle", 5)],
        )
        codes = FunctionVariable.objects.filter(is_active=True).values_list("code", flat=True)
        outcome_services.function_record(
            actor=actor,
            person=world.person,
            observed_on=_days_ago(3),
            time_point="start",
            scores={code: 2 for code in list(codes)[:3]},
        )


def _seed_stays_and_loans(world, second) -> None:
    m = world.municipality
    factories.give_role(world.caseworker, "hjelpemiddeltekniker")
    unit = make_unit(m, beds=3)
    admit(world.owner, world.person, unit, on=_days_ago(5))
    admit(world.owner, second, unit, on=_days_ago(10), stay_type="korttid")
    for label in ("F-1", "F-2", "F-3"):
        make_item(m, label)
    order(world.owner, world.person, "F-1", on=_days_ago(2))
    loan = order(world.owner, second, "F-2", on=_days_ago(30), expected=_days_ago(3))
    deliver(world.owner, loan, on=_days_ago(29))


def _seed_other_municipality() -> None:
    """Data the fuzzing client must never reach."""
    other = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=other)
    other_staff = factories.StaffFactory(municipality=other, user__username="annen_fuzz")
    refer(other_staff, stranger)
    sppb(other_staff, stranger)
    make_unit(other, name="Deres senter")


@pytest.fixture(scope="module")
def fuzz_token(module_world, django_db_blocker):
    """All scopes; data of every area for the world's person and a second person, and
    another municipality's data. Built once for the module."""
    yield from built_once(django_db_blocker, lambda: _seed(module_world))


def _seed(world) -> str:
    second = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.caseworker, world.person)
    factories.grant_relation(world.caseworker, second)
    _seed_plans_and_cases(world, second)
    _seed_decision_work(world)
    _seed_group_and_meetings(world)
    _seed_rehabilitation(world, second)
    _seed_stays_and_loans(world, second)
    _seed_other_municipality()
    return make_token(world.caseworker)


def test_every_operation_is_fuzzed():
    # The document lists the API's operations; a change that dropped them would leave
    # the parametrised tests below with nothing to do.
    assert len(OPERATIONS) >= 90
    assert ("GET", "/api/persons/") in OPERATIONS


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_authorised(schema, fuzz_token, method, path):
    tally = _fuzz(
        schema[path][method], {"Authorization": f"Bearer {fuzz_token}"}, AUTHORISED_EXAMPLES
    )
    print(f"\nSchemathesis authorised {method} {path}: {tally}, 0 failures")
    assert tally["examples"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_anonymous(schema, module_world, method, path):
    def refused(response) -> None:
        assert response.status_code == 401
        assert "API-nøkkel" in response.json()["detail"]

    tally = _fuzz(schema[path][method], {}, ANONYMOUS_EXAMPLES, refused)
    print(f"\nSchemathesis anonymous {method} {path}: {tally}, 0 failures")
    assert tally["examples"] > 0
