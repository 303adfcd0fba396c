"""Request schemas of the later writes: changing a plan goal and opening a
case from a message of need. The responses reuse the schemas in `api/schemas.py`."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field

from mestring.api.schemas import CLEAN_TEXT, MAX_ID, AchievementCode, GoalStatusCode, Strict


class GoalPatchIn(Strict):
    """The fields of the web's «Endre mål». A field left out (or null) is not changed,
    except `target_date`, where null clears the date. `expected_version` is the plan's
    version when you read it (409 if it has changed)."""

    text: Annotated[str, Field(max_length=2000), CLEAN_TEXT] | None = None
    status: GoalStatusCode | None = None
    achievement: AchievementCode | None = None
    target_date: datetime.date | None = None
    expected_version: int = Field(..., ge=1, le=MAX_ID)


class ReferralCaseIn(Strict):
    """As «Opprett sak» on a message of need: individual plan, coordinator or both; the
    case keeps the message's received date."""

    requests_individual_plan: bool = False
    requests_coordinator: bool = False
    responsible_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    caseworker_id: int | None = Field(None, ge=1, le=MAX_ID)


# --- Plan writes the web offers: create, close, participants, evaluations,
# appointing a coordinator. The imports are here so the classes above keep their place.

from typing import Literal as _Literal  # noqa: E402

from ninja import Schema as _Schema  # noqa: E402

from mestring.api.schemas import Day  # noqa: E402


class PlanCreateIn(Strict):
    """As «Opprett plan» in the web: a consent to individual plan in force (its id), the
    responsible unit and the start date are required."""

    consent_id: int = Field(..., ge=1, le=MAX_ID)
    responsible_unit_id: int = Field(..., ge=1, le=MAX_ID)
    start_date: Day
    end_date: Day | None = None
    next_revision_on: Day | None = None
    decision_id: int | None = Field(None, ge=1, le=MAX_ID)
    what_matters: Annotated[str, Field(max_length=5000), CLEAN_TEXT] = ""


class PlanCloseIn(Strict):
    """As «Avslutt planen»: the end date and why. With `expected_version` the closing is
    refused (409) if the plan has changed since you read it."""

    end_date: Day
    note: Annotated[str, Field(max_length=500), CLEAN_TEXT]
    expected_version: int | None = Field(None, ge=1, le=MAX_ID)


class ParticipantIn(Strict):
    """As «Ny deltaker»: exactly one of `staff_id`, `unit_id` or `relative_id` (one of
    the person's relatives), and the role."""

    staff_id: int | None = Field(None, ge=1, le=MAX_ID)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    relative_id: int | None = Field(None, ge=1, le=MAX_ID)
    role: Annotated[str, Field(max_length=150), CLEAN_TEXT]
    contribution: Annotated[str, Field(max_length=2000), CLEAN_TEXT] = ""
    expected_version: int | None = Field(None, ge=1, le=MAX_ID)


class ParticipantOut(_Schema):
    id: int
    plan_id: int
    staff_id: int | None
    unit_id: int | None
    relative_id: int | None
    name: str
    role: str
    contribution: str


class EvaluationIn(Strict):
    """As «Ny evaluering»: one goal (`goal_id`) or the whole plan (no `goal_id`). A
    goal's evaluation with `achievement` sets the goal's achievement."""

    goal_id: int | None = Field(None, ge=1, le=MAX_ID)
    evaluated_on: Day
    achievement: AchievementCode | None = None
    text: Annotated[str, Field(max_length=5000), CLEAN_TEXT]
    expected_version: int | None = Field(None, ge=1, le=MAX_ID)


class EvaluationOut(_Schema):
    id: int
    plan_id: int
    goal_id: int | None
    evaluated_on: datetime.date
    achievement: AchievementCode | _Literal[""]
    text: str
    evaluated_by_id: int | None


class CoordinatorAppointIn(Strict):
    """As «Oppnevn koordinator»: an active coordinator in the coordinator pool, from a
    date not in the future. A current coordinator is ended the day the new one starts."""

    coordinator_id: int = Field(..., ge=1, le=MAX_ID)
    started_on: Day
    person_wish: Annotated[str, Field(max_length=500), CLEAN_TEXT] = ""
    declined_individual_plan: bool = False
    decision_id: int | None = Field(None, ge=1, le=MAX_ID)


class CoordinatorAssignmentOut(_Schema):
    id: int
    person_id: int
    coordinator_id: int
    coordinator_name: str
    started_on: datetime.date
    ended_on: datetime.date | None
    person_wish: str
    declined_individual_plan: bool
    decision_id: int | None


# --- Registering an application for services. The imports are here so the
# classes above keep their place.

from typing import Annotated as _Annotated  # noqa: E402
from typing import Literal as _ApplicantLiteral  # noqa: E402

from ninja import Schema as _OutSchema  # noqa: E402

from mestring.api.schemas import CaseOut as _CaseOut  # noqa: E402
from mestring.api.schemas import Day as _Day  # noqa: E402

ApplicantCode = _ApplicantLiteral["personen", "parorende", "tjenesteyter"]
# One application names a handful of services; the bound keeps a request small.
MAX_SERVICES_PER_APPLICATION = 50


class ServiceCaseIn(Strict):
    """As the web's «Registrer søknad om tjenester»: who applies, when the application
    came in (not in the future) and the services applied for (ids of the municipality's
    services in use)."""

    applicant: ApplicantCode = Field(
        ...,
        description="Hvem som søker: personen selv, pårørende/verge eller tjenesteyter.",
    )
    received_on: _Day
    service_ids: list[_Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        ...,
        max_length=MAX_SERVICES_PER_APPLICATION,
        description="Tjenestene det søkes om (minst én), som id-er i kommunens tjenestekatalog.",
    )
    responsible_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    caseworker_id: int | None = Field(None, ge=1, le=MAX_ID)


class ServiceCaseLineOut(_OutSchema):
    service_id: int
    service: str
    decided: bool


class ServiceCaseOut(_CaseOut):
    applicant: str
    caseworker_id: int | None
    responsible_unit_id: int | None
    services: list[ServiceCaseLineOut] = Field(..., description="Tjenestene det søkes om.")


# --- Changing a plan participant and ending a coordinator.


class ParticipantPatchIn(Strict):
    """As «Endre deltaker»: a field left out is not changed. `null` in `staff_id`,
    `unit_id` or `relative_id` clears that choice (exactly one must be chosen after the
    change); `null` in `role` or `contribution` leaves it as it is. `expected_version` is
    the plan's version when you read it (409 if it has changed)."""

    staff_id: int | None = Field(None, ge=1, le=MAX_ID)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    relative_id: int | None = Field(None, ge=1, le=MAX_ID)
    role: Annotated[str, Field(max_length=150), CLEAN_TEXT] | None = None
    contribution: Annotated[str, Field(max_length=2000), CLEAN_TEXT] | None = None
    expected_version: int = Field(..., ge=1, le=MAX_ID)


class CoordinatorEndIn(Strict):
    """As «Avslutt» on the coordinator page: the last day (not in the future, not before
    the coordinator began). Left out: today, as the web suggests."""

    ended_on: Day | None = None
