"""Request schemas of the later writes (issue 10): changing a plan goal and opening a
case from a message of need. The responses reuse the schemas in `api/schemas.py`."""

from __future__ import annotations

import datetime

from ninja import Field

from mestring.api.schemas import MAX_ID, AchievementCode, GoalStatusCode, Strict
from mestring.api.schemas import text as text_field  # `text` is also a field name below


class GoalPatchIn(Strict):
    """The fields of the web's «Endre mål». A field left out (or null) is not changed,
    except `target_date`, where null clears the date. `expected_version` is the plan's
    version when you read it (409 if it has changed)."""

    text: text_field(2000) | None = None  # type: ignore[valid-type]
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
