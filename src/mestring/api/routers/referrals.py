"""Messages of need (meldinger om behov): a person's, one, register, change status,
triage, open a case from one («Opprett sak»); the office's inbox."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from mestring.access.permissions import PERSON_REGISTER
from mestring.api.auth import context, endpoint
from mestring.api.errors import form_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.routers.cases import case_out
from mestring.api.schemas import (
    MAX_ID,
    CaseOut,
    InboxFilter,
    InboxItemOut,
    InboxPage,
    ReferralFilter,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    ReferralStatusCode,
    ReferralStatusIn,
    ReferralTriageIn,
    UrgencyCode,
    check_range,
    responses,
)
from mestring.api.schemas_changes import ReferralCaseIn
from mestring.casework.models import Case
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person
from mestring.referrals import selectors
from mestring.referrals import services as referral_services
from mestring.referrals.forms import OpenCaseForm, StatusForm, TriageForm
from mestring.referrals.models import Referral, ReferralStatus

person_router = Router(tags=["Meldinger om behov"])
inbox_router = Router(tags=["Meldinger om behov"])


def referral_out(referral: Referral) -> dict:
    return {
        "id": referral.pk,
        "person_id": referral.person_id,
        "source": referral.source,
        "source_unit": referral.source_unit.name if referral.source_unit else None,
        "received_on": referral.received_on,
        "description": referral.description,
        "urgency": referral.urgency,
        "status": referral.status,
        "status_reason": referral.status_reason,
        "forwarded_to": referral.forwarded_to.name if referral.forwarded_to else None,
        "pyramid_level": referral.pyramid_level,
        "care_place": referral.care_place,
        "created_at": referral.created_at,
    }


def _filtered(
    referrals: QuerySet[Referral], filters: ReferralFilter | InboxFilter
) -> QuerySet[Referral]:
    check_range(filters.received_from, filters.received_to, field="received_to")
    if filters.status is not None:
        referrals = referrals.filter(status=filters.status)
    if filters.received_from is not None:
        referrals = referrals.filter(received_on__gte=filters.received_from)
    if filters.received_to is not None:
        referrals = referrals.filter(received_on__lte=filters.received_to)
    return referrals


@person_router.get(
    "/{person_id}/referrals/",
    response=responses({200: ReferralPage}),
    summary="Personens meldinger om behov",
    description=(
        "Nyeste først. Filtre: status og mottatt-dato fra/til. "
        "Tilgang: `referrals:read`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="referrals:read", object_type="referral", person=True)
def person_referral_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[ReferralFilter],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    referrals = _filtered(selectors.person_referrals(person), filters)
    return page_of(referrals, paging, referral_out)


@person_router.get(
    "/{person_id}/referrals/{referral_id}/",
    response=responses({200: ReferralOut}),
    summary="Én melding om behov",
    description="Tilgang: `referrals:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="referrals:read", object_type="referral", person=True)
def person_referral_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    referral_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    referral = get_object_or_404(
        Referral.objects.select_related("source_unit", "forwarded_to"),
        pk=referral_id,
        person=person,
    )
    return referral_out(referral)


@person_router.post(
    "/{person_id}/referrals/",
    response=responses({201: ReferralOut}),
    summary="Registrer en melding om behov",
    description=(
        "Som i nettløsningen: status «mottatt». Tilgang: `referrals:write`, tillatelsen til å "
        "registrere personer, og tjenstlig behov for personen."
    ),
)
@endpoint(
    scope="referrals:write",
    object_type="referral",
    person=True,
    permission=PERSON_REGISTER,
    action=AuditAction.CREATE,
)
def person_referral_create(
    request: HttpRequest,
    data: ReferralIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    referral = referral_services.referral_register(
        actor=context(request).actor,
        person=person,
        source=data.source,
        source_unit=None,
        received_on=data.received_on,
        description=data.description,
        urgency=data.urgency,
    )
    return Status(201, referral_out(referral))


@person_router.post(
    "/{person_id}/referrals/{referral_id}/status/",
    response=responses({200: ReferralOut}),
    summary="Endre status på en melding om behov",
    description=(
        "Som «Endre status» i nettløsningen: til under vurdering, videresendt (krever enhet "
        "og begrunnelse) eller avsluttet (krever begrunnelse). En sak opprettes ikke her. "
        "Statuser reglene ikke tillater, gir 409. "
        "Tilgang: `referrals:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="referrals:write", object_type="referral", person=True, action=AuditAction.UPDATE)
def person_referral_status(
    request: HttpRequest,
    data: ReferralStatusIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    referral_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    referral = selectors.person_referral(person, referral_id)
    form = StatusForm(
        {
            "status-to_status": data.to_status,
            "status-reason": data.reason,
            "status-forwarded_to": data.forwarded_to_id or "",
        },
        referral=referral,
    )
    # The web form lists only the statuses the table allows; here every status is read,
    # so the service's table says why this one is not (409).
    # StatusForm declares `to_status` a ChoiceField.
    cast(forms.ChoiceField, form.fields["to_status"]).choices = ReferralStatus.choices
    if not form.is_valid():
        raise form_invalid(form, {"forwarded_to": "forwarded_to_id"})
    cleaned = form.cleaned_data
    referral = referral_services.referral_transition(
        actor=context(request).actor,
        referral=referral,
        to_status=cleaned["to_status"],
        reason=cleaned["reason"],
        forwarded_to=cleaned["forwarded_to"],
    )
    return referral_out(referral)


@person_router.post(
    "/{person_id}/referrals/{referral_id}/triage/",
    response=responses({200: ReferralOut}),
    summary="Vurder en melding om behov (nivå og skårer)",
    description=(
        "Som vurderingen i nettløsningen: nivå i rehabiliteringspyramiden og skårene 1–5 for "
        "kompetanse, kompleksitet og intensitet. Stedet følger forslaget med mindre "
        "`care_place` er valgt. En mottatt melding går over til under vurdering; en ferdig "
        "behandlet melding gir 409. Tilgang: `referrals:write`, og tjenstlig behov."
    ),
)
@endpoint(scope="referrals:write", object_type="referral", person=True, action=AuditAction.UPDATE)
def person_referral_triage(
    request: HttpRequest,
    data: ReferralTriageIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    referral_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    referral = selectors.person_referral(person, referral_id)
    form = TriageForm(
        {
            "triage-pyramid_level": str(data.pyramid_level),
            "triage-competence": str(data.competence),
            "triage-complexity": str(data.complexity),
            "triage-intensity": str(data.intensity),
            "triage-care_place": data.care_place or "",
        },
        prefix="triage",
    )
    if not form.is_valid():
        raise form_invalid(form)
    cleaned = form.cleaned_data
    referral = referral_services.referral_triage(
        actor=context(request).actor,
        referral=referral,
        pyramid_level=cleaned["pyramid_level"],
        competence=cleaned["competence"],
        complexity=cleaned["complexity"],
        intensity=cleaned["intensity"],
        care_place=cleaned["care_place"] or None,
    )
    return referral_out(referral)


# The web form's field → the API's field.
_CASE_FIELDS = {
    "responsible_unit": "responsible_unit_id",
    "caseworker": "caseworker_id",
    "__all__": "body",
}


@person_router.post(
    "/{person_id}/referrals/{referral_id}/case/",
    response=responses({201: CaseOut}),
    summary="Opprett sak fra en melding om behov",
    description=(
        "Som «Opprett sak» i nettløsningen: en sak om individuell plan og/eller koordinator "
        "(minst én av dem), med meldingens mottatt-dato, som starter fristen. Meldingen får "
        "status «sak opprettet». En valgt saksbehandler får tilgang til personen mens saken "
        "er åpen. Bare en åpen melding (mottatt eller under vurdering) kan gi en sak (409 "
        "ellers). Tilgang: `cases:write`, og tjenstlig behov for personen (som i "
        "nettløsningen trengs ingen annen tillatelse). Svaret er den nye saken."
    ),
)
@endpoint(scope="cases:write", object_type="referral", person=True, action=AuditAction.UPDATE)
def person_referral_open_case(
    request: HttpRequest,
    data: ReferralCaseIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    referral_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    referral = selectors.person_referral(person, referral_id)
    form = OpenCaseForm(
        {
            "sak-requests_individual_plan": data.requests_individual_plan,
            "sak-requests_coordinator": data.requests_coordinator,
            "sak-responsible_unit": data.responsible_unit_id or "",
            "sak-caseworker": data.caseworker_id or "",
        }
    )
    if not form.is_valid():
        raise form_invalid(form, _CASE_FIELDS)
    case = referral_services.referral_open_case(
        actor=context(request).actor, referral=referral, **form.cleaned_data
    )
    created = get_object_or_404(
        Case.objects.filter(person=person).prefetch_related("decisions"), pk=case.pk
    )
    return Status(201, case_out(created))


@inbox_router.get(
    "/",
    response=responses({200: InboxPage}),
    summary="Innboksen: åpne meldinger om behov",
    description=(
        "Koordinerende enhets innboks som i nettløsningen: navn og status, ikke innholdet. "
        "Haster først, så de eldste. Filtre: status, hastegrad og mottatt-dato fra/til. "
        "Tilgang: `referrals:read` og tillatelsen til å registrere personer."
    ),
)
@endpoint(scope="referrals:read", object_type="referral_inbox", permission=PERSON_REGISTER)
def inbox(request: HttpRequest, paging: Query[Paging], filters: Query[InboxFilter]) -> dict:
    referrals = _filtered(selectors.inbox(context(request).actor), filters)
    if filters.urgency is not None:
        referrals = referrals.filter(urgency=filters.urgency)

    def convert(referral: Referral) -> InboxItemOut:
        return InboxItemOut(
            id=referral.pk,
            person_id=referral.person_id,
            person_name=referral.person.full_name,
            received_on=referral.received_on,
            # The model's choices are the schema's literals.
            urgency=cast(UrgencyCode, referral.urgency),
            status=cast(ReferralStatusCode, referral.status),
            has_access=bool(referral.has_access),  # type: ignore[attr-defined]  # annotated by selectors.inbox
        )

    return page_of(referrals, paging, convert)
