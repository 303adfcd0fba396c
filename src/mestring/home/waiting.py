"""What waits for a user, in counts: the start page's "Dette venter på deg".

Each count is the length of a list the user may open (the page it links to), and is
read from the selector of the app that owns the data. The number of queries depends
on the user's permissions only, never on the amount of data.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from mestring.access import selectors as access_selectors
from mestring.access.actor import Actor
from mestring.access.permissions import (
    ACCESS_REVIEW,
    DEVICES_MANAGE,
    PERSON_REGISTER,
    REHAB_REGISTER,
    STATISTICS_VIEW,
)
from mestring.casework import selectors as casework_selectors
from mestring.casework.models import CaseKind
from mestring.catalogue import selectors as catalogue_selectors
from mestring.devices.selectors import loans as loan_selectors
from mestring.devices.selectors import store as store_selectors
from mestring.jobs import selectors as reminder_selectors
from mestring.plans import selectors as plan_selectors
from mestring.portal import selectors as portal_selectors
from mestring.referrals import selectors as referral_selectors
from mestring.rehab import selectors as rehab_selectors
from mestring.rehab.models import Programme
from mestring.teams import selectors as team_selectors

# What is news: the same days as the reminders of those events.
NEW_DAYS = reminder_selectors.EVENT_DAYS
# Deadlines shown ahead: a plan's revision as its reminder comes, a measure's end.
REVISION_DAYS = reminder_selectors.PLAN_REVISION_NOTICE_DAYS
MEASURE_DAYS = 14


def new_since(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=NEW_DAYS)


def rehab_waiting(actor: Actor) -> list[tuple[Programme, int]]:
    """What waits on each programme the user's units run, for the therapists; each
    count links to that programme's waiting list."""
    if actor.staff is None or not actor.has_perm(REHAB_REGISTER):
        return []
    return rehab_selectors.waiting_by_programme(actor.staff.units.values_list("pk", flat=True))


def what_waits(actor: Actor, now: datetime.datetime | None = None) -> dict[str, int]:
    """The counts for the user's start page; a key is present only where the user may
    open the list behind it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    staff = actor.staff
    assert staff is not None  # the start page is for staff (staff_required)
    waiting = {
        "reminders": reminder_selectors.unseen_count(staff),
        "follow_ups": team_selectors.open_follow_ups_for_staff(staff, today).count(),
        "my_persons": access_selectors.staff_relations(staff).count(),
        "new_persons": access_selectors.new_relations(staff, new_since(now)).count(),
        "citizen_input": portal_selectors.staff_inbox(staff).count(),
        "new_appointments": plan_selectors.new_assignments_for(
            staff, timezone.localdate(new_since(now))
        ).count(),
        "revisions_due": plan_selectors.revisions_due_for(
            staff, today + datetime.timedelta(days=REVISION_DAYS)
        ).count(),
        "measures_ending": plan_selectors.measures_ending_for(
            staff, today, today + datetime.timedelta(days=MEASURE_DAYS)
        ).count(),
    }
    if actor.has_perm(PERSON_REGISTER):
        # The intake queues and the user's own cases, each linked to its list.
        waiting["messages"] = referral_selectors.waiting_count()
        waiting["messages_unassigned"] = referral_selectors.unassigned_count()
        waiting["services_unassigned"] = casework_selectors.unassigned_count(CaseKind.SERVICE)
        waiting["plans_unassigned"] = casework_selectors.unassigned_count(
            CaseKind.PLAN_AND_COORDINATOR
        )
        waiting["my_cases"] = casework_selectors.own_cases(staff).count()
        waiting["cases_overdue"] = casework_selectors.overdue_count()
    if actor.has_perm(STATISTICS_VIEW):
        attention = catalogue_selectors.capacity_attention(today)
        waiting["capacity_free"] = len(attention.free_with_waiting)
        waiting["capacity_over"] = len(attention.over)
    if actor.has_perm(DEVICES_MANAGE):
        waiting["deliveries"] = loan_selectors.deliveries().count()
        waiting["returns_overdue"] = loan_selectors.overdue(today).count()
        waiting["cleaning"] = store_selectors.cleaning_queue().count()
        waiting["repairs"] = store_selectors.open_repairs().count()
    if actor.has_perm(ACCESS_REVIEW):
        waiting["reviews"] = access_selectors.open_emergency_reviews().count()
        waiting["relation_reviews"] = access_selectors.relations_awaiting_review().count()
    return waiting
