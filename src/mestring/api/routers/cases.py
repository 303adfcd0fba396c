"""Cases and their decisions: a person's cases (filtered), one case, register an
application as the web's «Registrer søknad» and «Registrer søknad om tjenester» do, and a
person's decisions."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from mestring.access.permissions import PERSON_REGISTER
from mestring.api.auth import context, endpoint
from mestring.api.errors import form_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import (
    MAX_ID,
    CaseFilter,
    CaseIn,
    CaseOut,
    CasePage,
    DecisionFilter,
    DecisionPage,
    check_range,
    responses,
)
from mestring.api.schemas_changes import ServiceCaseIn, ServiceCaseOut
from mestring.casework import selectors as case_selectors
from mestring.casework import services as case_services
from mestring.casework.forms import CaseApplicationForm, ServiceApplicationForm
from mestring.casework.models import ApplicationLine, Case, Decision
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person

router = Router(tags=["Saker og vedtak"])


def _cases(person: Person) -> QuerySet[Case]:
    decisions = Decision.objects.select_related("service").order_by("-decided_on", "-pk")
    return (
        Case.objects.filter(person=person)
        .prefetch_related(Prefetch("decisions", queryset=decisions))
        .order_by("-received_on", "-pk")
    )


def decision_out(decision: Decision) -> dict:
    return {
        "id": decision.pk,
        "case_id": decision.case_id,
        "subject": decision.subject,
        "outcome": decision.outcome,
        "state": decision.status,
        "decided_on": decision.decided_on,
        "valid_from": decision.valid_from,
        "valid_to": decision.valid_to,
        "stopped_on": decision.stopped_on,
        "service": decision.service.name if decision.service else None,
        "legal_basis_title": decision.legal_basis_title,
    }


def case_out(case: Case) -> dict:
    return {
        "id": case.pk,
        "person_id": case.person_id,
        "kind": case.kind,
        "status": case.status,
        "received_on": case.received_on,
        "requests_individual_plan": case.requests_individual_plan,
        "requests_coordinator": case.requests_coordinator,
        "decided_on": case.decided_on,
        "closed_on": case.closed_on,
        "decisions": [decision_out(d) for d in case.decisions.all()],
    }


@router.get(
    "/{person_id}/cases/",
    response=responses({200: CasePage}),
    summary="Personens saker med vedtak",
    description=(
        "Nyeste først. Filtre: type (`kind`), status og mottatt-dato fra/til. "
        "Tilgang: `cases:read`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="cases:read", object_type="case", person=True)
def case_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[CaseFilter],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    check_range(filters.received_from, filters.received_to, field="received_to")
    cases = _cases(person)
    if filters.kind is not None:
        cases = cases.filter(kind=filters.kind)
    if filters.status is not None:
        cases = cases.filter(status=filters.status)
    if filters.received_from is not None:
        cases = cases.filter(received_on__gte=filters.received_from)
    if filters.received_to is not None:
        cases = cases.filter(received_on__lte=filters.received_to)
    return page_of(cases, paging, case_out)


@router.get(
    "/{person_id}/cases/{case_id}/",
    response=responses({200: CaseOut}),
    summary="Én sak med vedtak",
    description="Tilgang: `cases:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="cases:read", object_type="case", person=True)
def case_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    case_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return case_out(get_object_or_404(_cases(person), pk=case_id))


# The web's form field → the API's field.
_CASE_FIELDS = {"responsible_unit": "responsible_unit_id", "caseworker": "caseworker_id"}


@router.post(
    "/{person_id}/cases/",
    response=responses({201: CaseOut}),
    summary="Registrer en søknad om individuell plan og/eller koordinator",
    description=(
        "Som «Registrer søknad» i nettløsningen: samme kontroller (mottatt-dato ikke fram i "
        "tid, individuell plan og/eller koordinator), og saken får status mottatt. En valgt "
        "saksbehandler får tilgang til personen mens saken er åpen. Tilgang: `cases:write`, "
        "tillatelsen til å behandle saker, og tjenstlig behov for personen."
    ),
)
@endpoint(
    scope="cases:write",
    object_type="case",
    person=True,
    permission=PERSON_REGISTER,
    action=AuditAction.CREATE,
)
def case_create(
    request: HttpRequest,
    data: CaseIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    form = CaseApplicationForm(
        {
            "received_on": data.received_on,
            "requests_individual_plan": data.requests_individual_plan,
            "requests_coordinator": data.requests_coordinator,
            "responsible_unit": data.responsible_unit_id or "",
            "caseworker": data.caseworker_id or "",
        }
    )
    if not form.is_valid():
        raise form_invalid(form, _CASE_FIELDS)
    case = case_services.case_apply(
        actor=context(request).actor, person=person, **form.cleaned_data
    )
    return Status(201, case_out(get_object_or_404(_cases(person), pk=case.pk)))


# The web's form field → the API's field, for an application for services.
_SERVICE_CASE_FIELDS = {**_CASE_FIELDS, "services": "service_ids", "__all__": "body"}


def service_case_out(case: Case) -> dict:
    """The case with who applied, its caseworker and unit, and the services applied for
    (the same `services` items as the decision work's CaseWorkOut)."""
    decided = {d.service_id for d in case.decisions.all()}
    return {
        **case_out(case),
        "applicant": case.applicant,
        "caseworker_id": case.caseworker_id,
        "responsible_unit_id": case.responsible_unit_id,
        "services": [
            {
                "service_id": line.service_id,
                "service": line.service.name,
                "decided": line.service_id in decided,
            }
            for line in case.lines.all()
        ],
    }


@router.post(
    "/{person_id}/service-cases/",
    response=responses({201: ServiceCaseOut}),
    summary="Registrer en søknad om helse- og omsorgstjenester",
    description=(
        "Som «Registrer søknad om tjenester» i nettløsningen: hvem som søker, mottatt-dato "
        "(ikke fram i tid) og minst én av kommunens tjenester som er i bruk (`service_ids`). "
        "Saken får status mottatt, og en valgt saksbehandler får tilgang til personen mens "
        "saken er åpen. Ugyldige data gir 422 med feltnavnene i API-et. Tilgang: "
        "`cases:write`, tillatelsen til å behandle saker (`person.register`), og tjenstlig "
        "behov for personen."
    ),
)
@endpoint(
    scope="cases:write",
    object_type="case",
    person=True,
    permission=PERSON_REGISTER,
    action=AuditAction.CREATE,
)
def service_case_create(
    request: HttpRequest,
    data: ServiceCaseIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    form = ServiceApplicationForm(
        {
            "applicant": data.applicant,
            "received_on": data.received_on,
            "services": data.service_ids,
            "responsible_unit": data.responsible_unit_id or "",
            "caseworker": data.caseworker_id or "",
        }
    )
    if not form.is_valid():
        raise form_invalid(form, _SERVICE_CASE_FIELDS)
    case = case_services.service_application_register(
        actor=context(request).actor, person=person, **form.cleaned_data
    )
    lines = ApplicationLine.objects.select_related("service").order_by("pk")
    cases = _cases(person).prefetch_related(Prefetch("lines", queryset=lines))
    return Status(201, service_case_out(get_object_or_404(cases, pk=case.pk)))


def _decisions(person: Person, filters: DecisionFilter) -> QuerySet[Decision]:
    check_range(filters.decided_from, filters.decided_to, field="decided_to")
    decisions = case_selectors.person_decisions(person)
    if filters.subject is not None:
        decisions = decisions.filter(subject=filters.subject)
    if filters.state is not None:
        decisions = decisions.filter(status=filters.state)
    if filters.outcome is not None:
        decisions = decisions.filter(outcome=filters.outcome)
    if filters.decided_from is not None:
        decisions = decisions.filter(decided_on__gte=filters.decided_from)
    if filters.decided_to is not None:
        decisions = decisions.filter(decided_on__lte=filters.decided_to)
    return decisions


@router.get(
    "/{person_id}/decisions/",
    response=responses({200: DecisionPage}),
    summary="Personens vedtak",
    description=(
        "Alle vedtakene i personens saker, nyeste først, som på sakssiden i nettløsningen. "
        "Filtre: hva vedtaket gjelder (`subject`), tilstand (`state`), utfall (`outcome`) og "
        "vedtaksdato fra/til. Tilgang: `cases:read`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="cases:read", object_type="decision", person=True)
def decision_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[DecisionFilter],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return page_of(_decisions(person, filters), paging, decision_out)
