"""A refusal of the domain answers the same through the web and the API.

The services raise the kernel's typed errors; the API has one handler that answers
`http_status` with the message, and the web shows the same message. For each app with
an API, one rule is sent both ways: the same Norwegian sentence, and the API's status is
the error class's.
"""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.testing import TestClient

from mestring.api import errors as api_errors
from mestring.casework.services import CaseworkError
from mestring.devices.services.loans import LoanStateConflict
from mestring.institutions.services import InstitutionError
from mestring.kernel.errors import Conflict, DomainError, NotAllowed, NotFound, RuleBroken
from mestring.kernel.states import TransitionNotAllowed
from mestring.outcomes.scoring import ScoringError
from mestring.plans.services import PlanRuleError
from mestring.referrals.services import ReferralFinished
from mestring.rehab.services import EpisodeStateConflict
from mestring.teams.services import TeamRuleError
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.casework.helpers import apply
from tests.conftest import make_staff
from tests.devices.loan_helpers import make_item, order
from tests.institutions.helpers import admit, make_unit
from tests.plans.helpers import make_plan
from tests.referrals.helpers import make_referral
from tests.rehab.helpers import refer
from tests.teams.helpers import add_provider, make_coordinator, make_group, make_provider

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _api(client, url: str, raw: str, payload: dict, method: str = "post"):
    return getattr(client, method)(url, data=payload, content_type=JSON, **bearer(raw))


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _same_answer(web, api, error: type[DomainError], message: str) -> None:
    """The web page shows the message (the form again, not an error page); the API says
    it with the error class's status."""
    assert web.status_code == 200, web.status_code
    assert message in _page(web)
    assert (api.status_code, api.json()["detail"]) == (error.http_status, message)


# --- The handler


ERRORS = [
    (DomainError, 400),
    (NotFound, 404),
    (NotAllowed, 403),
    (Conflict, 409),
    (RuleBroken, 422),
    (TransitionNotAllowed, 409),
    (api_errors.ApiError, 400),
    (api_errors.ScopeMissing, 403),
    (api_errors.InvalidInput, 422),
]


@pytest.fixture(scope="module")
def raising_api() -> TestClient:
    """An API with the project's error handlers and one endpoint that raises the error
    class it is told to."""
    api = NinjaAPI(urls_namespace="domain-errors-test")
    api_errors.install(api)
    by_name = {cls.__name__: cls for cls, _status in ERRORS}

    @api.get("/raise/{name}")
    def raise_it(request, name: str, field: str = "") -> dict:
        cls = by_name[name]
        if issubclass(cls, api_errors.ApiError):
            raise cls("Nei.")
        raise cls("Nei.", field=field)

    return TestClient(api)


@pytest.mark.parametrize(("error", "status"), ERRORS, ids=[cls.__name__ for cls, _ in ERRORS])
def test_the_handler_answers_each_kernel_class_with_its_status(raising_api, error, status):
    response = raising_api.get(f"/raise/{error.__name__}")
    assert error.http_status == status
    assert response.status_code == status
    assert response.json() == {"detail": "Nei.", "errors": []}


def test_an_error_about_a_field_names_it(raising_api):
    response = raising_api.get("/raise/RuleBroken?field=ended_on")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Nei.",
        "errors": [{"field": "ended_on", "message": "Nei."}],
    }


def test_app_errors_are_kernel_errors():
    for error, kernel in [
        (CaseworkError, RuleBroken),
        (PlanRuleError, RuleBroken),
        (TeamRuleError, RuleBroken),
        (InstitutionError, RuleBroken),
        (ScoringError, RuleBroken),
        (ReferralFinished, Conflict),
        (EpisodeStateConflict, Conflict),
        (LoanStateConflict, Conflict),
    ]:
        assert issubclass(error, kernel), error
    # A state conflict is still caught where the app's rule errors are caught.
    assert issubclass(ReferralFinished, RuleBroken) and ReferralFinished.http_status == 409


# --- One rule per app, through the web and the API


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _text(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def test_casework_provisional_reply_before_the_case(world, client, client_for):
    factories.grant_relation(world.caseworker, world.person)
    case = apply(world.caseworker, world.person, received_on=_days_ago(35))
    message = "Foreløpig svar kan ikke være sendt før saken ble mottatt."
    web = client_for(world.caseworker).post(
        reverse("casework:case_detail", args=[world.person.pk, case.pk]),
        {"handling": "svar", "svar-sent_on": _text(_days_ago(36))},
    )
    api = _api(
        client,
        f"/api/persons/{world.person.pk}/cases/{case.pk}/provisional-reply/",
        make_token(world.caseworker, ["cases:write"]),
        {"sent_on": _days_ago(36).isoformat()},
    )
    _same_answer(web, api, CaseworkError, message)


def test_referral_triage_of_a_finished_message(world, client, client_for):
    referral = make_referral(world.person, status="avsluttet")
    message = "Meldingen er ferdig behandlet (Avsluttet) og kan ikke vurderes på nytt."
    web = client_for(world.owner).post(
        reverse("referrals:detail", args=[world.person.pk, referral.pk]),
        {
            "action": "triage",
            "triage-pyramid_level": "4",
            "triage-competence": "2",
            "triage-complexity": "2",
            "triage-intensity": "2",
            "triage-care_place": "",
        },
    )
    api = _api(
        client,
        f"/api/persons/{world.person.pk}/referrals/{referral.pk}/triage/",
        make_token(world.owner, ["referrals:write"]),
        {"pyramid_level": 4, "competence": 2, "complexity": 2, "intensity": 2},
    )
    _same_answer(web, api, ReferralFinished, message)


def test_plan_measure_without_anyone_responsible(world, client, client_for):
    plan = make_plan(world)
    message = "Velg hvem som er ansvarlig for tiltaket: en enhet, en ansatt eller andre."
    web = client_for(world.owner).post(
        reverse("plans:measure_add", args=[world.person.pk, plan.pk]),
        {"version": str(plan.version), "title": "Hjemmetrening"},
    )
    api = _api(
        client,
        f"/api/persons/{world.person.pk}/plans/{plan.pk}/measures/",
        make_token(world.owner, ["plans:write"]),
        {"title": "Hjemmetrening"},
    )
    _same_answer(web, api, PlanRuleError, message)


def test_teams_membership_ended_before_it_started(world, client, client_for):
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    member = add_provider(world, group, make_provider(world))
    message = "Sluttdatoen kan ikke være før medlemskapet startet."
    web = client_for(world.owner).post(
        reverse("teams:member_end", args=[world.person.pk, member.pk]),
        {"ended_on": "04.01.2026"},
    )
    api = _api(
        client,
        f"/api/persons/{world.person.pk}/groups/{group.pk}/members/{member.pk}/end/",
        make_token(world.owner, ["teams:write"]),
        {"ended_on": "2026-01-04"},
    )
    _same_answer(web, api, TeamRuleError, message)


def test_rehab_visit_before_the_episode_started(world, client, client_for):
    episode = refer(world.owner, world.person)
    message = "Forløpet må være startet før besøk kan registreres."
    web = client_for(world.owner).post(
        reverse("rehab:visit_create", args=[world.person.pk, episode.pk]),
        {"visited_on": "05.03.2026", "staff": world.owner.pk, "minutes": "30"},
    )
    api = _api(
        client,
        f"/api/persons/{world.person.pk}/episodes/{episode.pk}/visits/",
        make_token(world.owner, ["rehab:write"]),
        {"visited_on": "2026-03-05", "minutes": 30},
    )
    _same_answer(web, api, EpisodeStateConflict, message)


def test_devices_return_of_a_loan_not_delivered(world, client, client_for):
    # Ordering from the web picks a type (a busy item is not an error there: the order
    # waits), so the store's return of a loan not yet delivered shows the conflict.
    make_item(world.municipality, "HM-1")
    technician = make_staff(world.municipality, "hjelpemiddeltekniker", "tekniker")
    loan = order(world.owner, world.person, "HM-1", on=_days_ago(1))
    message = "Hjelpemiddelet er ikke levert ut ennå, og kan ikke leveres tilbake."
    today = _days_ago(0)
    web = client_for(technician).post(
        reverse("devices:return_scan"),
        {"loan": loan.pk, "returned_on": _text(today), "condition": "god", "note": ""},
    )
    api = _api(
        client,
        f"/api/loans/{loan.pk}/return/",
        make_token(technician, ["devices:write"]),
        {"returned_on": today.isoformat(), "condition": "god"},
    )
    _same_answer(web, api, LoanStateConflict, message)


def test_institutions_discharge_before_admission(world, client, client_for):
    stay = admit(world.owner, world.person, make_unit(world.municipality), on=_days_ago(10))
    web = client_for(world.owner).post(
        reverse("institutions:stay_detail", args=[world.person.pk, stay.pk]),
        {"discharged_on": _text(_days_ago(11)), "discharged_to": "hjem"},
    )
    api = _api(
        client,
        f"/api/persons/{world.person.pk}/stays/{stay.pk}/discharge/",
        make_token(world.owner, ["stays:write"]),
        {"discharged_on": _days_ago(11).isoformat(), "discharged_to": "hjem"},
    )
    message = api.json()["detail"]
    assert message.startswith("Utskrivningsdatoen kan ikke være før innleggelsen")
    _same_answer(web, api, InstitutionError, message)


def test_outcomes_sppb_with_both_times_and_points(world, client, client_for):
    message = "Skriv enten tider eller poeng for balanse, ikke begge."
    web = client_for(world.owner).post(
        reverse("outcomes:observation_create", args=[world.person.pk, "sppb"]),
        {
            "observed_on": "02.03.2026",
            "time_point": "start",
            "episode": "",
            "version": "",
            "balance": "2",
            "side_by_side_s": "10",
            "gait": "1",
            "chair": "1",
        },
    )
    api = _api(
        client,
        f"/api/persons/{world.person.pk}/observations/sppb/",
        make_token(world.owner, ["outcomes:write"]),
        {
            "observed_on": "2026-03-02",
            "time_point": "start",
            "balance": 2,
            "side_by_side_s": 10,
            "gait": 1,
            "chair": 1,
        },
    )
    _same_answer(web, api, ScoringError, message)
