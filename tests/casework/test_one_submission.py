"""(M2) One submission, one effect: a decision or an application sent twice, or by
several requests at the same moment, is made once.

Two defences, both tested here: each creating form carries a submission token (a
repeat with the same token gets the first object back), and the services lock the case
and check again inside the transaction (two different submissions of the same decision
give one decision and a clear refusal)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mestring.casework import services
from mestring.casework.models import Appeal, Case, Decision
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for, apply, decide_subject, legal_basis
from tests.casework.service_helpers import decide, make_assessment, register
from tests.conftest import build_world, login

IS_POSTGRESQL = connection.vendor == "postgresql"
TOKEN_FIELD = "submission_token"


def today_text() -> str:
    return timezone.localdate().strftime("%d.%m.%Y")


def decision_post(case: Case, subject: str, token: str) -> dict[str, str]:
    prefix = f"vedtak-{subject}"
    code = "individuell-plan" if subject == "individuell_plan" else "koordinator"
    return {
        "handling": prefix,
        f"{prefix}-outcome": "innvilget",
        f"{prefix}-reasons": "Flere tjenester over lang tid.",
        f"{prefix}-legal_basis": str(legal_basis(case.municipality, code).pk),
        f"{prefix}-decided_on": today_text(),
        f"{prefix}-{TOKEN_FIELD}": token,
    }


def token_in(body: str, name: str) -> str:
    """The submission token the page put in the form named `name`."""
    marker = f'name="{name}" value="'
    assert marker in body, f"no {name} in the form"
    return body.split(marker, 1)[1].split('"', 1)[0]


# --- Plain double submissions (both engines).


@pytest.mark.attack
@pytest.mark.django_db
def test_double_post_of_a_decision_form_makes_one_decision(world, lead, client_for):
    """(M2) The same decision form posted twice: one decision, and the second answer
    says the form was already sent instead of refusing the action."""
    factories.grant_relation(lead, world.person)
    client = client_for(lead)
    case = apply(lead, world.person, caseworker=lead)
    url = reverse("casework:case_detail", args=[world.person.pk, case.pk])
    token = token_in(client.get(url).content.decode(), f"vedtak-individuell_plan-{TOKEN_FIELD}")
    uuid.UUID(token)
    data = decision_post(case, "individuell_plan", token)
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first.status_code == 302
    assert Decision.all_objects.filter(case=case).count() == 1
    decision = Decision.all_objects.get(case=case)
    assert str(decision.submission_token) == token
    body = second.content.decode()
    assert "Skjemaet var allerede sendt inn." in body
    assert "Handlingen er ikke mulig i denne saken nå." not in body


@pytest.mark.attack
@pytest.mark.django_db
def test_double_post_of_an_application_opens_one_case(world, lead, client_for):
    """(M2) An application form posted twice (a double click) opens one case."""
    factories.grant_relation(lead, world.person)
    client = client_for(lead)
    url = reverse("casework:case_create", args=[world.person.pk])
    token = token_in(client.get(url).content.decode(), TOKEN_FIELD)
    data = {"received_on": today_text(), "requests_coordinator": "on", TOKEN_FIELD: token}
    first = client.post(url, data)
    second = client.post(url, data)
    assert Case.all_objects.filter(person=world.person).count() == 1
    case = Case.all_objects.get(person=world.person)
    case_url = reverse("casework:case_detail", args=[world.person.pk, case.pk])
    assert first.url == second.url == case_url


@pytest.mark.attack
@pytest.mark.django_db
def test_double_post_of_a_service_application_opens_one_case(world, lead, client_for):
    """(M2) A service application posted twice opens one case."""
    factories.grant_relation(lead, world.person)
    client = client_for(lead)
    url = reverse("casework:service_application_create", args=[world.person.pk])
    token = token_in(client.get(url).content.decode(), TOKEN_FIELD)
    from mestring.catalogue.models import Service

    service = Service.all_objects.filter(municipality=world.municipality, is_active=True).first()
    data = {
        "applicant": "personen",
        "received_on": today_text(),
        "services": [service.pk],
        TOKEN_FIELD: token,
    }
    client.post(url, data)
    client.post(url, data)
    assert Case.all_objects.filter(person=world.person).count() == 1


@pytest.mark.attack
@pytest.mark.django_db
def test_the_same_token_returns_the_first_object(world, lead):
    """(M2) The services give back what a token already made: a decision, a changed
    decision, an appeal, a case."""
    token = uuid.uuid4()
    case = apply(lead, world.person, submission_token=token)
    assert apply(lead, world.person, submission_token=token) == case
    first = decide_subject(lead, case, "individuell_plan", submission_token=token)
    assert decide_subject(lead, case, "individuell_plan", submission_token=token) == first
    assert Decision.all_objects.filter(case=case).count() == 1

    make_assessment(lead, world.person)
    service_case = register(lead, world.person, ["hjemmesykepleie"], submission_token=uuid.uuid4())
    decision = decide(lead, service_case, "hjemmesykepleie", submission_token=uuid.uuid4())
    again = uuid.uuid4()
    with activate(world.municipality):
        change = {
            "actor": actor_for(lead),
            "changed_on": timezone.localdate(),
            "reason": "Økt behov.",
            "submission_token": again,
        }
        changed = services.decision_change(decision=decision, **change)
        decision.refresh_from_db()
        assert services.decision_change(decision=decision, **change) == changed
        appeal = {
            "actor": actor_for(lead),
            "received_on": timezone.localdate(),
            "grounds": "For få timer.",
            "submission_token": again,
        }
        first_appeal = services.appeal_register(decision=changed, **appeal)
        assert services.appeal_register(decision=changed, **appeal) == first_appeal
    assert Decision.all_objects.filter(replaces=decision).count() == 1
    assert Appeal.all_objects.filter(decision=changed).count() == 1


@pytest.mark.attack
@pytest.mark.django_db
def test_a_token_is_not_accepted_for_another_case(world, lead):
    """(M2) A token already spent on one case is no key to another case's decision."""
    token = uuid.uuid4()
    case = apply(lead, world.person)
    other = apply(lead, world.person)
    decide_subject(lead, case, "individuell_plan", submission_token=token)
    with pytest.raises(services.CaseworkError, match="allerede brukt"):
        decide_subject(lead, other, "individuell_plan", submission_token=token)


# --- Real races (PostgreSQL: row locks and concurrent connections).


def race(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in `count` threads released at the same moment, each on its own
    database connection; returns what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # the test looks at each outcome
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


needs_postgresql = pytest.mark.skipif(
    not IS_POSTGRESQL,
    reason="needs PostgreSQL (row locks, concurrent writers); set DATABASE_URL=postgres://…",
)

# These need PostgreSQL and skip elsewhere; `engine_independent` keeps them out of CI's
# SQLite pass (where they would only skip), so they run once, in the PostgreSQL pass.
race_marks = [
    pytest.mark.attack,
    needs_postgresql,
    pytest.mark.engine_independent,
    pytest.mark.django_db(transaction=True),
]

WORKERS = 6
ROUNDS = 4


def _with_marks(test: Callable) -> Callable:
    for mark in race_marks:
        test = mark(test)
    return test


@_with_marks
def test_simultaneous_decisions_on_one_subject_make_one():
    """(M2) Several requests decide the same subject of one case at the same moment,
    each with its own form (own token): exactly one decision, the others are refused."""
    world = build_world()
    from tests.casework.helpers import make_lead

    lead = make_lead(world.municipality)
    for _round in range(ROUNDS):
        case = apply(lead, world.person)

        def work(_i: int, case: Case = case) -> Decision:
            return decide_subject(lead, case, "koordinator", submission_token=uuid.uuid4())

        results = race(WORKERS, work)
        made = [r for r in results if isinstance(r, Decision)]
        refused = [r for r in results if isinstance(r, services.CaseworkError)]
        assert len(made) == 1, results
        assert len(refused) == WORKERS - 1, results
        assert Decision.all_objects.filter(case=case).count() == 1


@_with_marks
def test_simultaneous_posts_of_one_decision_form_make_one():
    """(M2) The same decision form sent by several requests at once (double clicks,
    retries): exactly one decision, and every request is answered with it."""
    world = build_world()
    from tests.casework.helpers import make_lead

    lead = make_lead(world.municipality)
    factories.grant_relation(lead, world.person)
    clients = [login(Client(), lead) for _ in range(WORKERS)]
    for _round in range(ROUNDS):
        case = apply(lead, world.person)
        url = reverse("casework:case_detail", args=[world.person.pk, case.pk])
        data = decision_post(case, "koordinator", str(uuid.uuid4()))

        def work(i: int, url: str = url, data: dict = data) -> int:
            return clients[i].post(url, data).status_code

        assert race(WORKERS, work) == [302] * WORKERS
        assert Decision.all_objects.filter(case=case).count() == 1


@_with_marks
def test_simultaneous_service_decisions_make_one():
    """(M2) The same service decided by several requests at once: one decision."""
    world = build_world()
    from tests.casework.helpers import make_lead

    lead = make_lead(world.municipality)
    make_assessment(lead, world.person)
    for _round in range(ROUNDS):
        case = register(lead, world.person, ["hjemmesykepleie"])

        def work(_i: int, case: Case = case) -> Decision:
            return decide(lead, case, "hjemmesykepleie", submission_token=uuid.uuid4())

        results = race(WORKERS, work)
        assert sum(isinstance(r, Decision) for r in results) == 1, results
        assert Decision.all_objects.filter(case=case).count() == 1
