"""Messages of need (meldinger om behov): a person's, one, register; the office's inbox."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from mestring.access.permissions import PERSON_REGISTER
from mestring.api.auth import context, endpoint
from mestring.api.errors import ApiError
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import (
    MAX_ID,
    InboxItemOut,
    InboxPage,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    responses,
)
from mestring.people.models import Person
from mestring.referrals import selectors
from mestring.referrals import services as referral_services
from mestring.referrals.models import Referral

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
        "pyramid_level": referral.pyramid_level,
        "care_place": referral.care_place,
        "created_at": referral.created_at,
    }


@person_router.get(
    "/{person_id}/referrals/",
    response=responses({200: ReferralPage}),
    summary="Personens meldinger om behov",
    description="Tilgang: `referrals:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="referrals:read", object_type="referral", person=True)
def person_referral_list(
    request: HttpRequest,
    paging: Query[Paging],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    referrals = selectors.person_referrals(person).select_related("source_unit")
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
        Referral.objects.select_related("source_unit"), pk=referral_id, person=person
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
    action="create",
)
def person_referral_create(
    request: HttpRequest,
    data: ReferralIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    try:
        referral = referral_services.referral_register(
            actor=context(request).actor,
            person=person,
            source=data.source,
            source_unit=None,
            received_on=data.received_on,
            description=data.description,
            urgency=data.urgency,
        )
    except referral_services.ReferralRuleError as exc:
        raise ApiError(str(exc)) from exc
    return Status(201, referral_out(referral))


@inbox_router.get(
    "/",
    response=responses({200: InboxPage}),
    summary="Innboksen: åpne meldinger om behov",
    description=(
        "Koordinerende enhets innboks som i nettløsningen: navn og status, ikke innholdet. "
        "Tilgang: `referrals:read` og tillatelsen til å registrere personer."
    ),
)
@endpoint(scope="referrals:read", object_type="referral_inbox", permission=PERSON_REGISTER)
def inbox(request: HttpRequest, paging: Query[Paging]) -> dict:
    referrals = selectors.inbox(context(request).actor)

    def convert(referral: Referral) -> InboxItemOut:
        return InboxItemOut(
            id=referral.pk,
            person_id=referral.person_id,
            person_name=referral.person.full_name,
            received_on=referral.received_on,
            urgency=referral.urgency,
            status=referral.status,
            has_access=bool(referral.has_access),
        )

    return page_of(referrals, paging, convert)
