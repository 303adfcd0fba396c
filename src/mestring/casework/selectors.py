"""Reads of cases and decisions: the coordinating unit's lists and a person's cases.

The lists run a fixed number of queries whatever their length. Processing time is
counted in days from the day the case was received to the decision, or to today.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.models import CareRelation
from mestring.assessments.models import Assessment
from mestring.casework.models import (
    APPEAL_TRANSITIONS,
    OPEN_CASE_STATUSES,
    Appeal,
    ApplicationLine,
    Case,
    CaseKind,
    CaseStatus,
    Decision,
    DecisionChange,
    DecisionOutcome,
    DecisionState,
    DecisionSubject,
    LegalBasis,
    overdue_cutoff,
    provisional_reply_cutoff,
)
from mestring.people.models import Person, Staff


class CaseFilter:
    """The case list's filters (URL values) and their labels."""

    ALL = "alle"
    # The two intake queues: applications for services wait for the allocation office,
    # individual plan and coordinator for the coordinating unit.
    UNASSIGNED_SERVICES = "ufordelt_tjenester"
    UNASSIGNED_PLANS = "ufordelt_plan"
    MINE = "mine"  # the user's own open cases
    OVERDUE = "forfalt"
    NO_PROVISIONAL_REPLY = "mangler_svar"
    VALUES = (ALL, UNASSIGNED_SERVICES, UNASSIGNED_PLANS, MINE, OVERDUE, NO_PROVISIONAL_REPLY)


CASE_SORTS: dict[str, tuple] = {
    "mottatt": ("received_on", "pk"),
    "-mottatt": ("-received_on", "-pk"),
    "navn": (Lower("person__family_name"), Lower("person__given_name"), "pk"),
    "-navn": (Lower("person__family_name").desc(), Lower("person__given_name").desc(), "-pk"),
    "saksbehandler": ("caseworker__user__last_name", "caseworker__user__first_name", "pk"),
    "-saksbehandler": ("-caseworker__user__last_name", "-caseworker__user__first_name", "-pk"),
}
DEFAULT_CASE_SORT = "mottatt"  # oldest first: the longest processing time on top


def open_cases() -> QuerySet[Case]:
    """Cases of both kinds (individual plan/coordinator, services) that still wait for a
    decision."""
    return Case.objects.filter(status__in=OPEN_CASE_STATUSES)


def unassigned_cases(kind: str) -> QuerySet[Case]:
    """Open cases of one kind that no caseworker has taken yet."""
    return open_cases().filter(kind=kind, caseworker__isnull=True)


def unassigned_count(kind: str) -> int:
    return unassigned_cases(kind).count()


def own_cases(staff: Staff | None) -> QuerySet[Case]:
    """Open cases the staff member is caseworker of."""
    return open_cases().filter(caseworker=staff) if staff else Case.objects.none()


def overdue_cases(today: datetime.date | None = None) -> QuerySet[Case]:
    """Open and received more than 30 days ago without a decision."""
    return open_cases().filter(received_on__lt=overdue_cutoff(today))


def cases_awaiting_provisional_reply(today: datetime.date | None = None) -> QuerySet[Case]:
    """Open, past or near the 30-day mark, and no provisional reply sent."""
    return open_cases().filter(
        provisional_reply_sent_on__isnull=True,
        received_on__lte=provisional_reply_cutoff(today),
    )


def open_count() -> int:
    return open_cases().count()


def overdue_count(today: datetime.date | None = None) -> int:
    return overdue_cases(today).count()


def awaiting_provisional_reply_count(today: datetime.date | None = None) -> int:
    return cases_awaiting_provisional_reply(today).count()


def case_list(
    *,
    actor: Actor,
    show: str = CaseFilter.ALL,
    sort: str = DEFAULT_CASE_SORT,
    today: datetime.date | None = None,
) -> QuerySet[Case]:
    """Open cases for the list page, each marked whether the actor may open the person."""
    cases = {
        CaseFilter.OVERDUE: overdue_cases,
        CaseFilter.NO_PROVISIONAL_REPLY: cases_awaiting_provisional_reply,
        CaseFilter.UNASSIGNED_SERVICES: lambda _today: unassigned_cases(CaseKind.SERVICE),
        CaseFilter.MINE: lambda _today: own_cases(actor.staff),
        CaseFilter.UNASSIGNED_PLANS: lambda _today: unassigned_cases(CaseKind.PLAN_AND_COORDINATOR),
    }.get(show, lambda _today: open_cases())(today)
    relations = CareRelation.objects.none()
    if actor.staff is not None:
        relations = (
            CareRelation.objects.active()
            .for_staff(actor.staff)
            .filter(person_id=OuterRef("person_id"))
        )
    return (
        cases.select_related("person", "caseworker__user", "responsible_unit")
        .prefetch_related(_lines())
        .annotate(has_access=Exists(relations))
        .order_by(*CASE_SORTS.get(sort, CASE_SORTS[DEFAULT_CASE_SORT]))
    )


def person_cases(person: Person) -> QuerySet[Case]:
    return (
        Case.objects.filter(person=person)
        .select_related("caseworker__user", "responsible_unit")
        .prefetch_related(_lines())
        .order_by("-received_on", "-pk")
    )


def person_decisions(person: Person) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(case__person=person)
        .select_related("case", "legal_basis", "decided_by__user", "service")
        .order_by("-decided_on", "-pk")
    )


class CaseAction:
    """What can be done with a case, named as the case page names its forms."""

    PROVISIONAL_REPLY = "svar"
    START_ASSESSMENT = "kartlegging"  # service applications
    INVESTIGATE = "utredning"  # individual plan and coordinator
    DECIDE = "vedtak"
    ASSIGN = "saksbehandler"
    CLOSE = "avslutt"


def case_actions(case: Case) -> frozenset[str]:
    """The actions the case allows in its present status (CaseAction names). A closed
    case allows none; its decisions keep their own actions."""
    if case.is_closed:
        return frozenset()
    actions = {CaseAction.DECIDE, CaseAction.ASSIGN}
    if case.awaits_provisional_reply:
        actions.add(CaseAction.PROVISIONAL_REPLY)
    if case.can_become(CaseStatus.ASSESSING):
        service = case.kind == CaseKind.SERVICE
        actions.add(CaseAction.START_ASSESSMENT if service else CaseAction.INVESTIGATE)
    if case.can_become(CaseStatus.CLOSED):
        actions.add(CaseAction.CLOSE)
    return frozenset(actions)


def case_history(case: Case) -> QuerySet:
    return case.history.select_related("changed_by").order_by("changed_at", "pk")


def case_decisions(case: Case) -> QuerySet[Decision]:
    """The case's decisions with their appeals and change history, oldest service first."""
    return (
        case.decisions.select_related("legal_basis", "decided_by__user", "service", "replaces")
        .prefetch_related(
            Prefetch("appeals", queryset=Appeal.objects.order_by("received_on", "pk")),
            Prefetch(
                "changes",
                queryset=DecisionChange.objects.select_related("changed_by").order_by(
                    "changed_on", "pk"
                ),
            ),
        )
        .order_by("subject", "service__name", "decided_on", "pk")
    )


def case_submission_done(case: Case, token: str) -> bool:
    """Whether a form of the case page with this submission token already made its
    decision or appeal (M2): the same form sent twice is answered, not refused."""
    try:
        value = uuid.UUID(token)
    except ValueError:
        return False
    return (
        Decision.objects.filter(case=case, submission_token=value).exists()
        or Appeal.objects.filter(decision__case=case, submission_token=value).exists()
    )


def case_lines(case: Case) -> QuerySet[ApplicationLine]:
    return case.lines.select_related("service").order_by("service__name", "pk")


def _lines() -> Prefetch:
    return Prefetch("lines", queryset=ApplicationLine.objects.select_related("service"))


def active_legal_bases() -> QuerySet[LegalBasis]:
    return LegalBasis.objects.filter(is_active=True).order_by("title")


def legal_bases() -> QuerySet[LegalBasis]:
    return LegalBasis.objects.order_by("-is_active", "title")


# --- Deadlines (frister) for the allocation office and the coordinating unit.

ENDING_SOON_DAYS = 30


class DeadlineTab:
    """The deadline page's tabs (URL values)."""

    OVERDUE = "overtid"
    ENDING = "utloper"
    REASSESS = "ny-kartlegging"
    APPEALS = "klager"
    VALUES = (OVERDUE, ENDING, REASSESS, APPEALS)


def overdue_list(today: datetime.date | None = None) -> QuerySet[Case]:
    """Overdue cases of both kinds, longest processing time first."""
    return (
        overdue_cases(today)
        .select_related("person", "caseworker__user", "responsible_unit")
        .prefetch_related(_lines())
        .order_by("received_on", "pk")
    )


def _service_decisions_in_force() -> QuerySet[Decision]:
    return Decision.objects.filter(
        subject=DecisionSubject.SERVICE, status=DecisionState.IN_FORCE
    ).exclude(outcome=DecisionOutcome.REFUSED)


def decisions_ending_soon(today: datetime.date | None = None) -> QuerySet[Decision]:
    """Service decisions in force whose period ends within 30 days (or ended today)."""
    today = today or timezone.localdate()
    return (
        _service_decisions_in_force()
        .filter(
            valid_to__gte=today, valid_to__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS)
        )
        .select_related("case__person", "case__caseworker__user", "service")
        .order_by("valid_to", "pk")
    )


def decisions_needing_reassessment(today: datetime.date | None = None) -> QuerySet[Decision]:
    """Service decisions in force (not yet ended) for persons whose latest assessment
    said to assess again by a day that has passed."""
    today = today or timezone.localdate()
    latest = Assessment.objects.filter(person_id=OuterRef("case__person_id")).order_by(
        "-assessed_on", "-pk"
    )
    return (
        _service_decisions_in_force()
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .annotate(next_assessment_on=Subquery(latest.values("next_assessment_on")[:1]))
        .filter(next_assessment_on__lt=today)
        .select_related("case__person", "case__caseworker__user", "service")
        .order_by(F("next_assessment_on").asc(), "pk")
    )


def open_appeals() -> QuerySet[Appeal]:
    """Appeals not yet decided or withdrawn, oldest first."""
    return (
        Appeal.objects.filter(status__in=list(APPEAL_TRANSITIONS))
        .select_related("decision__case__person", "decision__service")
        .order_by("received_on", "pk")
    )


def deadline_rows(tab: str, today: datetime.date | None = None) -> QuerySet[Any]:
    """The rows of one deadline tab: cases, decisions or appeals, as the tab says."""
    rows: dict[str, Callable[[datetime.date | None], QuerySet[Any]]] = {
        DeadlineTab.OVERDUE: overdue_list,
        DeadlineTab.ENDING: decisions_ending_soon,
        DeadlineTab.REASSESS: decisions_needing_reassessment,
        DeadlineTab.APPEALS: lambda _today: open_appeals(),
    }
    return rows[tab](today)
