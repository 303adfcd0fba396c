"""Request and response schemas. Every operation documents each status it can give."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

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


def text(max_length: int) -> object:
    return Annotated[str, Field(max_length=max_length), AfterValidator(_clean_text)]


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
    given_name: text(100)  # type: ignore[valid-type]
    family_name: text(100)  # type: ignore[valid-type]
    birth_date: datetime.date
    national_id: text(20) = ""  # type: ignore[valid-type]
    phone: text(30) = ""  # type: ignore[valid-type]
    email: text(254) = ""  # type: ignore[valid-type]
    street_address: text(200) = ""  # type: ignore[valid-type]
    postal_code: text(4) = ""  # type: ignore[valid-type]
    postal_town: text(100) = ""  # type: ignore[valid-type]
    preferred_language: text(50) = "norsk"  # type: ignore[valid-type]
    needs_interpreter: bool = False
    language_form: Literal["nb", "nn"] = "nb"
    person_ref: text(40) = ""  # type: ignore[valid-type]


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
    description: text(5000)  # type: ignore[valid-type]
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
    start_on: datetime.date | None
    end_on: datetime.date | None


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
    text: text(2000)  # type: ignore[valid-type]
    status: Literal["foreslatt", "aktiv"] = "aktiv"
    target_date: datetime.date | None = None
    expected_version: int | None = Field(None, ge=1, le=MAX_ID)


class GoalStatusIn(Strict):
    status: GoalStatusCode
    achievement: AchievementCode | None = None
    expected_version: int = Field(..., ge=1, le=MAX_ID)
