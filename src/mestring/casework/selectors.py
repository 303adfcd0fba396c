"""Reads of cases and decisions: the coordinating unit's lists and a person's cases.

The lists run a fixed number of queries whatever their length. Processing time is
counted in days from the day the case was received to the decision, or to today.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower

from mestring.access.actor import Actor
from mestring.access.models import CareRelation
from mestring.casework.models import (
    OPEN_CASE_STATUSES,
    Case,
    CaseKind,
    Decision,
    LegalBasis,
    overdue_cutoff,
    provisional_reply_cutoff,
)
from mestring.people.models import Person


class CaseFilter:
    """The case list's filters (URL values) and their labels."""

    ALL = "alle"
    OVERDUE = "forfalt"
    NO_PROVISIONAL_REPLY = "mangler_svar"
    VALUES = (ALL, OVERDUE, NO_PROVISIONAL_REPLY)


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
    """The coordinating unit's cases that still wait for a decision."""
    return Case.objects.filter(kind=CaseKind.PLAN_AND_COORDINATOR, status__in=OPEN_CASE_STATUSES)


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
        .annotate(has_access=Exists(relations))
        .order_by(*CASE_SORTS.get(sort, CASE_SORTS[DEFAULT_CASE_SORT]))
    )


def person_cases(person: Person) -> QuerySet[Case]:
    return (
        Case.objects.filter(person=person)
        .select_related("caseworker__user", "responsible_unit")
        .order_by("-received_on", "-pk")
    )


def person_decisions(person: Person) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(case__person=person)
        .select_related("case", "legal_basis", "decided_by__user")
        .order_by("-decided_on", "-pk")
    )


def case_history(case: Case) -> QuerySet:
    return case.history.select_related("changed_by").order_by("changed_at", "pk")


def case_decisions(case: Case) -> QuerySet[Decision]:
    return case.decisions.select_related("legal_basis", "decided_by__user").order_by("subject")


def active_legal_bases() -> QuerySet[LegalBasis]:
    return LegalBasis.objects.filter(is_active=True).order_by("title")


def legal_bases() -> QuerySet[LegalBasis]:
    return LegalBasis.objects.order_by("-is_active", "title")
