"""Institution stays over the API: a person's stays (list, read with the rehabilitation
plan, admit, discharge, the rehabilitation plan) and the bed board.

Every write calls the same service as the web page, so the capacity refusal, the
over-capacity flag, the care relation of the unit and the audit rows are the web's.
The checks the web's forms make before the service (the unit is an institution unit,
the decision is the person's own, no date in the future) are made here too.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from mestring.access.boards import actor_unit_ids
from mestring.access.permissions import REHAB_REGISTER
from mestring.api.auth import context, endpoint
from mestring.api.boards import name_rows
from mestring.api.errors import field_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import CLEAN_TEXT, MAX_ID, Day, PastDay, Strict, responses
from mestring.casework.models import Decision
from mestring.institutions import selectors
from mestring.institutions import services as stay_services
from mestring.institutions.models import PurchaseAgreement, RehabilitationPlan, Stay
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person, Staff, Unit

router = Router(tags=["Institusjonsopphold"])


StayTypeCode = Literal[
    "rehabilitering", "korttid", "rullering", "langtid", "avlastning", "lindrende", "utredning"
]
DestinationCode = Literal["hjem", "langtidsplass", "sykehus", "dod", "annet"]


# --- Schemas ------------------------------------------------------------------------


class RehabPlanOut(Schema):
    goals: list[str]
    daily_training: str
    physio_minutes_per_day: int | None
    responsible_id: int | None
    updated_at: datetime.datetime


class StayOut(Schema):
    id: int
    person_id: int
    unit_id: int
    unit_name: str
    stay_type: StayTypeCode
    admitted_on: datetime.date
    discharged_on: datetime.date | None
    discharged_to: DestinationCode | Literal[""]
    is_open: bool
    nights: int
    over_capacity: bool
    decision_id: int | None
    agreement_id: int | None
    note: str
    rehab_plan: RehabPlanOut | None


class StayPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StayOut]


class StayFilters(Schema):
    stay_type: StayTypeCode | None = Field(None, description="Bare denne typen opphold.")
    unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="Bare denne enheten.")
    active_on: Day | None = Field(
        None, description="Bare opphold der personen ligger i seng natten etter denne datoen."
    )
    date_from: Day | None = Field(None, description="Innlagt denne datoen eller senere.")
    date_to: Day | None = Field(None, description="Innlagt denne datoen eller tidligere.")


class StayAdmitIn(Strict):
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    stay_type: StayTypeCode
    admitted_on: PastDay
    decision_id: int | None = Field(None, ge=1, le=MAX_ID)
    agreement_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: Annotated[str, Field(max_length=2000), CLEAN_TEXT] = ""
    over_capacity: bool = Field(
        False, description="Legg inn selv om enheten ikke har ledig seng (registreres)."
    )


class StayDischargeIn(Strict):
    discharged_on: PastDay
    discharged_to: DestinationCode


class RehabPlanIn(Strict):
    goals: Annotated[str, Field(max_length=3000), CLEAN_TEXT]
    daily_training: Annotated[str, Field(max_length=3000), CLEAN_TEXT] = ""
    physio_minutes_per_day: int | None = Field(None, ge=0, le=600)
    responsible_id: int | None = Field(None, ge=1, le=MAX_ID)


class BoardQuery(Schema):
    day: Day | None = Field(None, description="Datoen (åååå-mm-dd); i dag om den mangler.")


class BoardStayOut(Schema):
    stay_id: int
    # Null, with empty names, for a person the user may not see (not `named`).
    person_id: int | None
    family_name: str
    given_name: str
    named: bool
    stay_type: StayTypeCode
    admitted_on: datetime.date
    days_so_far: int


class BoardUnitOut(Schema):
    unit_id: int
    unit_name: str
    beds: int | None
    occupied: int
    free: int | None
    over: int
    stays: list[BoardStayOut]


class BedBoardOut(Schema):
    day: datetime.date
    units: list[BoardUnitOut]


# --- Conversion ---------------------------------------------------------------------


def rehab_plan_out(plan: RehabilitationPlan | None) -> dict | None:
    if plan is None:
        return None
    return {
        "goals": plan.goal_lines,
        "daily_training": plan.daily_training,
        "physio_minutes_per_day": plan.physio_minutes_per_day,
        "responsible_id": plan.responsible_id,
        "updated_at": plan.updated_at,
    }


def stay_out(stay: Stay) -> dict:
    today = timezone.localdate()
    return {
        "id": stay.pk,
        "person_id": stay.person_id,
        "unit_id": stay.unit_id,
        "unit_name": stay.unit.name,
        "stay_type": stay.stay_type,
        "admitted_on": stay.admitted_on,
        "discharged_on": stay.discharged_on,
        "discharged_to": stay.discharged_to,
        "is_open": stay.is_open,
        # As on the stay's page: the nights so far, up to today (or the discharge).
        "nights": selectors.nights(
            stay.admitted_on, stay.discharged_on, stay.admitted_on, max(today, stay.admitted_on)
        ),
        "over_capacity": stay.over_capacity,
        "decision_id": stay.decision_id,
        "agreement_id": stay.agreement_id,
        "note": stay.note,
        "rehab_plan": rehab_plan_out(getattr(stay, "rehab_plan", None)),
    }


def _stay(person: Person, stay_id: int) -> Stay:
    """The person's stay, or 404: another person's stay id is not found here."""
    stay = selectors.stay_for_page(person, stay_id)
    if stay is None:
        raise Http404
    return stay


def _filtered(stays: QuerySet[Stay], filters: StayFilters) -> QuerySet[Stay]:
    if filters.stay_type is not None:
        stays = stays.filter(stay_type=filters.stay_type)
    if filters.unit_id is not None:
        stays = stays.filter(unit_id=filters.unit_id)
    if filters.active_on is not None:
        stays = stays.filter(selectors.in_bed_on(filters.active_on))
    if filters.date_from is not None:
        stays = stays.filter(admitted_on__gte=filters.date_from)
    if filters.date_to is not None:
        stays = stays.filter(admitted_on__lte=filters.date_to)
    return stays


# --- A person's stays ---------------------------------------------------------------


@router.get(
    "/persons/{person_id}/stays/",
    response=responses({200: StayPage}),
    summary="Personens institusjonsopphold",
    description=(
        "Nyeste først, med rehabiliteringsplanen der den finnes. Filtre: type opphold, "
        "enhet, i seng natten etter en dato, innlagt fra/til. "
        "Tilgang: `stays:read`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="stays:read", object_type="stays", person=True)
def stay_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[StayFilters],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    stays = _filtered(selectors.person_stays(person), filters).order_by("-admitted_on", "-pk")
    return page_of(stays, paging, stay_out)


@router.get(
    "/persons/{person_id}/stays/{stay_id}/",
    response=responses({200: StayOut}),
    summary="Ett opphold med rehabiliteringsplanen",
    description="Tilgang: `stays:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="stays:read", object_type="stay", person=True)
def stay_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    stay_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return stay_out(_stay(person, stay_id))


@router.post(
    "/persons/{person_id}/stays/",
    response=responses({201: StayOut}),
    summary="Legg personen inn på en enhet",
    description=(
        "Som i nettløsningen: enheten må ha registrert sengetall, og hver natt fra "
        "innleggelsen til i dag må ha en ledig seng. Ellers avvises innleggelsen (409), med "
        "mindre `over_capacity` er satt; overbelegget registreres da på oppholdet. Personen "
        "kan ikke ha et annet opphold samtidig. Enheten får tjenstlig behov for personen "
        "mens oppholdet varer. Tilgang: `stays:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="stays:write", object_type="stay", person=True, action=AuditAction.CREATE)
def stay_admit(
    request: HttpRequest,
    data: StayAdmitIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    # The same choices as the web's admission form offers.
    unit = Unit.objects.filter(
        pk=data.unit_id, pk__in=selectors.institution_units().values("pk")
    ).first()
    if unit is None:
        raise field_invalid("unit_id", _("Velg en enhet som har registrert sengetall."))
    decision = None
    if data.decision_id is not None:
        decision = (
            Decision.objects.filter(pk=data.decision_id, case__person=person)
            .select_related("case")
            .first()
        )
        if decision is None:
            raise field_invalid("decision_id", _("Velg et av personens vedtak."))
    agreement = None
    if data.agreement_id is not None:
        agreement = (
            PurchaseAgreement.objects.filter(pk=data.agreement_id).select_related("centre").first()
        )
        if agreement is None:
            raise field_invalid("agreement_id", _("Avtalen finnes ikke."))
    stay = stay_services.stay_admit(
        actor=context(request).actor,
        person=person,
        unit=unit,
        stay_type=data.stay_type,
        admitted_on=data.admitted_on,
        decision=decision,
        agreement=agreement,
        note=data.note,
        over_capacity=data.over_capacity,
    )
    return Status(201, stay_out(_stay(person, stay.pk)))


@router.post(
    "/persons/{person_id}/stays/{stay_id}/discharge/",
    response=responses({200: StayOut}),
    summary="Skriv ut personen (avslutt oppholdet)",
    description=(
        "Som i nettløsningen: dato (ikke før innleggelsen, ikke fram i tid) og hvor personen "
        "ble utskrevet til. Enhetens tjenstlige behov avsluttes. Et avsluttet opphold gir "
        "409. Tilgang: `stays:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="stays:write", object_type="stay", person=True, action=AuditAction.UPDATE)
def stay_discharge(
    request: HttpRequest,
    data: StayDischargeIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    stay_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    stay = _stay(person, stay_id)
    stay_services.stay_discharge(
        actor=context(request).actor,
        stay=stay,
        discharged_on=data.discharged_on,
        discharged_to=data.discharged_to,
    )
    return stay_out(_stay(person, stay.pk))


@router.put(
    "/persons/{person_id}/stays/{stay_id}/rehab-plan/",
    response=responses({200: StayOut}),
    summary="Lagre rehabiliteringsplanen for et rehabiliteringsopphold",
    description=(
        "Oppretter eller endrer planen: mål med personens egne ord (ett per linje), daglig "
        "trening, minutter fysioterapi per dag og ansvarlig ansatt. Bare "
        "rehabiliteringsopphold har plan (409 ellers). "
        "Tilgang: `stays:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(
    scope="stays:write", object_type="rehabilitation_plan", person=True, action=AuditAction.UPDATE
)
def rehab_plan_save(
    request: HttpRequest,
    data: RehabPlanIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    stay_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    stay = _stay(person, stay_id)
    responsible = None
    if data.responsible_id is not None:
        responsible = Staff.objects.filter(pk=data.responsible_id, is_active=True).first()
        if responsible is None:
            raise field_invalid("responsible_id", _("Velg en aktiv ansatt i kommunen."))
    stay_services.rehab_plan_save(
        actor=context(request).actor,
        stay=stay,
        goals=data.goals,
        daily_training=data.daily_training,
        physio_minutes_per_day=data.physio_minutes_per_day,
        responsible=responsible,
    )
    return stay_out(_stay(person, stay.pk))


# --- The bed board ------------------------------------------------------------------


@router.get(
    "/stays/bed-board/",
    response=responses({200: BedBoardOut}),
    summary="Sengeoversikten",
    description=(
        "Som sengeoversikten i nettløsningen: hver institusjonsenhet med senger, belagte, "
        "ledige og overbelegg, og hvem som ligger der natten etter datoen (i dag om den "
        "ikke er gitt). Tilgang: `stays:read` og tillatelsen til å registrere opphold."
    ),
)
@endpoint(scope="stays:read", object_type="bed_board", permission=REHAB_REGISTER)
def bed_board(request: HttpRequest, query: Query[BoardQuery]) -> dict:
    chosen = query.day or timezone.localdate()
    actor = context(request).actor
    board = selectors.bed_board(chosen)
    own_units = actor_unit_ids(actor)
    # As on the web: names only for those who may see the person or work in the unit
    # of the stay; each name given is in the person's access log.
    rows = name_rows(
        actor,
        [stay for entry in board for stay in entry.stays],
        object_type="bed_board",
        person_of=lambda stay: stay.person,
        own_unit_work=lambda stay: stay.unit_id in own_units,
    )
    named = {row.row.pk for row in rows if row.named}
    units = []
    for entry in board:
        units.append(
            {
                "unit_id": entry.unit.pk,
                "unit_name": entry.unit.name,
                "beds": entry.beds,
                "occupied": entry.occupied,
                "free": entry.free,
                "over": entry.over,
                "stays": [
                    {
                        "stay_id": stay.pk,
                        "person_id": stay.person_id if stay.pk in named else None,
                        "family_name": stay.person.family_name if stay.pk in named else "",
                        "given_name": stay.person.given_name if stay.pk in named else "",
                        "named": stay.pk in named,
                        "stay_type": stay.stay_type,
                        "admitted_on": stay.admitted_on,
                        # As the board's selector counts them, from the chosen day.
                        "days_so_far": (chosen - stay.admitted_on).days,
                    }
                    for stay in entry.stays
                ],
            }
        )
    return {"day": chosen, "units": units}
