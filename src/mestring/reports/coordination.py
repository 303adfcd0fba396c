"""The coordinating unit's overview: figures, and the lists behind them.

Figures are counts anyone with statistics access may see; the lists name persons and
are for the coordinating unit (access.grant), and are audited when shown.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from mestring.access.models import Consent
from mestring.core.reporting import adult_threshold
from mestring.people.models import Unit
from mestring.plans import selectors as plan_selectors
from mestring.plans.models import CoordinatorAssignment, CoordinatorProfile
from mestring.referrals import selectors as referral_selectors
from mestring.reports.individual_plans import plans_in_force
from mestring.teams import selectors as team_selectors
from mestring.teams.models import FollowUpItem, ResponsibilityGroup

CONSENT_WINDOW_DAYS = 30
# The filter value of rows that belong to no unit.
NO_UNIT = "-"


def _coordinator_unit_names() -> dict[int, str]:
    """Each coordinator's first unit by name, so a coordinator in two units is counted
    once. One query over the few coordinators, instead of a subquery per assignment."""
    first: dict[int, str] = {}
    rows = (
        Unit.objects.filter(staff__in=CoordinatorAssignment.objects.values("coordinator"))
        .order_by("name")
        .values_list("staff", "name")
    )
    for staff_id, name in rows:
        first.setdefault(staff_id, name)
    return first


def coordinators_in_force(day: datetime.date) -> QuerySet[CoordinatorAssignment]:
    """Assignments in force, each with its coordinator's unit (`unit_name`)."""
    names = _coordinator_unit_names()
    unit_name = Case(
        *[When(coordinator_id=staff_id, then=Value(name)) for staff_id, name in names.items()],
        default=Value(None),
        output_field=CharField(),
    )
    return CoordinatorAssignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day
    ).annotate(unit_name=unit_name)


def groups_in_force(day: datetime.date) -> QuerySet[ResponsibilityGroup]:
    return ResponsibilityGroup.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day
    )


def _by_age(queryset: QuerySet, unit_field: str, day: datetime.date) -> list[dict[str, Any]]:
    threshold = adult_threshold(day)
    # Every person is either under 18 or not, so the distinct total is the sum of the
    # two: one COUNT(DISTINCT) less, each of which sorts all rows of the group.
    rows = (
        queryset.values(unit_field)
        .annotate(
            under_18=Count("person", filter=Q(person__birth_date__gt=threshold), distinct=True),
            adult=Count("person", filter=Q(person__birth_date__lte=threshold), distinct=True),
        )
        .order_by(unit_field)
    )
    return [
        {
            "unit": row[unit_field] or str(_("Ikke knyttet til enhet")),
            "unit_key": row[unit_field] or NO_UNIT,
            "under_18": row["under_18"],
            "adult": row["adult"],
            "total": row["under_18"] + row["adult"],
        }
        for row in rows
    ]


def consents_attention(day: datetime.date) -> QuerySet[Consent]:
    """Withdrawn in the last 30 days, or expiring within the next 30 days."""
    window = datetime.timedelta(days=CONSENT_WINDOW_DAYS)
    return Consent.objects.filter(
        Q(withdrawn_on__gte=day - window, withdrawn_on__lte=day)
        | Q(withdrawn_on__isnull=True, expires_on__gte=day, expires_on__lte=day + window)
    )


def follow_ups_overdue(day: datetime.date) -> QuerySet[FollowUpItem]:
    return FollowUpItem.objects.filter(done_on__isnull=True, due_on__lt=day)


def caseload() -> list[dict[str, Any]]:
    """Active coordinators in the pool and their current number of persons."""
    profiles = (
        CoordinatorProfile.objects.filter(is_active=True)
        .select_related("staff__user")
        .annotate(
            persons=Count(
                "staff__assignments",
                filter=Q(staff__assignments__ended_on__isnull=True),
                distinct=True,
            )
        )
        .order_by("-persons", "staff__user__last_name")
    )
    return [
        {"profile_id": p.pk, "staff_id": p.staff_id, "name": str(p.staff), "persons": p.persons}
        for p in profiles
    ]


def overview(day: datetime.date) -> dict[str, Any]:
    return {
        "date": day,
        "plans": _by_age(plans_in_force(day), "responsible_unit__name", day),
        "coordinators": _by_age(coordinators_in_force(day), "unit_name", day),
        "groups": _by_age(groups_in_force(day), "plan__responsible_unit__name", day),
        "revision_overdue": plan_selectors.revision_overdue(day).count(),
        "consents_attention": consents_attention(day).count(),
        "meetings_this_week": team_selectors.meetings_this_week_count(day),
        "follow_ups_overdue": team_selectors.follow_ups_overdue_count(day),
        "messages_waiting": referral_selectors.waiting_count(),
        "caseload": caseload(),
    }
