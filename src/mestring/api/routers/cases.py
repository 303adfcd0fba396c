"""Cases and their decisions (read)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from mestring.api.auth import endpoint
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import MAX_ID, CaseOut, CasePage, responses
from mestring.casework.models import Case, Decision
from mestring.people.models import Person

router = Router(tags=["Saker og vedtak"])


def _cases(person: Person):
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
        "state": decision.state,
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
    description="Tilgang: `cases:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="cases:read", object_type="case", person=True)
def case_list(
    request: HttpRequest,
    paging: Query[Paging],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return page_of(_cases(person), paging, case_out)


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
