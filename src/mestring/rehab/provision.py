"""A rehabilitation programme carries out the services the allocation office assigns.

When a granted service that a programme runs (hverdagsrehabilitering, say) is assigned
to a unit, the programme gets the person as a referral on its waiting list, linked to
the decision, so that the therapists find the person where they plan their work; the
assignment already gives the unit its care relation. When the decision stops, the
episodes it started end with it (`episodes_end_with_decision`). Both run inside the
transaction of the act that caused them (see `RehabConfig.ready`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.casework.models import Decision
from mestring.catalogue.models import Assignment
from mestring.rehab.models import (
    OPEN_EPISODE_STATUSES,
    Episode,
    Programme,
    ReferralSource,
)
from mestring.rehab.services import episode_refer, episodes_end_with_decision


def programme_for(assignment: Assignment) -> Programme | None:
    """The active programme that runs the assigned service: the assigned unit's own
    first, else any that runs it."""
    return (
        Programme.objects.filter(service=assignment.decision.service_id, is_active=True)
        .annotate(
            own_unit=Case(
                When(unit=assignment.unit_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("own_unit", "pk")
        .first()
    )


def refer_assigned(actor: Actor, assignment: Assignment) -> Episode | None:
    """Put the person of an assignment on the programme's waiting list (henvist), once
    per decision; None when no programme runs the service."""
    programme = programme_for(assignment)
    decision = assignment.decision
    if programme is None or decision.episodes.filter(status__in=OPEN_EPISODE_STATUSES).exists():
        return None
    return episode_refer(
        actor=actor,
        person=decision.case.person,
        programme=programme,
        referral_date=min(assignment.starts_on, timezone.localdate()),
        referral_source=ReferralSource.ALLOCATION_OFFICE,
        referred_by=actor.display_name,
        reason=_("Tildelt %(unit)s fra %(day)s etter vedtak om %(service)s.")
        % {
            "unit": assignment.unit,
            "day": assignment.starts_on.strftime("%d.%m.%Y"),
            "service": decision.service,
        },
        decision=decision,
    )


def on_assignment_made(
    sender: type[Assignment], *, actor: Actor, assignment: Assignment, **kwargs: Any
) -> None:
    refer_assigned(actor, assignment)


def on_decision_ended(
    sender: type[Decision],
    *,
    actor: Actor,
    decision: Decision,
    on: datetime.date,
    note: str,
    **kwargs: Any,
) -> None:
    episodes_end_with_decision(actor=actor, decision=decision, on=on, note=note)
