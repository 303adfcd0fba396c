"""Request and response schemas. Every operation documents each status it can give."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from mestring.api.errors import field_invalid

MAX_ID = 2**53
MAX_OFFSET = 1_000_000


def _clean_text(value: str) -> str:
    """Text that every database can store: no NUL, no lone surrogates."""
    if "\x00" in value:
        raise ValueError(_("Teksten kan ikke inneholde NUL-tegn."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(_("Teksten inneholder ugyldige tegn.")) from exc
    return value


# A text field is `Annotated[str, Field(max_length=...), CLEAN_TEXT]`: spelled out, so that
# mypy reads it as `str` (a function returning the annotation would not be a type to it).
CLEAN_TEXT = AfterValidator(_clean_text)


FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


def _in_range(value: datetime.date) -> datetime.date:
    # The years the web's dates make sense in; also keeps date arithmetic from overflowing.
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(_("Velg en dato fra år 2000 til 2100."))
    return value


def _not_future(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise ValueError(_("Datoen kan ikke være fram i tid."))
    return value


# Dates of stays and loans: within 2000–2100, and for what has happened, not in the future.
Day = Annotated[datetime.date, AfterValidator(_in_range)]
PastDay = Annotated[datetime.date, AfterValidator(_in_range), AfterValidator(_not_future)]


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def responses(ok: dict[int, object]) -> dict[int, object]:
    return {**ok, **ERRORS}


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Persons


class PersonSummaryOut(Schema):
    id: int
    person_ref: str
    given_name: str
    family_name: str
    birth_date: datetime.date
    postal_town: str
    has_access: bool


class PersonPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonSummaryOut]


class PersonOut(Schema):
    id: int
    person_ref: str
    given_name: str
    family_name: str
    birth_date: datetime.date
    national_id: str
    national_id_kind: str
    phone: str
    email: str
    street_address: str
    postal_code: str
    postal_town: str
    preferred_language: str
    needs_interpreter: bool
    language_form: Literal["nb", "nn"]


class PersonIn(Strict):
    given_name: Annotated[str, Field(max_length=100), CLEAN_TEXT]
    family_name: Annotated[str, Field(max_length=100), CLEAN_TEXT]
    birth_date: datetime.date
    national_id: Annotated[str, Field(max_length=20), CLEAN_TEXT] = ""
    phone: Annotated[str, Field(max_length=30), CLEAN_TEXT] = ""
    email: Annotated[str, Field(max_length=254), CLEAN_TEXT] = ""
    street_address: Annotated[str, Field(max_length=200), CLEAN_TEXT] = ""
    postal_code: Annotated[str, Field(max_length=4), CLEAN_TEXT] = ""
    postal_town: Annotated[str, Field(max_length=100), CLEAN_TEXT] = ""
    preferred_language: Annotated[str, Field(max_length=50), CLEAN_TEXT] = "norsk"
    needs_interpreter: bool = False
    language_form: Literal["nb", "nn"] = "nb"
    person_ref: Annotated[str, Field(max_length=40), CLEAN_TEXT] = ""


# --- Referrals

ReferralSourceCode = Literal[
    "fastlege",
    "helseforetak",
    "hjemmetjeneste",
    "helsestasjon",
    "skole_ppt",
    "nav",
    "personen",
    "parorende",
    "annet",
]
UrgencyCode = Literal["normal", "haster"]
ReferralStatusCode = Literal[
    "mottatt", "under_vurdering", "sak_opprettet", "videresendt", "avsluttet"
]


class ReferralOut(Schema):
    id: int
    person_id: int
    source: ReferralSourceCode
    source_unit: str | None
    received_on: datetime.date
    description: str
    urgency: UrgencyCode
    status: ReferralStatusCode
    status_reason: str
    forwarded_to: str | None
    pyramid_level: int | None
    care_place: str
    created_at: datetime.datetime


class ReferralPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReferralOut]


class ReferralIn(Strict):
    source: ReferralSourceCode
    received_on: datetime.date
    description: Annotated[str, Field(max_length=5000), CLEAN_TEXT]
    urgency: UrgencyCode = "normal"


class InboxItemOut(Schema):
    id: int
    person_id: int
    person_name: str
    received_on: datetime.date
    urgency: UrgencyCode
    status: ReferralStatusCode
    has_access: bool


class InboxPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[InboxItemOut]


# --- Cases and decisions


class DecisionOut(Schema):
    id: int
    case_id: int
    subject: str
    outcome: str
    state: str
    decided_on: datetime.date
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    stopped_on: datetime.date | None
    service: str | None
    legal_basis_title: str


class CaseOut(Schema):
    id: int
    person_id: int
    kind: str
    status: str
    received_on: datetime.date
    requests_individual_plan: bool
    requests_coordinator: bool
    decided_on: datetime.date | None
    closed_on: datetime.date | None
    decisions: list[DecisionOut]


class CasePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseOut]


# --- Plans, goals and measures

GoalStatusCode = Literal["foreslatt", "aktiv", "avsluttet", "forkastet"]
AchievementCode = Literal["ikke_startet", "pa_vei", "delvis", "nadd", "ikke_nadd"]


class GoalOut(Schema):
    id: int
    plan_id: int
    text: str
    status: GoalStatusCode
    achievement: AchievementCode
    target_date: datetime.date | None
    position: int


class MeasureOut(Schema):
    id: int
    plan_id: int
    goal_id: int | None
    title: str
    scope: str
    how: str
    responsible: str
    responsible_unit_id: int | None
    responsible_staff_id: int | None
    responsible_other: str
    start_on: datetime.date | None
    end_on: datetime.date | None
    decision_id: int | None


class PlanOut(Schema):
    id: int
    person_id: int
    status: str
    version: int
    start_date: datetime.date
    end_date: datetime.date | None
    next_revision_on: datetime.date | None
    what_matters: str
    closed_on: datetime.date | None
    goals: list[GoalOut]
    measures: list[MeasureOut]


class PlanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PlanOut]


class GoalIn(Strict):
    text: Annotated[str, Field(max_length=2000), CLEAN_TEXT]
    status: Literal["foreslatt", "aktiv"] = "aktiv"
    target_date: datetime.date | None = None
    expected_version: int | None = Field(None, ge=1, le=MAX_ID)


class GoalStatusIn(Strict):
    status: GoalStatusCode
    achievement: AchievementCode | None = None
    expected_version: int = Field(..., ge=1, le=MAX_ID)


# --- Changes: persons, messages of need, cases and plan measures


class PersonPatchIn(Strict):
    """The fields of the web's person form. A field left out (or null) is not changed;
    an empty text clears an optional field."""

    given_name: Annotated[str, Field(max_length=100), CLEAN_TEXT] | None = None
    family_name: Annotated[str, Field(max_length=100), CLEAN_TEXT] | None = None
    birth_date: datetime.date | None = None
    national_id: Annotated[str, Field(max_length=20), CLEAN_TEXT] | None = None
    phone: Annotated[str, Field(max_length=30), CLEAN_TEXT] | None = None
    email: Annotated[str, Field(max_length=254), CLEAN_TEXT] | None = None
    street_address: Annotated[str, Field(max_length=200), CLEAN_TEXT] | None = None
    postal_code: Annotated[str, Field(max_length=4), CLEAN_TEXT] | None = None
    postal_town: Annotated[str, Field(max_length=100), CLEAN_TEXT] | None = None
    preferred_language: Annotated[str, Field(max_length=50), CLEAN_TEXT] | None = None
    needs_interpreter: bool | None = None
    language_form: Literal["nb", "nn"] | None = None
    person_ref: Annotated[str, Field(max_length=40), CLEAN_TEXT] | None = None


_RECEIVED_FROM = "Mottatt fra og med (åååå-mm-dd)."
_RECEIVED_TO = "Mottatt til og med (åååå-mm-dd)."


class ReferralFilter(Schema):
    status: ReferralStatusCode | None = Field(None, description="Bare meldinger med denne status.")
    received_from: datetime.date | None = Field(None, description=_RECEIVED_FROM)
    received_to: datetime.date | None = Field(None, description=_RECEIVED_TO)


class InboxFilter(Schema):
    status: Literal["mottatt", "under_vurdering"] | None = Field(
        None, description="Innboksen viser åpne meldinger: mottatt eller under vurdering."
    )
    urgency: UrgencyCode | None = Field(None, description="Bare denne hastegraden.")
    received_from: datetime.date | None = Field(None, description=_RECEIVED_FROM)
    received_to: datetime.date | None = Field(None, description=_RECEIVED_TO)


class ReferralStatusIn(Strict):
    """As the web's status form: forwarding needs a unit and a reason, closing a reason.
    A case is opened with «Opprett sak», not by a status change."""

    to_status: Literal["under_vurdering", "videresendt", "avsluttet"]
    reason: Annotated[str, Field(max_length=500), CLEAN_TEXT] = ""
    forwarded_to_id: int | None = Field(None, ge=1, le=MAX_ID)


CarePlaceCode = Literal["kommune", "spesialist", "felles"]


class ReferralTriageIn(Strict):
    pyramid_level: int = Field(..., ge=1, le=5, description="Nivå i rehabiliteringspyramiden.")
    competence: int = Field(..., ge=1, le=5)
    complexity: int = Field(..., ge=1, le=5)
    intensity: int = Field(..., ge=1, le=5)
    care_place: CarePlaceCode | None = Field(
        None, description="Utelatt: forslaget ut fra skårene følges."
    )


CaseKindCode = Literal["ip_koordinator", "tjeneste"]
CaseStatusCode = Literal["mottatt", "kartlegging", "vedtak", "tildelt", "venteliste", "avsluttet"]
DecisionSubjectCode = Literal["individuell_plan", "koordinator", "tjeneste"]
DecisionStateCode = Literal["gjeldende", "endret", "stanset"]
DecisionOutcomeCode = Literal["innvilget", "delvis", "avslag"]


class CaseFilter(Schema):
    kind: CaseKindCode | None = Field(None, description="Bare saker av denne typen.")
    status: CaseStatusCode | None = Field(None, description="Bare saker med denne status.")
    received_from: datetime.date | None = Field(None, description=_RECEIVED_FROM)
    received_to: datetime.date | None = Field(None, description=_RECEIVED_TO)


class CaseIn(Strict):
    """As the web's «Registrer søknad»: individual plan, coordinator or both."""

    received_on: datetime.date
    requests_individual_plan: bool = False
    requests_coordinator: bool = False
    responsible_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    caseworker_id: int | None = Field(None, ge=1, le=MAX_ID)


class DecisionFilter(Schema):
    subject: DecisionSubjectCode | None = Field(None, description="Hva vedtaket gjelder.")
    state: DecisionStateCode | None = Field(None, description="Gjeldende, endret eller stanset.")
    outcome: DecisionOutcomeCode | None = Field(None, description="Utfallet.")
    decided_from: datetime.date | None = Field(None, description="Vedtatt fra og med (åååå-mm-dd).")
    decided_to: datetime.date | None = Field(None, description="Vedtatt til og med (åååå-mm-dd).")


class DecisionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DecisionOut]


class MeasureIn(Strict):
    """As the web's measure form. Someone must be responsible: a unit, a staff member or
    others (`responsible_other`)."""

    title: Annotated[str, Field(max_length=200), CLEAN_TEXT]
    goal_id: int | None = Field(None, ge=1, le=MAX_ID)
    scope: Annotated[str, Field(max_length=200), CLEAN_TEXT] = ""
    how: Annotated[str, Field(max_length=2000), CLEAN_TEXT] = ""
    responsible_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    responsible_staff_id: int | None = Field(None, ge=1, le=MAX_ID)
    responsible_other: Annotated[str, Field(max_length=200), CLEAN_TEXT] = ""
    start_on: datetime.date | None = None
    end_on: datetime.date | None = None
    decision_id: int | None = Field(None, ge=1, le=MAX_ID)
    expected_version: int | None = Field(None, ge=1, le=MAX_ID)


class MeasurePatchIn(Strict):
    """A field left out is not changed; null clears an optional choice or date.
    `expected_version` is the plan's version when you read it (409 if it has changed)."""

    title: Annotated[str, Field(max_length=200), CLEAN_TEXT] | None = None
    goal_id: int | None = Field(None, ge=1, le=MAX_ID)
    scope: Annotated[str, Field(max_length=200), CLEAN_TEXT] | None = None
    how: Annotated[str, Field(max_length=2000), CLEAN_TEXT] | None = None
    responsible_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    responsible_staff_id: int | None = Field(None, ge=1, le=MAX_ID)
    responsible_other: Annotated[str, Field(max_length=200), CLEAN_TEXT] | None = None
    start_on: datetime.date | None = None
    end_on: datetime.date | None = None
    decision_id: int | None = Field(None, ge=1, le=MAX_ID)
    expected_version: int = Field(..., ge=1, le=MAX_ID)


def check_range(start: datetime.date | None, end: datetime.date | None, *, field: str) -> None:
    """A filter's period must not end before it starts (422, in Norwegian)."""
    if start is not None and end is not None and end < start:
        raise field_invalid(field, _("Sluttdatoen kan ikke være før startdatoen."))
