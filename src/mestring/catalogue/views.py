"""Pages for the service catalogue, capacity, the waiting list and assignment."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.audit import record_event
from mestring.access.boards import actor_unit_ids, name_persons
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.permissions import ADMIN_UNITS, PERSON_REGISTER, STATISTICS_VIEW
from mestring.access.refusals import refuse_write
from mestring.access.request import StaffRequest
from mestring.casework.models import Decision
from mestring.catalogue import selectors, services
from mestring.catalogue.forms import (
    AssignForm,
    ProviderAddForm,
    ProviderCapacityForm,
    ServiceForm,
    WaitingAssignForm,
    WaitingFilterForm,
    WaitingRemoveForm,
)
from mestring.catalogue.models import Assignment, Service, ServiceProvider, WaitingListEntry
from mestring.catalogue.selectors import WaitingRow
from mestring.core import csvexport
from mestring.core.downloads import content_disposition
from mestring.core.flow import submit
from mestring.core.pagination import paginate
from mestring.core.spreadsheet import csv_row
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.states import TransitionNotAllowed
from mestring.people.models import Person, Unit

RULE_ERRORS = (services.CatalogueError, TransitionNotAllowed)
# Assigning and managing the waiting list is the allocation office's work; its role
# (saksbehandler) holds this permission, as for cases and decisions.
ALLOCATION_PERMISSION = PERSON_REGISTER


def csv_response(filename: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    writer = csv.writer(response)
    writer.writerow(csv_row(str(h) for h in header))
    writer.writerows(csv_row("" if cell is None else str(cell) for cell in row) for row in rows)
    return response


def _number(value: Decimal | float | None) -> str:
    """6 for whole numbers, 37,5 otherwise (Norwegian decimal comma)."""
    if value is None:
        return ""
    if value == int(value):
        return str(int(value))
    return number_format(value, decimal_pos=1)


# --- The catalogue


@staff_required()
@require_GET
def service_list(request: StaffRequest) -> HttpResponseBase:
    may_edit = request.actor.has_perm(ADMIN_UNITS)
    context = {
        "services": list(selectors.services(include_inactive=may_edit)),
        "may_edit": may_edit,
    }
    return csvexport.render_or_csv(request, "catalogue/service_list.html", context)


@staff_required()
@require_GET
def service_detail(request: StaffRequest, service_id: int) -> HttpResponseBase:
    service = get_object_or_404(Service, pk=service_id)
    context = {
        "service": service,
        "providers": selectors.providers_of(service),
        "may_edit": request.actor.has_perm(ADMIN_UNITS),
    }
    return csvexport.render_or_csv(request, "catalogue/service_detail.html", context)


def _provider_remove(request: StaffRequest, service: Service, provider_id: int) -> None:
    """Removing has nothing to type, so a refusal is a message, not a form error."""
    provider = get_object_or_404(ServiceProvider, pk=provider_id, service=service)
    try:
        services.provider_remove(actor=request.actor, provider=provider)
    except services.CatalogueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(unit)s er fjernet.") % {"unit": provider.unit})


def _provider_forms(
    service: Service | None, bound: ProviderCapacityForm | None, bound_id: int | None
) -> list[tuple[ServiceProvider, ProviderCapacityForm]]:
    rows = []
    for provider in selectors.providers_of(service) if service else []:
        form = bound if provider.pk == bound_id else None
        if form is None:
            form = ProviderCapacityForm(
                prefix=f"p{provider.pk}", initial={"capacity": provider.capacity}
            )
        rows.append((provider, form))
    return rows


@staff_required(ADMIN_UNITS)
@require_http_methods(["GET", "POST"])
def service_edit(request: StaffRequest, service_id: int | None = None) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id) if service_id else None
    # The form edits its own copy, so the service gets the row as it was.
    instance = Service.objects.get(pk=service.pk) if service else None
    action = request.POST.get("handling", "") if request.method == "POST" else ""
    form = ServiceForm(request.POST if action == "tjeneste" else None, instance=instance)
    add_form = ProviderAddForm(request.POST if action == "legg-til" else None, prefix="ny")
    capacity_form, capacity_id = None, None
    kind, _sep, raw_id = action.partition("-")
    if action == "tjeneste":
        saved = submit(
            request,
            form,
            lambda d: services.service_save(actor=request.actor, service=service, data=d),
            success=_("Tjenesten er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("catalogue:service_edit", service_id=saved.pk)
    elif service is not None and action == "legg-til":
        added = submit(
            request,
            add_form,
            lambda d: services.provider_save(
                actor=request.actor, service=service, unit=d["unit"], capacity=d["capacity"]
            ),
            success=_("Enheten er lagt til."),
            rule_errors=RULE_ERRORS,
        )
        if added is not None:
            return redirect("catalogue:service_edit", service_id=service.pk)
    elif service is not None and kind == "fjern" and raw_id.isdigit():
        _provider_remove(request, service, int(raw_id))
        return redirect("catalogue:service_edit", service_id=service.pk)
    elif service is not None and kind == "kapasitet" and raw_id.isdigit():
        provider = get_object_or_404(ServiceProvider, pk=int(raw_id), service=service)
        capacity_form = ProviderCapacityForm(request.POST, prefix=f"p{provider.pk}")
        capacity_id = provider.pk
        changed = submit(
            request,
            capacity_form,
            lambda d: services.provider_save(
                actor=request.actor, service=service, unit=provider.unit, capacity=d["capacity"]
            ),
            success=_("Kapasiteten for %(unit)s er lagret.") % {"unit": provider.unit},
            rule_errors=RULE_ERRORS,
        )
        if changed is not None:
            return redirect("catalogue:service_edit", service_id=service.pk)
    elif action:
        messages.error(request, _("Handlingen er ikke mulig."))
        if service is not None:
            return redirect("catalogue:service_edit", service_id=service.pk)
        return redirect("catalogue:service_create")
    context = {
        "service": service,
        "form": form,
        "add_form": add_form,
        "rows": _provider_forms(service, capacity_form, capacity_id),
    }
    return render(request, "catalogue/service_form.html", context)


# --- Capacity and the waiting list


def _free_note_text(row: selectors.CapacityRow) -> str:
    """The capacity page's note on a unit with room while someone waits, for the CSV."""
    if row.note == selectors.FreeNote.FIRST:
        return ngettext(
            "Ledig plass: første på ventelisten venter i %(days)s dag",
            "Ledig plass: første på ventelisten venter i %(days)s dager",
            row.first_waiting_days or 0,
        ) % {"days": row.first_waiting_days}
    if row.note == selectors.FreeNote.LATER and row.first_starts_on is not None:
        return _(
            "Ledig plass, men første på ventelisten har vedtak som gjelder først fra %(day)s."
        ) % {"day": row.first_starts_on.strftime("%d.%m.%Y")}
    if row.note == selectors.FreeNote.TOO_LITTLE:
        return _(
            "Ledig kapasitet, men for lite til første på ventelisten, som trenger"
            " %(needs)s timer per uke."
        ) % {"needs": _number(row.first_needs)}
    if row.note == selectors.FreeNote.ELSEWHERE:
        return ngettext(
            "Ledig plass: den som venter på tjenesten, venter på en annen enhet.",
            "Ledig plass: de %(count)s som venter på tjenesten, venter på andre enheter.",
            row.waiting_elsewhere,
        ) % {"count": row.waiting_elsewhere}
    return ""


@staff_required(STATISTICS_VIEW)
@require_GET
def capacity(request: StaffRequest) -> HttpResponse:
    """Figures only: no names, so statistics users may see it."""
    today = timezone.localdate()
    rows = selectors.capacity_rows(today)
    if request.GET.get("format") == "csv":
        header = [
            _("Tjeneste"),
            _("Enhet"),
            _("Måles i"),
            _("Kapasitet"),
            _("I bruk"),
            _("Ledig"),
            _("Venter"),
            _("Median ventetid (dager)"),
            _("Merknad"),
        ]
        data = [
            [
                row.service.name,
                row.unit_name,
                row.service.get_capacity_kind_display(),
                _number(row.capacity if row.limited else None),
                _number(row.in_use),
                _number(row.free),
                row.waiting,
                _number(row.median_waiting_days),
                _free_note_text(row),
            ]
            for row in rows
        ]
        return csv_response(f"kapasitet-{today.isoformat()}.csv", header, data)
    context = {
        "rows": rows,
        "today": today,
        "may_allocate": request.actor.has_perm(ALLOCATION_PERMISSION),
    }
    return render(request, "catalogue/capacity.html", context)


@staff_required(ALLOCATION_PERMISSION)
@audited_view(object_type="waiting_list")
@require_GET
def waiting_list(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    form = WaitingFilterForm(request.GET or None)
    valid = form.is_valid()
    service = form.cleaned_data["tjeneste"] if valid else None
    unit = form.cleaned_data["enhet"] if valid else None
    entries = selectors.waiting_list(service=service, unit=unit)
    own_units = actor_unit_ids(request.actor)
    me = request.actor.staff.pk if request.actor.staff else None

    def own_work(row: WaitingRow) -> bool:
        """The entry's unit, or the case's responsible unit or caseworker, is the user's."""
        case = row.entry.decision.case
        return (
            row.entry.unit_id in own_units
            or case.responsible_unit_id in own_units
            or (me is not None and case.caseworker_id == me)
        )

    def named(rows: list[WaitingRow], action: AuditAction) -> list[WaitingRow]:
        """Names only for those who may see the person or work in the entry's unit;
        each name shown or downloaded is in the person's access log."""
        return name_persons(
            request.actor,
            rows,
            object_type="waiting_list",
            action=action,
            own_unit_work=own_work,
            person_of=lambda row: row.entry.decision.case.person,
        )

    if request.GET.get("format") == "csv":
        rows = named(selectors.with_waiting_days(list(entries), today), AuditAction.EXPORT)
        # A download of names is an export, logged as such.
        record_event(
            actor=request.actor,
            action=AuditAction.EXPORT,
            object_type="waiting_list",
            object_id=service.pk if service else "",
        )
        header = [
            _("Navn"),
            _("Tjeneste"),
            _("Enhet"),
            _("Prioritet"),
            _("Satt på venteliste"),
            _("Dager på venteliste"),
        ]
        data: list[list[object]] = [
            [
                row.entry.decision.case.person.full_name if row.named else _("Navn vises ikke"),
                row.entry.service.name,
                row.entry.unit.name if row.entry.unit else "",
                row.entry.get_priority_display(),
                row.entry.added_on.strftime("%d.%m.%Y"),
                row.waiting_days,
            ]
            for row in rows
        ]
        return csv_response(f"venteliste-{today.isoformat()}.csv", header, data)
    page = paginate(entries, request.GET.get("side"))
    page.object_list = named(
        selectors.with_waiting_days(list(page.object_list), today), AuditAction.VIEW
    )
    context = {
        "form": form,
        "page": page,
        "service": service,
        "may_allocate": request.actor.has_perm(ALLOCATION_PERMISSION),
    }
    return render(request, "catalogue/waiting_list.html", context)


# --- Assignment of one decision


def _refuse_write(request: StaffRequest, person: Person, object_type: str) -> HttpResponse:
    """A write by someone who may read the person but not allocate: logged as refused."""
    return refuse_write(request, person, object_type)


def _assigned_message(result: Assignment | WaitingListEntry) -> str:
    if isinstance(result, Assignment):
        return _("Vedtaket er tildelt %(unit)s fra %(day)s.") % {
            "unit": result.unit,
            "day": result.starts_on.strftime("%d.%m.%Y"),
        }
    return _("%(unit)s har ikke ledig kapasitet. Personen er satt på venteliste.") % {
        "unit": result.unit
    }


@dataclass
class QueueAhead:
    """Those waiting before a decision, as an assign page shows them: how many, and the
    first in line (named only when the user may open the person)."""

    count: int
    first: WaitingRow | None


def _queue_ahead(
    request: StaffRequest, decision: Decision, unit: Unit | None, today: datetime.date
) -> QueueAhead:
    ahead = selectors.waiting_ahead(decision, unit)
    count = ahead.count()
    first_entry = ahead.first() if count else None
    if first_entry is None:
        return QueueAhead(0, None)
    (first,) = name_persons(
        request.actor,
        selectors.with_waiting_days([first_entry], today),
        object_type="waiting_list",
        person_of=lambda row: row.entry.decision.case.person,
    )
    return QueueAhead(count, first)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="decision")
@require_http_methods(["GET", "POST"])
def decision_assign(request: StaffRequest, person: Person, decision_id: int) -> HttpResponseBase:
    decision = get_object_or_404(
        Decision.objects.select_related("service", "case"), pk=decision_id, case__person=person
    )
    may_allocate = request.actor.has_perm(ALLOCATION_PERMISSION)
    if request.method == "POST" and not may_allocate:
        return _refuse_write(request, person, "assignment")
    today = timezone.localdate()
    form, queue = None, QueueAhead(0, None)
    if decision.service is not None:
        form = AssignForm(request.POST or None, service=decision.service)
        if may_allocate:
            queue = _queue_ahead(request, decision, None, today)
        if not queue.count:
            # No one waits before this decision at any unit: no reason is ever needed.
            del form.fields["skip_reason"]
    if request.method == "POST" and form is not None:
        done = submit(
            request,
            form,
            lambda d: services.decision_assign(actor=request.actor, decision=decision, **d),
            success=_assigned_message,
            rule_errors=RULE_ERRORS,
        )
        if done is not None:
            return redirect(
                "catalogue:decision_assign", person_id=person.pk, decision_id=decision.pk
            )
    context = {
        "person": person,
        "decision": decision,
        "form": form,
        "queue": queue,
        "may_allocate": may_allocate,
        "rows": selectors.capacity_rows(today, service=decision.service)
        if decision.service
        else [],
        "assignments": list(selectors.person_assignments(person)),
        "entries": selectors.with_waiting_days(
            list(selectors.person_waiting_entries(person)), today
        ),
    }
    return csvexport.render_or_csv(request, "catalogue/decision_assign.html", context)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="waiting_list_entry")
@require_http_methods(["GET", "POST"])
def waiting_remove(request: StaffRequest, person: Person, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(
        WaitingListEntry.objects.select_related("service", "unit", "decision__case"),
        pk=entry_id,
        decision__case__person=person,
    )
    if request.method == "POST" and not request.actor.has_perm(ALLOCATION_PERMISSION):
        return _refuse_write(request, person, "waiting_list_entry")
    form = WaitingRemoveForm(request.POST or None, service=entry.service)
    if entry.removed_on is None and not selectors.waiting_ahead(entry.decision, None).exists():
        # The first in line gets the place without a reason.
        del form.fields["skip_reason"]
    if request.method == "POST" and entry.removed_on is None:
        done = submit(
            request,
            form,
            lambda d: services.waiting_remove(actor=request.actor, entry=entry, **d),
            success=_("Personen er tatt av ventelisten."),
            rule_errors=RULE_ERRORS,
        )
        if done is not None:
            return redirect(
                "catalogue:decision_assign", person_id=person.pk, decision_id=entry.decision_id
            )
    context = {"person": person, "entry": entry, "form": form}
    return render(request, "catalogue/waiting_remove.html", context)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="waiting_list_entry")
@require_http_methods(["GET", "POST"])
def waiting_assign(request: StaffRequest, person: Person, entry_id: int) -> HttpResponseBase:
    """«Tildel» from the waiting list: the entry's unit from today, when it has room; a
    reason when others wait before the person (asked for here)."""
    entry = get_object_or_404(
        WaitingListEntry.objects.select_related("service", "unit", "decision__case"),
        pk=entry_id,
        decision__case__person=person,
    )
    if request.method == "POST" and not request.actor.has_perm(ALLOCATION_PERMISSION):
        return _refuse_write(request, person, "assignment")
    if not request.actor.has_perm(ALLOCATION_PERMISSION):
        return render(request, "403.html", status=403)
    today = timezone.localdate()
    # The list's button posts no fields: the form is bound on every POST.
    form = WaitingAssignForm(
        request.POST if request.method == "POST" else None,
        service=entry.service,
        choose_unit=entry.unit_id is None,
    )
    queue = _queue_ahead(request, entry.decision, entry.unit, today)
    if not queue.count:
        # The first in line needs no reason.
        del form.fields["skip_reason"]
    if request.method == "POST" and entry.removed_on is None:
        done = submit(
            request,
            form,
            lambda d: services.waiting_assign(actor=request.actor, entry=entry, **d),
            success=_assigned_message,
            rule_errors=RULE_ERRORS,
        )
        if done is not None:
            return redirect(f"{reverse('catalogue:waiting_list')}?tjeneste={entry.service_id}")
    context = {
        "person": person,
        "entry": entry,
        "form": form,
        "queue": queue,
        "waiting_days": (today - entry.added_on).days,
    }
    return render(request, "catalogue/waiting_assign.html", context)
