"""Reads of messages of need: the coordinating unit's inbox, counts, a person's messages.

Every list runs in a fixed number of queries whatever its length.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.models import CareRelation
from mestring.people.models import Person
from mestring.referrals.models import (
    OPEN_REFERRAL_STATUSES,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Urgency,
)
from mestring.referrals.rules import response_days

# Inbox views: key in the URL (?vis=…) → filter on the open messages.
INBOX_VIEWS = ("alle", "ufordelte", "nye", "vurdering", "forfalt")
# Open messages nobody has taken yet: the queue the coordinating unit works from.
UNASSIGNED = Q(status__in=OPEN_REFERRAL_STATUSES, handler__isnull=True)
INBOX_SORTS = {
    # Default: urgent first, then the oldest first, so that what is most late comes on top.
    "": ("urgency_rank", "received_on", "pk"),
    "mottatt": ("received_on", "pk"),
    "-mottatt": ("-received_on", "-pk"),
}


def overdue_filter(today: datetime.date | None = None) -> Q:
    """Open messages received more than N days ago (N by urgency, from settings)."""
    today = today or timezone.localdate()
    urgent_before = today - datetime.timedelta(days=response_days(Urgency.URGENT))
    normal_before = today - datetime.timedelta(days=response_days(Urgency.NORMAL))
    late = Q(urgency=Urgency.URGENT, received_on__lt=urgent_before) | (
        ~Q(urgency=Urgency.URGENT) & Q(received_on__lt=normal_before)
    )
    return Q(status__in=OPEN_REFERRAL_STATUSES) & late


def _view_filter(view: str, today: datetime.date) -> Q:
    if view == "ufordelte":
        return UNASSIGNED
    if view == "nye":
        return Q(status=ReferralStatus.RECEIVED)
    if view == "vurdering":
        return Q(status=ReferralStatus.ASSESSING)
    if view == "forfalt":
        return overdue_filter(today)
    return Q(status__in=OPEN_REFERRAL_STATUSES)


def inbox(
    actor: Actor, *, view: str = "alle", sort: str = "", today: datetime.date | None = None
) -> QuerySet[Referral]:
    """Open messages for the coordinating unit, each marked with whether the actor may
    open the person's pages (an active care relation, own or through a unit)."""
    today = today or timezone.localdate()
    referrals = (
        Referral.objects.filter(_view_filter(view, today))
        .select_related("person", "source_unit", "handler__user")
        .annotate(
            urgency_rank=Case(
                When(urgency=Urgency.URGENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    )
    if actor.staff is not None:
        relations = (
            # The inbox links to the message, which an intake relation opens too.
            CareRelation.objects.active(include_intake=True)
            .for_staff(actor.staff)
            .filter(person_id=OuterRef("person_id"))
        )
        referrals = referrals.annotate(has_access=Exists(relations))
    else:
        referrals = referrals.annotate(has_access=Value(False))
    return referrals.order_by(*INBOX_SORTS.get(sort, INBOX_SORTS[""]))


def inbox_counts(today: datetime.date | None = None) -> dict[str, int]:
    """The number behind each inbox tab, in one query."""
    today = today or timezone.localdate()
    # Every tab counts open messages only: the WHERE lets the status index skip the
    # years of handled ones.
    return Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES).aggregate(
        alle=Count("pk", filter=Q(status__in=OPEN_REFERRAL_STATUSES)),
        ufordelte=Count("pk", filter=UNASSIGNED),
        nye=Count("pk", filter=Q(status=ReferralStatus.RECEIVED)),
        vurdering=Count("pk", filter=Q(status=ReferralStatus.ASSESSING)),
        forfalt=Count("pk", filter=overdue_filter(today)),
    )


def waiting_count() -> int:
    """Messages not yet handled (mottatt or under vurdering), for the unit's overview."""
    return Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES).count()


def unassigned_count() -> int:
    """Open messages nobody has taken yet."""
    return Referral.objects.filter(UNASSIGNED).count()


def overdue_count(today: datetime.date | None = None) -> int:
    return Referral.objects.filter(overdue_filter(today)).count()


def person_referrals(person: Person) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(person=person)
        .select_related("source_unit", "forwarded_to")
        .order_by("-received_on", "-pk")
    )


def person_referral(person: Person, referral_id: int) -> Referral:
    """One message of this person; another person's id is a 404."""
    queryset = Referral.objects.select_related(
        "person",
        "source_unit",
        "forwarded_to",
        "registered_by__user",
        "triaged_by__user",
    ).prefetch_related("cases")
    return get_object_or_404(queryset, pk=referral_id, person=person)


def referral_history(referral: Referral) -> QuerySet[ReferralStatusChange]:
    return ReferralStatusChange.objects.filter(referral=referral).select_related("changed_by")
