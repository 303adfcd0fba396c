"""Outcome measures (målinger): a person's observations with the change from the first
measure of the same instrument and whether it is meaningful, one observation with its
items, recording SPPB, COPM, PSFS and the functional variables, and correcting and
deleting an observation as the web's «Rett» and «Slett» do.

Every write calls the same recorder as the web form (`outcomes.services`), after the
checks the forms make (ranges, number of activities, a date not in the future, the
person's own episode). What the scoring rules refuse gives 422 with their message. A
correction replaces the whole observation (items and total), as the web form does.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import AfterValidator

from mestring.api.auth import context, endpoint
from mestring.api.errors import field_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import CLEAN_TEXT, MAX_ID, Strict, responses
from mestring.assessments.models import FunctionVariable
from mestring.kernel.audit_words import AuditAction
from mestring.outcomes import selectors, services
from mestring.outcomes.models import Observation, ObservationItem
from mestring.people.models import Person
from mestring.rehab.models import Episode

router = Router(tags=["Målinger"])

InstrumentCode = Literal["sppb", "copm", "psfs", "funksjon"]
TimePointCode = Literal["start", "midt", "slutt", "oppfolging"]
JudgementCode = Literal["", "improved", "worsened", "unchanged"]
MAX_SECONDS = 1000  # as the web form: 0 to 999 seconds


# --- Schemas


class ItemOut(Schema):
    position: int
    code: str
    label: str
    points: float | None
    points_secondary: float | None
    seconds: float | None


class ObservationSummaryOut(Schema):
    id: int
    person_id: int
    episode_id: int | None
    instrument: InstrumentCode
    version: str
    observed_on: datetime.date
    time_point: TimePointCode
    total: float | None = Field(..., description="SPPB 0–12; COPM utførelse; PSFS snitt.")
    total_secondary: float | None = Field(..., description="COPM: tilfredshet.")
    higher_is_better: bool
    note: str
    change_previous: float | None = Field(..., description="Endring fra forrige måling.")
    change_start: float | None = Field(..., description="Endring fra første måling.")
    judgement: JudgementCode = Field(
        ..., description="Endringen fra første måling vurdert mot terskelen."
    )
    judgement_text: str
    meaningful_change: float = Field(..., description="Terskelen for meningsfull endring.")


class ObservationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ObservationSummaryOut]


class ObservationOut(ObservationSummaryOut):
    recorded_by: str
    items: list[ItemOut]


class FunctionVariableOut(Schema):
    code: str
    name: str
    description: str


class ObservationFilter(Schema):
    instrument: InstrumentCode | None = None
    time_point: TimePointCode | None = None
    episode_id: int | None = Field(None, ge=1, le=MAX_ID)
    observed_from: datetime.date | None = Field(None, description="Målt fra og med.")
    observed_to: datetime.date | None = Field(None, description="Målt til og med.")


class ObservationIn(Strict):
    observed_on: datetime.date
    time_point: TimePointCode
    episode_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Forløpet målingen hører til, hvis noe."
    )
    version: Annotated[str, Field(max_length=60), CLEAN_TEXT] = ""
    note: Annotated[str, Field(max_length=500), CLEAN_TEXT] = ""


def _seconds() -> Any:
    return Field(
        None,
        ge=0,
        lt=MAX_SECONDS,
        allow_inf_nan=False,
        description="Sekunder (0–999); tomt hvis ikke gjennomført.",
    )


def _points() -> Any:
    return Field(None, ge=0, le=4, description="Poeng 0–4 i stedet for tiden.")


class SppbIn(ObservationIn):
    side_by_side_s: float | None = _seconds()
    semi_tandem_s: float | None = _seconds()
    tandem_s: float | None = _seconds()
    balance: int | None = _points()
    gait_s: float | None = _seconds()
    gait: int | None = _points()
    chair_s: float | None = _seconds()
    chair: int | None = _points()


class CopmActivityIn(Strict):
    activity: Annotated[str, Field(max_length=200), CLEAN_TEXT]
    performance: int = Field(..., ge=1, le=10)
    satisfaction: int = Field(..., ge=1, le=10)


def _count(low: int, high: int, message: object) -> Any:
    """A list of `low`–`high` items, with the web form's message (documented as
    minItems/maxItems, checked here so the message is the form's)."""

    def check(value: list) -> list:
        if not low <= len(value) <= high:
            raise ValueError(str(message))
        return value

    return AfterValidator(check)


class CopmIn(ObservationIn):
    activities: Annotated[
        list[CopmActivityIn],
        Field(json_schema_extra={"minItems": 1, "maxItems": 5}),
        _count(1, 5, gettext_lazy("COPM må ha fra én til fem aktiviteter.")),
    ]


class PsfsActivityIn(Strict):
    activity: Annotated[str, Field(max_length=200), CLEAN_TEXT]
    score: int = Field(..., ge=0, le=10)


class PsfsIn(ObservationIn):
    activities: Annotated[
        list[PsfsActivityIn],
        Field(json_schema_extra={"minItems": 3, "maxItems": 5}),
        _count(3, 5, gettext_lazy("PSFS må ha fra tre til fem aktiviteter.")),
    ]


FunctionScore = Literal[1, 2, 3, 4, 5, 9]


class FunctionIn(ObservationIn):
    scores: Annotated[
        dict[Annotated[str, Field(max_length=40)], FunctionScore],
        Field(
            description="Variabelens kode → skår 1–5, eller 9 (ikke relevant).",
            json_schema_extra={"minProperties": 1, "maxProperties": 100},
        ),
        _count(1, 100, gettext_lazy("Gi minst én funksjonsvariabel en skår.")),
    ]


# --- Conversion


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _item_out(item: ObservationItem) -> dict:
    return {
        "position": item.position,
        "code": item.code,
        "label": item.label,
        "points": _number(item.points),
        "points_secondary": _number(item.points_secondary),
        "seconds": _number(item.seconds),
    }


def _rows(person: Person) -> tuple[dict[int, selectors.SeriesRow], dict[str, Decimal]]:
    """Each observation's change from the previous and the first, as the web's table."""
    limits = selectors.thresholds()
    series = selectors.series_of(list(selectors.person_observations(person)), limits)
    return {row.observation.pk: row for s in series for row in s.rows}, limits


def _summary(
    observation: Observation, rows: dict[int, selectors.SeriesRow], limits: dict[str, Decimal]
) -> dict:
    row = rows.get(observation.pk) or selectors.SeriesRow(observation)
    return {
        "id": observation.pk,
        "person_id": observation.person_id,
        "episode_id": observation.episode_id,
        "instrument": observation.instrument,
        "version": observation.version,
        "observed_on": observation.observed_on,
        "time_point": observation.time_point,
        "total": _number(observation.total),
        "total_secondary": _number(observation.total_secondary),
        "higher_is_better": observation.higher_is_better,
        "note": observation.note,
        "change_previous": _number(row.change_previous),
        "change_start": _number(row.change_start),
        "judgement": row.judgement,
        "judgement_text": row.judgement_text,
        "meaningful_change": float(limits[observation.instrument]),
    }


def _observation_out(person: Person, observation_id: int) -> dict:
    observation = selectors.observation_for_page(person, observation_id)
    if observation is None:
        raise Http404
    rows, limits = _rows(person)
    staff = observation.recorded_by
    recorded_by = ""
    if staff is not None:
        recorded_by = staff.user.get_full_name() or staff.user.username
    return {
        **_summary(observation, rows, limits),
        "recorded_by": recorded_by,
        "items": [_item_out(item) for item in observation.items.all()],
    }


def _common(person: Person, data: ObservationIn) -> dict[str, Any]:
    """The recorder's arguments from the common fields; the date is the service's rule."""
    episode = None
    if data.episode_id is not None:
        episode = Episode.objects.filter(person=person, pk=data.episode_id).first()
        if episode is None:
            raise field_invalid("episode_id", _("Velg et av personens forløp."))
    return {
        "observed_on": data.observed_on,
        "time_point": data.time_point,
        "episode": episode,
        "version": data.version,
        "note": data.note,
    }


def _record(
    request: HttpRequest,
    person: Person,
    recorder: Any,
    *,
    observation: Observation | None = None,
    **arguments: Any,
) -> Status:
    """Record a new observation (201), or correct `observation` in place (200)."""
    saved = recorder(
        actor=context(request).actor, person=person, observation=observation, **arguments
    )
    return Status(201 if observation is None else 200, _observation_out(person, saved.pk))


def _to_correct(person: Person, observation_id: int) -> Observation:
    """The person's observation (404 otherwise); that it is corrected with the
    instrument it was measured with is the service's rule (422)."""
    return get_object_or_404(Observation, pk=observation_id, person=person)


def _decimal(value: float | None) -> Decimal | None:
    # Through str so that 7.5 stays 7.5 and is not the float's binary expansion.
    return None if value is None else Decimal(str(value))


def _sppb(person: Person, data: SppbIn) -> dict[str, Any]:
    return {
        **_common(person, data),
        "side_by_side_s": _decimal(data.side_by_side_s),
        "semi_tandem_s": _decimal(data.semi_tandem_s),
        "tandem_s": _decimal(data.tandem_s),
        "gait_s": _decimal(data.gait_s),
        "chair_s": _decimal(data.chair_s),
        "balance": data.balance,
        "gait": data.gait,
        "chair": data.chair,
    }


def _copm(person: Person, data: CopmIn) -> dict[str, Any]:
    activities = [(a.activity, a.performance, a.satisfaction) for a in data.activities]
    return {**_common(person, data), "activities": activities}


def _psfs(person: Person, data: PsfsIn) -> dict[str, Any]:
    activities = [(a.activity, a.score) for a in data.activities]
    return {**_common(person, data), "activities": activities}


def _function(person: Person, data: FunctionIn) -> dict[str, Any]:
    return {**_common(person, data), "scores": data.scores}


# --- Reads


@router.get(
    "/function-variables/",
    response=responses({200: list[FunctionVariableOut]}),
    summary="Funksjonsvariablene i bruk",
    description="Kodene som kan skåres i en måling av funksjonsvariabler. Tilgang: "
    "`outcomes:read`.",
)
@endpoint(scope="outcomes:read", object_type="function_variable")
def function_variables(request: HttpRequest) -> list[dict]:
    return [
        {"code": v.code, "name": v.name, "description": v.description}
        for v in FunctionVariable.objects.filter(is_active=True)
    ]


@router.get(
    "/persons/{person_id}/observations/",
    response=responses({200: ObservationPage}),
    summary="Personens målinger",
    description=(
        "Eldste først, hver med endringen fra forrige og fra første måling med samme "
        "instrument og om den er meningsfull (kommunens terskel). Filtre: instrument, "
        "tidspunkt, forløp og dato fra/til. Tilgang: `outcomes:read`, og tjenstlig behov."
    ),
)
@endpoint(scope="outcomes:read", object_type="observations", person=True)
def observation_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[ObservationFilter],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    first, last = filters.observed_from, filters.observed_to
    if first is not None and last is not None and first > last:
        raise field_invalid("observed_to", _("Til-datoen kan ikke være før fra-datoen."))
    observations = selectors.person_observations(person)
    if filters.instrument is not None:
        observations = observations.filter(instrument=filters.instrument)
    if filters.time_point is not None:
        observations = observations.filter(time_point=filters.time_point)
    if filters.episode_id is not None:
        observations = observations.filter(episode_id=filters.episode_id)
    if first is not None:
        observations = observations.filter(observed_on__gte=first)
    if last is not None:
        observations = observations.filter(observed_on__lte=last)
    rows, limits = _rows(person)
    return page_of(observations, paging, lambda o: _summary(o, rows, limits))


# The create paths come before `{observation_id}/`, which would otherwise take them.


@router.post(
    "/persons/{person_id}/observations/sppb/",
    response=responses({201: ObservationOut}),
    summary="Registrer SPPB",
    description=(
        "Hver del (balanse, gange, reise seg) fra tidene med standardgrensene, eller fra "
        "poeng 0–4 — ikke begge. «Klarte ikke» er 0 poeng. Tilgang: `outcomes:write`, og "
        "tjenstlig behov for personen."
    ),
)
@endpoint(scope="outcomes:write", object_type="observation", person=True, action=AuditAction.CREATE)
def sppb_create(
    request: HttpRequest,
    data: SppbIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    return _record(request, person, services.sppb_record, **_sppb(person, data))


@router.post(
    "/persons/{person_id}/observations/copm/",
    response=responses({201: ObservationOut}),
    summary="Registrer COPM",
    description=(
        "1–5 aktiviteter med personens egne ord, utførelse og tilfredshet 1–10. Tilgang: "
        "`outcomes:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="outcomes:write", object_type="observation", person=True, action=AuditAction.CREATE)
def copm_create(
    request: HttpRequest,
    data: CopmIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    return _record(request, person, services.copm_record, **_copm(person, data))


@router.post(
    "/persons/{person_id}/observations/psfs/",
    response=responses({201: ObservationOut}),
    summary="Registrer PSFS",
    description=(
        "3–5 aktiviteter personen har vansker med, skår 0 (klarer ikke) til 10 (som før). "
        "Tilgang: `outcomes:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="outcomes:write", object_type="observation", person=True, action=AuditAction.CREATE)
def psfs_create(
    request: HttpRequest,
    data: PsfsIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    return _record(request, person, services.psfs_record, **_psfs(person, data))


@router.post(
    "/persons/{person_id}/observations/funksjon/",
    response=responses({201: ObservationOut}),
    summary="Registrer funksjonsvariabler (IPLOS)",
    description=(
        "Skår 1–5 eller 9 (ikke relevant) per variabel i bruk (se `/function-variables/`); "
        "lavere er bedre. Tilgang: `outcomes:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="outcomes:write", object_type="observation", person=True, action=AuditAction.CREATE)
def function_create(
    request: HttpRequest,
    data: FunctionIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    return _record(request, person, services.function_record, **_function(person, data))


@router.get(
    "/persons/{person_id}/observations/{observation_id}/",
    response=responses({200: ObservationOut}),
    summary="Én måling med delene",
    description="Tilgang: `outcomes:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="outcomes:read", object_type="observation", person=True)
def observation_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    observation_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return _observation_out(person, observation_id)


# --- Correcting and deleting (the web's «Rett målingen» and «Slett»)

_CORRECT = (
    "Som «Rett målingen» i nettløsningen: hele målingen sendes på nytt med de samme feltene "
    "og kontrollene som når den registreres, og delene og skåren regnes ut på nytt. Målingen "
    "må være registrert med dette instrumentet (422 ellers). Tilgang: `outcomes:write`, og "
    "tjenstlig behov for personen (som i nettløsningen trengs ingen annen tillatelse)."
)


@router.put(
    "/persons/{person_id}/observations/{observation_id}/sppb/",
    response=responses({200: ObservationOut}),
    summary="Rett en SPPB-måling",
    description=_CORRECT,
)
@endpoint(scope="outcomes:write", object_type="observation", person=True, action=AuditAction.UPDATE)
def sppb_correct(
    request: HttpRequest,
    data: SppbIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    observation_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    observation = _to_correct(person, observation_id)
    return _record(
        request, person, services.sppb_record, observation=observation, **_sppb(person, data)
    )


@router.put(
    "/persons/{person_id}/observations/{observation_id}/copm/",
    response=responses({200: ObservationOut}),
    summary="Rett en COPM-måling",
    description=_CORRECT,
)
@endpoint(scope="outcomes:write", object_type="observation", person=True, action=AuditAction.UPDATE)
def copm_correct(
    request: HttpRequest,
    data: CopmIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    observation_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    observation = _to_correct(person, observation_id)
    return _record(
        request, person, services.copm_record, observation=observation, **_copm(person, data)
    )


@router.put(
    "/persons/{person_id}/observations/{observation_id}/psfs/",
    response=responses({200: ObservationOut}),
    summary="Rett en PSFS-måling",
    description=_CORRECT,
)
@endpoint(scope="outcomes:write", object_type="observation", person=True, action=AuditAction.UPDATE)
def psfs_correct(
    request: HttpRequest,
    data: PsfsIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    observation_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    observation = _to_correct(person, observation_id)
    return _record(
        request, person, services.psfs_record, observation=observation, **_psfs(person, data)
    )


@router.put(
    "/persons/{person_id}/observations/{observation_id}/funksjon/",
    response=responses({200: ObservationOut}),
    summary="Rett en måling av funksjonsvariabler (IPLOS)",
    description=_CORRECT,
)
@endpoint(scope="outcomes:write", object_type="observation", person=True, action=AuditAction.UPDATE)
def function_correct(
    request: HttpRequest,
    data: FunctionIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    observation_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    observation = _to_correct(person, observation_id)
    return _record(
        request,
        person,
        services.function_record,
        observation=observation,
        **_function(person, data),
    )


@router.delete(
    "/persons/{person_id}/observations/{observation_id}/",
    response=responses({204: None}),
    summary="Slett en måling",
    description=(
        "Som «Slett» i nettløsningen: for en måling som er registrert ved en feil. Målingen "
        "og delene slettes; loggen beholder at den fantes. Svarer 204 uten innhold. Tilgang: "
        "`outcomes:write`, og tjenstlig behov for personen (som i nettløsningen trengs ingen "
        "annen tillatelse)."
    ),
)
@endpoint(scope="outcomes:write", object_type="observation", person=True, action=AuditAction.DELETE)
def observation_delete(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    observation_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    observation = get_object_or_404(Observation, pk=observation_id, person=person)
    services.observation_delete(actor=context(request).actor, observation=observation)
    return Status(204, None)
