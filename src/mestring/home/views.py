from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from mestring.access import selectors as access_selectors
from mestring.access.boards import name_persons
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view
from mestring.access.permissions import STATISTICS_VIEW
from mestring.access.request import StaffRequest
from mestring.catalogue import selectors as catalogue_selectors
from mestring.core import csvexport
from mestring.home import waiting as waiting_counts
from mestring.home.hubs import HUBS
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person, Staff
from mestring.plans import selectors as plan_selectors
from mestring.register.forms import PersonSearchForm


@staff_required()
def home(request: StaffRequest) -> HttpResponse:
    """The start page: what waits for this user, in counts (no person data)."""
    context = {
        "search_form": PersonSearchForm(),
        "waiting": waiting_counts.what_waits(request.actor),
        "rehab_waiting": waiting_counts.rehab_waiting(request.actor),
    }
    return render(request, "core/home.html", context)


@staff_required()
def hub(request: StaffRequest, slug: str) -> HttpResponse:
    """A menu section: the links this user may use, with a line about each."""
    section = HUBS.get(slug)
    links = section.visible_links(request.actor) if section else []
    if not links:
        raise Http404
    return render(request, "core/hub.html", {"hub": section, "links": links})


# --- The lists behind the start page's counts (the user's own work)


@dataclass
class WorkRow:
    """One line of a list behind a count: whose, what, and the date that matters.
    `named` and `openable` are set by `name_persons`."""

    person: Person
    what: str
    on: datetime.date | None
    named: bool = False
    openable: bool = False


@dataclass(frozen=True)
class WorkList:
    title: Any
    intro: Any
    date_label: Any
    empty: Any
    rows: Callable[[Staff, datetime.datetime], list[WorkRow]]


def _new_appointments(staff: Staff, now: datetime.datetime) -> list[WorkRow]:
    since = timezone.localdate(waiting_counts.new_since(now))
    return [
        WorkRow(row.person, _("Koordinator"), row.started_on)
        for row in plan_selectors.new_assignments_for(staff, since)
    ]


def _new_persons(staff: Staff, now: datetime.datetime) -> list[WorkRow]:
    return [
        WorkRow(row.person, row.get_kind_display(), timezone.localdate(row.valid_from))
        for row in access_selectors.new_relations(staff, waiting_counts.new_since(now))
    ]


def _revisions_due(staff: Staff, now: datetime.datetime) -> list[WorkRow]:
    until = timezone.localdate(now) + datetime.timedelta(days=waiting_counts.REVISION_DAYS)
    return [
        WorkRow(plan.person, _("Revisjon av individuell plan"), plan.next_revision_on)
        for plan in plan_selectors.revisions_due_for(staff, until)
    ]


def _measures_ending(staff: Staff, now: datetime.datetime) -> list[WorkRow]:
    today = timezone.localdate(now)
    until = today + datetime.timedelta(days=waiting_counts.MEASURE_DAYS)
    return [
        WorkRow(measure.plan.person, measure.title, measure.end_on)
        for measure in plan_selectors.measures_ending_for(staff, today, until)
    ]


WORK_LISTS: dict[str, WorkList] = {
    "new_appointments": WorkList(
        gettext_lazy("Nye oppnevninger som koordinator"),
        gettext_lazy("Personer du er oppnevnt som koordinator for de siste 14 dagene."),
        gettext_lazy("Fra"),
        gettext_lazy("Du er ikke oppnevnt som koordinator for noen nye personer."),
        _new_appointments,
    ),
    "new_persons": WorkList(
        gettext_lazy("Nye personer i arbeidet ditt"),
        gettext_lazy(
            "Personer du har fått tjenstlig behov for de siste 14 dagene, gitt av andre "
            "eller av en tildeling."
        ),
        gettext_lazy("Fra"),
        gettext_lazy("Ingen nye personer de siste 14 dagene."),
        _new_persons,
    ),
    "revisions_due": WorkList(
        gettext_lazy("Planer som skal revideres"),
        gettext_lazy(
            "Individuelle planer for personer du er koordinator for, der revisjonen er "
            "innen 14 dager eller har passert."
        ),
        gettext_lazy("Revisjon"),
        gettext_lazy("Ingen planer skal revideres de neste 14 dagene."),
        _revisions_due,
    ),
    "measures_ending": WorkList(
        gettext_lazy("Tiltak som slutter snart"),
        gettext_lazy(
            "Tiltak i individuelle planer som du er ansvarlig for, og som slutter innen "
            "14 dager. Da er det tid for å evaluere dem med personen."
        ),
        gettext_lazy("Slutter"),
        gettext_lazy("Ingen av tiltakene dine slutter de neste 14 dagene."),
        _measures_ending,
    ),
}


def _work_list(request: StaffRequest, key: str) -> HttpResponseBase:
    work = WORK_LISTS[key]
    staff = request.actor.staff
    assert staff is not None  # staff_required
    page = csvexport.page_or_all(request, work.rows(staff, timezone.now()))
    # The user's own work: each person named is in their access log; a block hides them.
    page.object_list = name_persons(
        request.actor,
        list(page.object_list),
        object_type=f"start_{key}",
        action=AuditAction.EXPORT if csvexport.wants_csv(request) else AuditAction.VIEW,
        own_unit_work=lambda row: True,
    )
    return csvexport.render_or_csv(request, "home/work_list.html", {"work": work, "page": page})


@staff_required()
@audited_view(object_type="start_new_appointments")
@require_GET
def new_appointments(request: StaffRequest) -> HttpResponseBase:
    return _work_list(request, "new_appointments")


@staff_required()
@audited_view(object_type="start_new_persons")
@require_GET
def new_persons(request: StaffRequest) -> HttpResponseBase:
    return _work_list(request, "new_persons")


@staff_required()
@audited_view(object_type="start_revisions_due")
@require_GET
def revisions_due(request: StaffRequest) -> HttpResponseBase:
    return _work_list(request, "revisions_due")


@staff_required()
@audited_view(object_type="start_measures_ending")
@require_GET
def measures_ending(request: StaffRequest) -> HttpResponseBase:
    return _work_list(request, "measures_ending")


FREE = "ledig"
OVER = "over"


@staff_required(STATISTICS_VIEW)
@require_GET
def capacity_attention(request: StaffRequest) -> HttpResponseBase:
    """Figures only, like the capacity page: the services and units with free capacity
    while people wait, or (`?vis=over`) with more in use than the capacity."""
    attention = catalogue_selectors.capacity_attention(timezone.localdate())
    over = request.GET.get("vis") == OVER
    context = {
        "over": over,
        "rows": attention.over if over else attention.free_with_waiting,
    }
    return csvexport.render_or_csv(request, "home/capacity_attention.html", context)
