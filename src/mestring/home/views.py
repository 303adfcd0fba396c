from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mestring.access import selectors as access_selectors
from mestring.access.decorators import staff_required
from mestring.access.permissions import ACCESS_REVIEW, PERSON_REGISTER, REHAB_REGISTER
from mestring.access.request import StaffRequest
from mestring.casework import selectors as casework_selectors
from mestring.casework.models import CaseKind
from mestring.home.hubs import HUBS
from mestring.referrals import selectors as referral_selectors
from mestring.register.forms import PersonSearchForm
from mestring.rehab import selectors as rehab_selectors
from mestring.teams import selectors as team_selectors


@staff_required()
def home(request: StaffRequest) -> HttpResponse:
    """The start page: what waits for this user, in counts (no person data)."""
    actor = request.actor
    today = timezone.localdate()
    waiting = {
        "follow_ups": team_selectors.open_follow_ups_for_staff(actor.staff, today).count(),
        "my_persons": access_selectors.staff_relations(actor.staff).count(),
    }
    if actor.has_perm(PERSON_REGISTER):
        # The intake queues and the user's own cases, each linked to its list.
        waiting["messages"] = referral_selectors.waiting_count()
        waiting["messages_unassigned"] = referral_selectors.unassigned_count()
        waiting["services_unassigned"] = casework_selectors.unassigned_count(CaseKind.SERVICE)
        waiting["plans_unassigned"] = casework_selectors.unassigned_count(
            CaseKind.PLAN_AND_COORDINATOR
        )
        waiting["my_cases"] = casework_selectors.own_cases(actor.staff).count()
        waiting["cases_overdue"] = casework_selectors.overdue_count()
    if actor.has_perm(REHAB_REGISTER):
        # Referrals waiting on the programmes the user's units run.
        waiting["rehab_waiting"] = rehab_selectors.waiting_for_units(
            actor.staff.units.values_list("pk", flat=True)
        ).count()
    if actor.has_perm(ACCESS_REVIEW):
        waiting["reviews"] = access_selectors.open_emergency_reviews().count()
        waiting["relation_reviews"] = access_selectors.relations_awaiting_review().count()
    context = {"search_form": PersonSearchForm(), "waiting": waiting}
    return render(request, "core/home.html", context)


@staff_required()
def hub(request: StaffRequest, slug: str) -> HttpResponse:
    """A menu section: the links this user may use, with a line about each."""
    section = HUBS.get(slug)
    links = section.visible_links(request.actor) if section else []
    if not links:
        raise Http404
    return render(request, "core/hub.html", {"hub": section, "links": links})
