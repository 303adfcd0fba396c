"""The decision work of the case page: provisional reply, caseworker, assessment,
decisions on individual plan and coordinator and on services, the letter, closing the
case, changing and stopping a decision, and appeals.

Each write validates with the web's form (422 with the form's messages under the API's
field names) and calls the same service, which writes the audit rows and refuses what
the case's state does not allow (409) or a rule does not allow (422), with the message
the web shows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, cast

from django import forms
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from mestring.access.actor import Actor
from mestring.access.permissions import PERSON_REGISTER
from mestring.api.auth import context, endpoint
from mestring.api.errors import field_invalid, form_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.routers.cases import _cases, case_out, decision_out
from mestring.api.schemas import (
    CLEAN_TEXT,
    MAX_ID,
    CaseOut,
    Day,
    DecisionOut,
    Strict,
    responses,
)
from mestring.casework import services as case_services
from mestring.casework.forms import (
    SUGGESTED_LEGAL_BASIS,
    AppealForm,
    AppealOutcomeForm,
    AssignForm,
    CloseForm,
    DecisionChangeForm,
    DecisionForm,
    DecisionStopForm,
    LetterSentForm,
    ProvisionalReplyForm,
    ServiceDecisionForm,
)
from mestring.casework.models import (
    Appeal,
    AppealStatus,
    ApplicationLine,
    Case,
    CaseKind,
    CaseStatus,
    Decision,
    DecisionSubject,
    LegalBasis,
)
from mestring.catalogue.models import Service
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person

router = Router(tags=["Saker og vedtak"])

# Same permission as the web's case page for every write (casework.views.CASEWORK_PERMISSION).
CASEWORK_PERMISSION = PERSON_REGISTER
ACCESS_WRITE = (
    "Tilgang: `cases:write`, tillatelsen til å behandle saker (`person.register`), "
    "og tjenstlig behov for personen."
)
ACCESS_READ = "Tilgang: `cases:read`, og tjenstlig behov for personen."
# The same bound as the database column (PositiveIntegerField).
MAX_DAYS = 2**31 - 1

DecisionOutcomeCode = Literal["innvilget", "delvis", "avslag"]
AppealStatusCode = Literal["mottatt", "omgjort", "oversendt", "stadfestet", "opphevet", "trukket"]
AppealTargetCode = Literal["omgjort", "oversendt", "stadfestet", "opphevet", "trukket"]


# --- Schemas


class DecisionWorkOut(DecisionOut):
    service_id: int | None
    reasons: str
    hours_per_week: float | None = Field(..., description="Timer per uke (tjenestevedtak).")
    days: int | None = Field(..., description="Antall døgn (opphold og avlastning).")
    letter_sent_on: datetime.date | None
    appeal_deadline: datetime.date = Field(
        ..., description="Klagefristen: tre uker fra brevet ble sendt (ellers vedtaksdatoen)."
    )
    replaces_id: int | None = Field(..., description="Vedtaket dette vedtaket erstatter.")


class AppliedServiceOut(Schema):
    service_id: int
    service: str
    decided: bool


class CaseWorkOut(CaseOut):
    caseworker_id: int | None
    responsible_unit_id: int | None
    provisional_reply_sent_on: datetime.date | None
    provisional_reply_expected_by: datetime.date | None
    services: list[AppliedServiceOut] = Field(
        ..., description="Tjenestene det søkes om (saker om helse- og omsorgstjenester)."
    )
    # Narrows CaseOut's list to the richer rows: pydantic takes the override, mypy
    # sees an invariant list.
    decisions: list[DecisionWorkOut]  # type: ignore[assignment]  # narrowed field


class AppealOut(Schema):
    id: int
    decision_id: int
    received_on: datetime.date
    grounds: str
    status: AppealStatusCode
    is_open: bool
    sent_on: datetime.date | None
    outcome_on: datetime.date | None
    outcome_note: str


class AppealPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AppealOut]


class ProvisionalReplyIn(Strict):
    sent_on: Day = Field(..., description="Dagen det foreløpige svaret ble sendt.")
    expected_by: Day | None = Field(None, description="Når svar kan ventes, om mulig.")


class AssignIn(Strict):
    caseworker_id: int = Field(..., ge=1, le=MAX_ID, description="Den nye saksbehandleren.")


class CloseIn(Strict):
    reason: Annotated[str, Field(max_length=500), CLEAN_TEXT] = Field(
        "", description="Må fylles ut når saken avsluttes uten vedtak."
    )


_LEGAL_BASIS_HELP = "Hjemmelen. Utelatt: kommunens forslag for denne typen vedtak, som i skjemaet."


class DecisionIn(Strict):
    """As the web's decision form for individual plan or coordinator."""

    subject: Literal["individuell_plan", "koordinator"]
    outcome: DecisionOutcomeCode
    reasons: Annotated[str, Field(max_length=8000), CLEAN_TEXT]
    legal_basis_id: int | None = Field(None, ge=1, le=MAX_ID, description=_LEGAL_BASIS_HELP)
    decided_on: Day
    valid_from: Day | None = None
    valid_to: Day | None = None


def _hours() -> Any:
    return Field(
        None,
        ge=0,
        le=168,
        allow_inf_nan=False,
        description="Timer per uke, høyst én desimal (for eksempel 7.5).",
    )


def _days() -> Any:
    return Field(None, ge=1, le=MAX_DAYS, description="Antall døgn (opphold og avlastning).")


class ServiceDecisionIn(Strict):
    """As the web's decision form for one service applied for."""

    service_id: int = Field(..., ge=1, le=MAX_ID, description="En tjeneste saken gjelder.")
    outcome: DecisionOutcomeCode
    hours_per_week: float | None = _hours()
    days: int | None = _days()
    valid_from: Day | None = Field(None, description="Må fylles ut unntatt ved avslag.")
    valid_to: Day | None = None
    reasons: Annotated[str, Field(max_length=8000), CLEAN_TEXT]
    legal_basis_id: int | None = Field(None, ge=1, le=MAX_ID, description=_LEGAL_BASIS_HELP)
    decided_on: Day


class LetterSentIn(Strict):
    sent_on: Day = Field(..., description="Dagen brevet ble sendt; klagefristen løper herfra.")


class DecisionChangeIn(Strict):
    """As the web's change form, which starts from the decision's values: a field left
    out keeps the decision's value; null clears an optional one (hours, days, dates)."""

    changed_on: Day = Field(..., description="Endret fra (vedtaksdatoen for det nye vedtaket).")
    reason: Annotated[str, Field(max_length=500), CLEAN_TEXT] = Field(
        ..., description="Hvorfor vedtaket endres."
    )
    outcome: DecisionOutcomeCode | None = None
    hours_per_week: float | None = _hours()
    days: int | None = _days()
    valid_from: Day | None = None
    valid_to: Day | None = None
    reasons: Annotated[str, Field(max_length=8000), CLEAN_TEXT] | None = None
    legal_basis_id: int | None = Field(None, ge=1, le=MAX_ID)


class DecisionStopIn(Strict):
    stopped_on: Day = Field(..., description="Stanses fra denne dagen (kan ligge fram i tid).")
    reason: Annotated[str, Field(max_length=500), CLEAN_TEXT] = Field(
        ..., description="Hvorfor vedtaket stanses."
    )


class AppealIn(Strict):
    received_on: Day
    grounds: Annotated[str, Field(max_length=5000), CLEAN_TEXT] = Field(
        ..., description="Hva klagen gjelder."
    )


class AppealStatusIn(Strict):
    to_status: AppealTargetCode = Field(
        ...,
        description=(
            "Fra mottatt: omgjort, oversendt eller trukket. Fra oversendt: stadfestet, "
            "opphevet eller trukket."
        ),
    )
    on: Day = Field(..., description="Dagen klagen ble sendt videre eller avgjort.")
    note: Annotated[str, Field(max_length=3000), CLEAN_TEXT] = Field(
        "", description="Utfallet. Må fylles ut når vedtaket omgjøres eller oppheves."
    )


# --- Output


def decision_work_out(decision: Decision) -> dict:
    return {
        **decision_out(decision),
        "service_id": decision.service_id,
        "reasons": decision.reasons,
        "hours_per_week": (
            float(decision.hours_per_week) if decision.hours_per_week is not None else None
        ),
        "days": decision.days,
        "letter_sent_on": decision.letter_sent_on,
        "appeal_deadline": decision.appeal_deadline,
        "replaces_id": decision.replaces_id,
    }


def case_work_out(case: Case) -> dict:
    decisions = list(case.decisions.all())
    decided = {d.service_id for d in decisions}
    return {
        **case_out(case),
        "caseworker_id": case.caseworker_id,
        "responsible_unit_id": case.responsible_unit_id,
        "provisional_reply_sent_on": case.provisional_reply_sent_on,
        "provisional_reply_expected_by": case.provisional_reply_expected_by,
        "services": [
            {
                "service_id": line.service_id,
                "service": line.service.name,
                "decided": line.service_id in decided,
            }
            for line in case.lines.all()
        ],
        "decisions": [decision_work_out(d) for d in decisions],
    }


def appeal_out(appeal: Appeal) -> dict:
    return {
        "id": appeal.pk,
        "decision_id": appeal.decision_id,
        "received_on": appeal.received_on,
        "grounds": appeal.grounds,
        "status": appeal.status,
        "is_open": appeal.is_open,
        "sent_on": appeal.sent_on,
        "outcome_on": appeal.outcome_on,
        "outcome_note": appeal.outcome_note,
    }


# --- Lookups and errors


def _case_rows(person: Person) -> QuerySet[Case]:
    lines = ApplicationLine.objects.select_related("service").order_by("pk")
    return _cases(person).prefetch_related(Prefetch("lines", queryset=lines))


def _case(person: Person, case_id: int) -> Case:
    """One of the person's cases (another person's or municipality's id is a 404)."""
    return get_object_or_404(
        Case.objects.select_related("person", "caseworker"), pk=case_id, person=person
    )


def _case_answer(person: Person, case: Case) -> dict:
    return case_work_out(get_object_or_404(_case_rows(person), pk=case.pk))


def _decision(person: Person, decision_id: int) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("case__person", "service", "legal_basis"),
        pk=decision_id,
        case__person=person,
    )


def _decision_answer(decision: Decision) -> dict:
    return decision_work_out(
        Decision.objects.select_related("service").get(pk=decision.pk),
    )


def _validated(form: forms.Form, names: dict[str, str] | None = None) -> dict[str, Any]:
    if not form.is_valid():
        raise form_invalid(form, names)
    return form.cleaned_data


def _legal_basis_default(code: str, chosen: int | None) -> int | str:
    if chosen is not None:
        return chosen
    suggested = LegalBasis.objects.filter(code=code, is_active=True).first()
    return suggested.pk if suggested is not None else ""


def _decimal(value: float | None) -> Decimal | str:
    return Decimal(str(value)) if value is not None else ""


def _blank(value: object) -> object:
    return "" if value is None else value


_DECISION_FIELDS = {"legal_basis": "legal_basis_id"}


def _actor(request: HttpRequest) -> Actor:
    return context(request).actor


# --- The case


@router.post(
    "/{person_id}/cases/{case_id}/provisional-reply/",
    response=responses({200: CaseWorkOut}),
    summary="Registrer foreløpig svar i en sak",
    description=(
        "Som «Foreløpig svar» på sakssiden (forvaltningsloven § 11 a): dagen svaret ble sendt "
        "(ikke fram i tid, ikke før saken ble mottatt) og, om mulig, når svar kan ventes. "
        "Bare i saker som ikke er avgjort og ennå ikke har foreløpig svar (ellers 409). "
        + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="case",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def case_provisional_reply(
    request: HttpRequest,
    data: ProvisionalReplyIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    case_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    case = _case(person, case_id)
    cleaned = _validated(
        ProvisionalReplyForm({"sent_on": data.sent_on, "expected_by": _blank(data.expected_by)})
    )
    case_services.case_record_provisional_reply(
        actor=_actor(request),
        case=case,
        sent_on=cleaned["sent_on"],
        expected_by=cleaned["expected_by"],
    )
    return _case_answer(person, case)


@router.post(
    "/{person_id}/cases/{case_id}/caseworker/",
    response=responses({200: CaseWorkOut}),
    summary="Gi saken ny saksbehandler",
    description=(
        "Som «Ny saksbehandler» på sakssiden: en aktiv ansatt i kommunen. Tilgangen til "
        "personen følger saken. Ikke i avsluttede saker (409). " + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="case",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def case_assign(
    request: HttpRequest,
    data: AssignIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    case_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    case = _case(person, case_id)
    cleaned = _validated(
        AssignForm({"caseworker": data.caseworker_id}), {"caseworker": "caseworker_id"}
    )
    case_services.case_assign(actor=_actor(request), case=case, caseworker=cleaned["caseworker"])
    return _case_answer(person, case)


@router.post(
    "/{person_id}/cases/{case_id}/assessment/",
    response=responses({200: CaseWorkOut}),
    summary="Start utredning eller kartlegging i en sak",
    description=(
        "Som knappen på sakssiden: en sak om individuell plan og/eller koordinator settes under "
        "utredning, en sak om helse- og omsorgstjenester får kartleggingen startet. Bare i "
        "saker med status mottatt (ellers 409). Ingen innhold i forespørselen. " + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="case",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def case_start_assessment(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    case_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    case = _case(person, case_id)
    actor = _actor(request)
    if case.kind == CaseKind.SERVICE:
        case_services.case_start_assessment(actor=actor, case=case)
    else:
        case_services.case_transition(actor=actor, case=case, to_status=CaseStatus.ASSESSING)
    return _case_answer(person, case)


@router.post(
    "/{person_id}/cases/{case_id}/decisions/",
    response=responses({201: DecisionWorkOut}),
    summary="Fatt vedtak om individuell plan eller koordinator",
    description=(
        "Som vedtaksskjemaet på sakssiden: resultat, begrunnelse, hjemmel, vedtaksdato (ikke "
        "fram i tid, ikke før saken ble mottatt) og eventuelt gyldighet. Bare for det saken "
        "søker om (ellers 422 på `subject`) og bare ett vedtak per type (ellers 409); ikke i "
        "avsluttede saker eller saker om tjenester (409). Når alt saken søker om er avgjort, "
        "får saken status vedtak fattet. Husk å registrere vedtaksbrevet som sendt. " + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="decision",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def decision_make(
    request: HttpRequest,
    data: DecisionIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    case_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    case = _case(person, case_id)
    form = DecisionForm(
        {
            "outcome": data.outcome,
            "reasons": data.reasons,
            "legal_basis": _legal_basis_default(
                SUGGESTED_LEGAL_BASIS[DecisionSubject(data.subject)], data.legal_basis_id
            ),
            "decided_on": data.decided_on,
            "valid_from": _blank(data.valid_from),
            "valid_to": _blank(data.valid_to),
        },
        subject=data.subject,
        prefix=None,
    )
    cleaned = _validated(form, _DECISION_FIELDS)
    decision = case_services.decision_make(
        actor=_actor(request), case=case, subject=data.subject, **cleaned
    )
    return Status(201, _decision_answer(decision))


@router.post(
    "/{person_id}/cases/{case_id}/service-decisions/",
    response=responses({201: DecisionWorkOut}),
    summary="Fatt vedtak om en tjeneste i en søknad om helse- og omsorgstjenester",
    description=(
        "Som tjenesteskjemaet på sakssiden: resultat, omfang (timer per uke eller antall døgn; "
        "ikke ved avslag), gjelder fra/til, begrunnelse, hjemmel og vedtaksdato. Bare for en "
        "tjeneste saken søker om (ellers 422 på `service_id`) som ikke er avgjort (ellers 409). "
        "Tjenester som rapporteres nasjonalt krever en fullført kartlegging senest på "
        "vedtaksdatoen (ellers 422). Når alle tjenestene er avgjort, får saken status vedtak "
        "fattet. " + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="decision",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def service_decision_make(
    request: HttpRequest,
    data: ServiceDecisionIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    case_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    case = _case(person, case_id)
    # The id names a service of the catalogue; whether the case applies for it, and is
    # still open for a decision on it, is the service's rule.
    service = Service.objects.filter(pk=data.service_id).first()
    if service is None:
        raise field_invalid("service_id", _("Saken gjelder ikke søknad om denne tjenesten."))
    form = ServiceDecisionForm(
        {
            "outcome": data.outcome,
            "hours_per_week": _decimal(data.hours_per_week),
            "days": _blank(data.days),
            "valid_from": _blank(data.valid_from),
            "valid_to": _blank(data.valid_to),
            "reasons": data.reasons,
            "legal_basis": _legal_basis_default("tjenester", data.legal_basis_id),
            "decided_on": data.decided_on,
        },
        service=service,
        prefix=None,
    )
    cleaned = _validated(form, _DECISION_FIELDS)
    decision = case_services.service_decision_make(
        actor=_actor(request), case=case, service=service, **cleaned
    )
    return Status(201, _decision_answer(decision))


@router.post(
    "/{person_id}/cases/{case_id}/close/",
    response=responses({200: CaseWorkOut}),
    summary="Avslutt en sak",
    description=(
        "Som «Avslutt saken» på sakssiden. Uten vedtak (for eksempel trukket søknad) må "
        "begrunnelsen fylles ut (422). Saksbehandlerens tilgang til personen avsluttes med "
        "saken. En avsluttet sak gir 409. " + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="case",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def case_close(
    request: HttpRequest,
    data: CloseIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    case_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    case = _case(person, case_id)
    cleaned = _validated(CloseForm({"reason": data.reason}))
    case_services.case_close(actor=_actor(request), case=case, reason=cleaned["reason"])
    return _case_answer(person, case)


# --- One decision


@router.post(
    "/{person_id}/decisions/{decision_id}/letter-sent/",
    response=responses({200: DecisionWorkOut}),
    summary="Registrer vedtaksbrevet som sendt",
    description=(
        "Som på vedtakssiden: dagen brevet ble sendt (ikke fram i tid, ikke før vedtaket ble "
        "fattet). Klagefristen løper fra denne dagen. Et brev som alt er registrert, gir 409. "
        + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="decision",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def decision_letter_sent(
    request: HttpRequest,
    data: LetterSentIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    decision_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    decision = _decision(person, decision_id)
    cleaned = _validated(LetterSentForm({"sent_on": data.sent_on}))
    case_services.decision_mark_letter_sent(
        actor=_actor(request), decision=decision, sent_on=cleaned["sent_on"]
    )
    return _decision_answer(decision)


@router.post(
    "/{person_id}/decisions/{decision_id}/change/",
    response=responses({201: DecisionWorkOut}),
    summary="Endre et tjenestevedtak",
    description=(
        "Som «Endre vedtaket» på sakssiden: et nytt vedtak erstatter det gjeldende, som blir "
        "stående som historikk (tilstand endret). Felt som utelates, beholder vedtakets verdi; "
        "null tømmer timer, døgn og datoer. Samme kontroller som et nytt tjenestevedtak. Bare "
        "gjeldende vedtak om tjenester (ellers 409). Svaret er det nye vedtaket. " + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="decision",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def decision_change(
    request: HttpRequest,
    data: DecisionChangeIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    decision_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    decision = _decision(person, decision_id)
    sent = data.model_fields_set

    def value(name: str, old: object) -> object:
        return getattr(data, name) if name in sent else old

    hours = value("hours_per_week", decision.hours_per_week)
    if isinstance(hours, float):
        hours = Decimal(str(hours))
    form = DecisionChangeForm(
        {
            "changed_on": data.changed_on,
            "reason": data.reason,
            "outcome": _blank(value("outcome", decision.outcome)),
            "hours_per_week": _blank(hours),
            "days": _blank(value("days", decision.days)),
            "valid_from": _blank(value("valid_from", decision.valid_from)),
            "valid_to": _blank(value("valid_to", decision.valid_to)),
            "reasons": _blank(value("reasons", decision.reasons)),
            "legal_basis": _blank(value("legal_basis_id", decision.legal_basis_id)),
        },
        decision=decision,
        prefix=None,
    )
    cleaned = _validated(form, _DECISION_FIELDS)
    new = case_services.decision_change(actor=_actor(request), decision=decision, **cleaned)
    return Status(201, _decision_answer(new))


@router.post(
    "/{person_id}/decisions/{decision_id}/stop/",
    response=responses({200: DecisionWorkOut}),
    summary="Stans et tjenestevedtak",
    description=(
        "Som «Stans vedtaket» på sakssiden: fra en dag (som kan ligge fram i tid, ikke før "
        "vedtaket ble fattet) og hvorfor. Tildelinger av tjenesten avsluttes den dagen. Bare "
        "gjeldende vedtak om tjenester (ellers 409). " + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="decision",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def decision_stop(
    request: HttpRequest,
    data: DecisionStopIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    decision_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    decision = _decision(person, decision_id)
    cleaned = _validated(DecisionStopForm({"stopped_on": data.stopped_on, "reason": data.reason}))
    case_services.decision_stop(actor=_actor(request), decision=decision, **cleaned)
    return _decision_answer(decision)


# --- Appeals


@router.get(
    "/{person_id}/decisions/{decision_id}/appeals/",
    response=responses({200: AppealPage}),
    summary="Klagene på et vedtak",
    description="Nyeste først, som på sakssiden. " + ACCESS_READ,
)
@endpoint(scope="cases:read", object_type="appeal", person=True)
def appeal_list(
    request: HttpRequest,
    paging: Query[Paging],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    decision_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    decision = _decision(person, decision_id)
    appeals = Appeal.objects.filter(decision=decision).order_by("-received_on", "-pk")
    return page_of(appeals, paging, appeal_out)


@router.post(
    "/{person_id}/decisions/{decision_id}/appeals/",
    response=responses({201: AppealOut}),
    summary="Registrer en klage på et tjenestevedtak",
    description=(
        "Som «Registrer klage» på sakssiden: dagen klagen kom (ikke fram i tid, ikke før "
        "vedtaket ble fattet) og hva den gjelder. En klage etter fristen registreres også. "
        "Bare på vedtak om tjenester uten en åpen klage (ellers 409). " + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="appeal",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def appeal_register(
    request: HttpRequest,
    data: AppealIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    decision_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    decision = _decision(person, decision_id)
    cleaned = _validated(AppealForm({"received_on": data.received_on, "grounds": data.grounds}))
    appeal = case_services.appeal_register(actor=_actor(request), decision=decision, **cleaned)
    return Status(201, appeal_out(appeal))


@router.post(
    "/{person_id}/decisions/{decision_id}/appeals/{appeal_id}/status/",
    response=responses({200: AppealOut}),
    summary="Flytt en klage videre",
    description=(
        "Som klageskjemaet på sakssiden: omgjort av kommunen, sendt til Statsforvalteren, "
        "stadfestet, endret/opphevet eller trukket, med dato (ikke fram i tid, ikke før klagen "
        "ble mottatt eller sendt). Omgjort og opphevet krever utfallet (`note`). En status "
        "tabellen ikke tillater, eller en avgjort klage, gir 409. " + ACCESS_WRITE
    ),
)
@endpoint(
    scope="cases:write",
    object_type="appeal",
    person=True,
    permission=CASEWORK_PERMISSION,
    action=AuditAction.UPDATE,
)
def appeal_transition(
    request: HttpRequest,
    data: AppealStatusIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    decision_id: int = Path(..., ge=1, le=MAX_ID),
    appeal_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    decision = _decision(person, decision_id)
    appeal = get_object_or_404(
        Appeal.objects.select_related("decision__case__person"), pk=appeal_id, decision=decision
    )
    form = AppealOutcomeForm(
        {"to_status": data.to_status, "on": data.on, "note": data.note},
        appeal=appeal,
        prefix=None,
    )
    # The web form lists only the statuses the table allows; here every status is read,
    # so the service's table says why this one is not (409).
    # AppealOutcomeForm declares `to_status` a ChoiceField.
    cast(forms.ChoiceField, form.fields["to_status"]).choices = AppealStatus.choices
    cleaned = _validated(form)
    moved = case_services.appeal_transition(actor=_actor(request), appeal=appeal, **cleaned)
    return appeal_out(moved)
