"""Assistive-device loans over the API.

As on the web, a loan is ordered from the person's page (any staff member with a care
relation to the person) and may be cancelled there before delivery; delivery and
return are the store's work (the permission `devices.manage`, the hjelpemiddeltekniker's),
done from the store's lists without a care relation, and those lists show only what a
delivery needs: name, address, phone and the item. Every write calls the web's service.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from mestring.access.permissions import DEVICES_MANAGE
from mestring.api.auth import context, endpoint
from mestring.api.errors import field_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import CLEAN_TEXT, MAX_ID, Day, PastDay, Strict, responses
from mestring.devices.models import Loan
from mestring.devices.selectors import loans as selectors
from mestring.devices.services import loans as loan_services
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person

router = Router(tags=["Hjelpemiddelutlån"])


LoanStatus = Literal["bestilt", "utlant", "returnert"]
ConditionCode = Literal["god", "slitt", "skadet", "mangler_deler"]
OwnerCode = Literal["kommune", "nav"]


# --- Schemas ------------------------------------------------------------------------


class LoanOut(Schema):
    id: int
    person_id: int
    item_id: int
    item_label: str
    device_type: str
    owner: OwnerCode
    status: LoanStatus
    overdue: bool
    ordered_on: datetime.date
    delivered_on: datetime.date | None
    expected_return_on: datetime.date | None
    returned_on: datetime.date | None
    return_condition: ConditionCode | Literal[""]
    decision_id: int | None
    measure_id: int | None
    nav_application_id: int | None
    note: str


class LoanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LoanOut]


class LoanFilters(Schema):
    status: LoanStatus | None = Field(
        None, description="bestilt (ikke levert ut), utlant (levert ut) eller returnert."
    )
    overdue: bool | None = Field(
        None, description="true: levert ut og forventet tilbake før i dag; false: de andre."
    )
    date_from: Day | None = Field(None, description="Bestilt denne datoen eller senere.")
    date_to: Day | None = Field(None, description="Bestilt denne datoen eller tidligere.")


class LoanOrderIn(Strict):
    label: Annotated[str, Field(max_length=60), CLEAN_TEXT] = Field(
        ..., description="Merkelappen (strekkoden) på hjelpemiddelet."
    )
    ordered_on: PastDay
    expected_return_on: Day
    decision_id: int | None = Field(None, ge=1, le=MAX_ID)
    measure_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: Annotated[str, Field(max_length=500), CLEAN_TEXT] = ""


class CancelOut(Schema):
    loan_id: int
    item_label: str
    item_status: str


class StoreLoanOut(Schema):
    """What the store's lists show: who, where, the item and the dates."""

    id: int
    person_name: str
    street_address: str
    postal_code: str
    postal_town: str
    phone: str
    item_label: str
    device_type: str
    owner: OwnerCode
    status: LoanStatus
    ordered_on: datetime.date
    delivered_on: datetime.date | None
    expected_return_on: datetime.date | None
    returned_on: datetime.date | None


class StoreLoanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StoreLoanOut]


class DeliverIn(Strict):
    delivered_on: PastDay


class ReturnIn(Strict):
    returned_on: PastDay
    condition: ConditionCode = Field(
        ..., description="God, slitt, skadet (går til reparasjon) eller mangler deler."
    )
    note: Annotated[str, Field(max_length=500), CLEAN_TEXT] = ""


# --- Conversion ---------------------------------------------------------------------


def _status(loan: Loan) -> str:
    if loan.returned_on is not None:
        return "returnert"
    return "bestilt" if loan.delivered_on is None else "utlant"


def _is_overdue(loan: Loan, today: datetime.date) -> bool:
    return bool(
        loan.delivered_on is not None
        and loan.returned_on is None
        and loan.expected_return_on is not None
        and loan.expected_return_on < today
    )


def loan_out(loan: Loan) -> dict:
    return {
        "id": loan.pk,
        "person_id": loan.person_id,
        "item_id": loan.item_id,
        "item_label": loan.item.label,
        "device_type": loan.item.device_type.name,
        "owner": loan.item.owner,
        "status": _status(loan),
        "overdue": _is_overdue(loan, timezone.localdate()),
        "ordered_on": loan.ordered_on,
        "delivered_on": loan.delivered_on,
        "expected_return_on": loan.expected_return_on,
        "returned_on": loan.returned_on,
        "return_condition": loan.return_condition,
        "decision_id": loan.decision_id,
        "measure_id": loan.measure_id,
        "nav_application_id": loan.nav_application_id,
        "note": loan.note,
    }


def store_loan_out(loan: Loan) -> dict:
    person = loan.person
    return {
        "id": loan.pk,
        "person_name": f"{person.family_name}, {person.given_name}",
        "street_address": person.street_address,
        "postal_code": person.postal_code,
        "postal_town": person.postal_town,
        "phone": person.phone,
        "item_label": loan.item.label,
        "device_type": loan.item.device_type.name,
        "owner": loan.item.owner,
        "status": _status(loan),
        "ordered_on": loan.ordered_on,
        "delivered_on": loan.delivered_on,
        "expected_return_on": loan.expected_return_on,
        "returned_on": loan.returned_on,
    }


def _person_loans(person: Person) -> QuerySet[Loan]:
    return Loan.objects.filter(person=person).select_related("item__device_type")


def _store_loan(loan_id: int) -> Loan:
    return Loan.objects.select_related("item__device_type", "person").get(pk=loan_id)


def _overdue_q(today: datetime.date) -> Q:
    return Q(delivered_on__isnull=False, returned_on__isnull=True, expected_return_on__lt=today)


def _filtered(loans: QuerySet[Loan], filters: LoanFilters) -> QuerySet[Loan]:
    if filters.status == "bestilt":
        loans = loans.filter(delivered_on__isnull=True, returned_on__isnull=True)
    elif filters.status == "utlant":
        loans = loans.filter(delivered_on__isnull=False, returned_on__isnull=True)
    elif filters.status == "returnert":
        loans = loans.filter(returned_on__isnull=False)
    if filters.overdue is not None:
        overdue = _overdue_q(timezone.localdate())
        loans = loans.filter(overdue) if filters.overdue else loans.exclude(overdue)
    if filters.date_from is not None:
        loans = loans.filter(ordered_on__gte=filters.date_from)
    if filters.date_to is not None:
        loans = loans.filter(ordered_on__lte=filters.date_to)
    return loans


# --- A person's loans ---------------------------------------------------------------


@router.get(
    "/persons/{person_id}/loans/",
    response=responses({200: LoanPage}),
    summary="Personens hjelpemiddelutlån",
    description=(
        "Nyeste bestilling først. Filtre: status, forfalt, bestilt fra/til. "
        "Tilgang: `devices:read`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="devices:read", object_type="devices", person=True)
def loan_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[LoanFilters],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    loans = _filtered(_person_loans(person), filters).order_by("-ordered_on", "-pk")
    return page_of(loans, paging, loan_out)


@router.get(
    "/persons/{person_id}/loans/{loan_id}/",
    response=responses({200: LoanOut}),
    summary="Ett utlån",
    description="Tilgang: `devices:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="devices:read", object_type="devices.Loan", person=True)
def loan_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    loan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return loan_out(get_object_or_404(_person_loans(person), pk=loan_id))


@router.post(
    "/persons/{person_id}/loans/",
    response=responses({201: LoanOut}),
    summary="Bestill et utlån av et hjelpemiddel",
    description=(
        "Som «Nytt utlån» på personens side: hjelpemiddelet med merkelappen reserveres og "
        "står på lagerets utleveringsliste. Avvises (409) når det ikke er ledig, eller når "
        "et kommunalt utlån ville vare mer enn to år (et varig behov søkes dekket av NAV). "
        "Tilgang: `devices:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="devices:write", object_type="devices.Loan", person=True, action=AuditAction.CREATE)
def loan_order(
    request: HttpRequest,
    data: LoanOrderIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    # The web's order form checks these before the service does, field by field.
    if not data.label.strip():
        raise field_invalid("label", _("Skann eller skriv merkelappen på hjelpemiddelet."))
    if data.decision_id is not None and data.measure_id is not None:
        raise field_invalid("measure_id", _("Velg enten et vedtak eller et tiltak, ikke begge."))
    if data.expected_return_on < data.ordered_on:
        raise field_invalid(
            "expected_return_on", _("Forventet tilbake kan ikke være før bestillingsdatoen.")
        )
    # The same choices as the form offers: the person's own decisions and measures.
    decision = measure = None
    if data.decision_id is not None:
        decision = (
            selectors.decisions_for(person).select_related("case").filter(pk=data.decision_id)
        ).first()
        if decision is None:
            raise field_invalid("decision_id", _("Velg et av personens vedtak."))
    if data.measure_id is not None:
        measure = (
            selectors.measures_for(person).select_related("plan").filter(pk=data.measure_id)
        ).first()
        if measure is None:
            raise field_invalid("measure_id", _("Velg et tiltak i personens plan."))
    loan = loan_services.loan_order(
        actor=context(request).actor,
        person=person,
        label=data.label,
        ordered_on=data.ordered_on,
        expected_return_on=data.expected_return_on,
        decision=decision,
        measure=measure,
        note=data.note,
    )
    return Status(201, loan_out(_person_loans(person).get(pk=loan.pk)))


@router.post(
    "/persons/{person_id}/loans/{loan_id}/cancel/",
    response=responses({200: CancelOut}),
    summary="Avbestill et utlån som ikke er levert ut",
    description=(
        "Som «Avbestill» på personens side: bestillingen fjernes og hjelpemiddelet blir "
        "ledig igjen. Et utlån som er levert ut gir 409 (registrer retur i stedet). "
        "Tilgang: `devices:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="devices:write", object_type="devices.Loan", person=True, action=AuditAction.UPDATE)
def loan_cancel(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    loan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    loan = get_object_or_404(Loan, pk=loan_id, person=person, returned_on__isnull=True)
    item = loan_services.loan_cancel(actor=context(request).actor, loan=loan)
    return {"loan_id": loan_id, "item_label": item.label, "item_status": item.status}


# --- The store's work ---------------------------------------------------------------


@router.get(
    "/loans/deliveries/",
    response=responses({200: StoreLoanPage}),
    summary="Lagerets utleveringsliste",
    description=(
        "Bestilte utlån som ikke er levert ut, eldste bestilling først, med bare det "
        "utleveringen trenger (navn, adresse, telefon, hjelpemiddel), som i nettløsningen. "
        "Tilgang: `devices:read` og tillatelsen til å drive hjelpemiddellageret."
    ),
)
@endpoint(scope="devices:read", object_type="devices.deliveries", permission=DEVICES_MANAGE)
def deliveries(request: HttpRequest, paging: Query[Paging]) -> dict:
    return page_of(selectors.deliveries(), paging, store_loan_out)


@router.get(
    "/loans/overdue/",
    response=responses({200: StoreLoanPage}),
    summary="Forfalte utlån",
    description=(
        "Utlån som er levert ut og skulle vært tilbake før i dag, som i nettløsningen. "
        "Tilgang: `devices:read` og tillatelsen til å drive hjelpemiddellageret."
    ),
)
@endpoint(scope="devices:read", object_type="devices.overdue", permission=DEVICES_MANAGE)
def overdue(request: HttpRequest, paging: Query[Paging]) -> dict:
    return page_of(selectors.overdue(timezone.localdate()), paging, store_loan_out)


@router.post(
    "/loans/{loan_id}/deliver/",
    response=responses({200: StoreLoanOut}),
    summary="Registrer at hjelpemiddelet er levert ut",
    description=(
        "Som «Levert» på utleveringslisten: datoen kan ikke være før bestillingen eller "
        "fram i tid; et utlån som alt er levert ut eller avsluttet gir 409. "
        "Tilgang: `devices:write` og tillatelsen til å drive hjelpemiddellageret."
    ),
)
@endpoint(scope="devices:write", object_type="devices.Loan", permission=DEVICES_MANAGE)
def loan_deliver(
    request: HttpRequest,
    data: DeliverIn,
    loan_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict:
    loan = get_object_or_404(Loan, pk=loan_id)
    loan_services.loan_deliver(
        actor=context(request).actor, loan=loan, delivered_on=data.delivered_on
    )
    return store_loan_out(_store_loan(loan_id))


@router.post(
    "/loans/{loan_id}/return/",
    response=responses({200: StoreLoanOut}),
    summary="Registrer at hjelpemiddelet er levert tilbake",
    description=(
        "Som returen på lageret: tilstanden avgjør hvor hjelpemiddelet går videre "
        "(skadet: til reparasjon, ellers i køen for rengjøring). Et utlån som ikke er levert "
        "ut eller alt er avsluttet gir 409. "
        "Tilgang: `devices:write` og tillatelsen til å drive hjelpemiddellageret."
    ),
)
@endpoint(scope="devices:write", object_type="devices.Loan", permission=DEVICES_MANAGE)
def loan_return(
    request: HttpRequest,
    data: ReturnIn,
    loan_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict:
    loan = get_object_or_404(Loan, pk=loan_id)
    loan_services.loan_return(
        actor=context(request).actor,
        loan=loan,
        returned_on=data.returned_on,
        condition=data.condition,
        note=data.note,
    )
    return store_loan_out(_store_loan(loan_id))
