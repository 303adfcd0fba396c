"""Pages for stays (person tab, admission, detail with discharge and rehabilitation
plan), the bed board, unit beds admin, purchase agreements and the two reports."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.boards import actor_unit_ids, name_persons
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.permissions import ADMIN_UNITS, REHAB_REGISTER, STATISTICS_VIEW
from mestring.access.refusals import refuse_write
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.downloads import content_disposition
from mestring.core.flow import submit
from mestring.core.reporting import chosen_year
from mestring.institutions import selectors, services
from mestring.institutions.forms import (
    AgreementForm,
    BedCapacityForm,
    DischargeForm,
    PlannedAdmitForm,
    RehabPlanForm,
    StayAdmitForm,
)
from mestring.institutions.models import PurchaseAgreement, Stay, StayType
from mestring.institutions.reports import BedOccupancyReport, PurchasedPlacesReport
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person, Unit

RULE_ERRORS = (services.InstitutionError,)


def chosen_day(request: HttpRequest) -> tuple[datetime.date, str, str]:
    """The day in ?dato= (dd.mm.åååå), or today; a bad value gives today and a message."""
    today = timezone.localdate()
    raw = request.GET.get("dato", "").strip()
    if not raw:
        return today, "", today.strftime("%d.%m.%Y")
    try:
        day = datetime.datetime.strptime(raw, "%d.%m.%Y").date()
    except ValueError:
        message = _("«%(value)s» er ikke en dato. Skriv datoen som dd.mm.åååå.") % {"value": raw}
        return today, message, raw
    if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
        return today, _("Velg en dato fra år 2000 til 2100."), raw
    return day, "", raw


# --- A person's stays -------------------------------------------------------------


@staff_required()
@person_view(object_type="stays")
@require_GET
def person_stays(request: StaffRequest, person: Person) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.person_stays(person))
    context = {
        "person": person,
        "page": page,
        "planned": list(selectors.planned_stays().filter(person=person)),
        # «Skriv inn» for the staff of the unit the stay is planned at.
        "own_units": actor_unit_ids(request.actor),
    }
    return csvexport.render_or_csv(request, "institutions/person_stays.html", context)


@staff_required()
@person_view(object_type="stay")
@require_http_methods(["GET", "POST"])
def stay_create(request: StaffRequest, person: Person) -> HttpResponse:
    form = StayAdmitForm(request.POST or None, person=person)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.stay_admit(actor=request.actor, person=person, **data),
            success=lambda stay: (
                _("%(name)s er lagt inn på %(unit)s.")
                % {"name": person.full_name, "unit": stay.unit.name}
            ),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("institutions:stay_detail", person_id=person.pk, stay_id=saved.pk)
    return render(request, "institutions/stay_form.html", {"person": person, "form": form})


def _plan_initial(stay: Stay) -> dict[str, Any]:
    plan = getattr(stay, "rehab_plan", None)
    if plan is None:
        return {}
    return {
        "goals": plan.goals,
        "daily_training": plan.daily_training,
        "physio_minutes_per_day": plan.physio_minutes_per_day,
        "responsible": plan.responsible_id,
    }


@staff_required()
@person_view(object_type="stay")
@require_http_methods(["GET", "POST"])
def stay_detail(request: StaffRequest, person: Person, stay_id: int) -> HttpResponse:
    """The stay; an open one has the discharge form, posted here."""
    stay = selectors.stay_for_page(person, stay_id)
    if stay is None:
        raise Http404
    form = DischargeForm(request.POST or None) if stay.is_open else None
    if request.method == "POST":
        if form is None:
            return redirect("institutions:stay_detail", person_id=person.pk, stay_id=stay.pk)
        saved = submit(
            request,
            form,
            lambda data: services.stay_discharge(actor=request.actor, stay=stay, **data),
            success=_("Oppholdet er avsluttet."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("institutions:stay_detail", person_id=person.pk, stay_id=stay.pk)
    today = timezone.localdate()
    context = {
        "person": person,
        "stay": stay,
        "form": form,
        "plan": getattr(stay, "rehab_plan", None),
        "is_rehab": stay.stay_type == StayType.REHABILITATION,
        "nights": selectors.nights(
            stay.admitted_on, stay.discharged_on, stay.admitted_on, max(today, stay.admitted_on)
        ),
    }
    return render(request, "institutions/stay_detail.html", context)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="rehabilitation_plan")
@require_http_methods(["GET", "POST"])
def rehab_plan_edit(request: StaffRequest, person: Person, stay_id: int) -> HttpResponse:
    stay = selectors.stay_for_page(person, stay_id)
    if stay is None:
        raise Http404
    if stay.stay_type != StayType.REHABILITATION:
        raise Http404
    form = RehabPlanForm(request.POST or None, initial=_plan_initial(stay))
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.rehab_plan_save(actor=request.actor, stay=stay, **data),
            success=_("Rehabiliteringsplanen er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("institutions:stay_detail", person_id=person.pk, stay_id=stay.pk)
    context = {"person": person, "stay": stay, "form": form}
    return render(request, "institutions/rehab_plan_form.html", context)


@staff_required()
@person_view(object_type="planned_stay")
@require_http_methods(["GET", "POST"])
def planned_admit(request: StaffRequest, person: Person, planned_id: int) -> HttpResponse:
    """«Skriv inn» a planned stay from the bed board: for the staff of its unit."""
    planned = selectors.planned_for_page(person, planned_id)
    if planned is None:
        raise Http404
    if not request.actor.has_perm(REHAB_REGISTER) or planned.unit_id not in actor_unit_ids(
        request.actor
    ):
        # Only the ward's own staff admit; the refusal is logged against the person.
        return refuse_write(request, person, "planned_stay")
    if planned.stay is not None:
        return redirect("institutions:stay_detail", person_id=person.pk, stay_id=planned.stay.pk)
    today = timezone.localdate().strftime("%d.%m.%Y")
    form = PlannedAdmitForm(request.POST or None, initial={"admitted_on": today})
    if request.method == "POST" and planned.is_planned:
        saved = submit(
            request,
            form,
            lambda data: services.planned_stay_admit(actor=request.actor, planned=planned, **data),
            success=lambda stay: (
                _("%(name)s er lagt inn på %(unit)s.")
                % {"name": person.full_name, "unit": planned.unit.name}
            ),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("institutions:stay_detail", person_id=person.pk, stay_id=saved.pk)
    context = {"person": person, "planned": planned, "form": form}
    return render(request, "institutions/planned_admit.html", context)


# --- Bed board ----------------------------------------------------------------------


@staff_required(REHAB_REGISTER)
@audited_view(object_type="bed_board")
@require_GET
def bed_board(request: StaffRequest) -> HttpResponseBase:
    """Beds per unit and who is in them. A patient is named only to those who may see
    them or who work in the unit of the stay; each named patient's access log gets a row."""
    day, day_error, day_input = chosen_day(request)
    units = selectors.bed_board(day)
    own_units = actor_unit_ids(request.actor)
    rows: list[selectors.BoardStay | selectors.BoardPlanned] = []
    for entry in units:
        rows.extend(entry.stays)
        rows.extend(entry.planned)
    name_persons(
        request.actor,
        rows,
        action=AuditAction.EXPORT if csvexport.wants_csv(request) else AuditAction.VIEW,
        object_type="bed_board",
        own_unit_work=lambda row: row.unit_id in own_units,
    )
    for entry in units:
        for planned in entry.planned:
            # «Skriv inn» for the unit's own staff, where the person's pages open.
            planned.admittable = planned.openable and planned.unit_id in own_units
    context = {
        "day": day,
        "day_error": day_error,
        "day_input": day_input,
        "units": units,
        "is_today": day == timezone.localdate(),
    }
    return csvexport.render_or_csv(request, "institutions/bed_board.html", context)


# --- Units and beds (admin) --------------------------------------------------------


@staff_required(ADMIN_UNITS)
@require_http_methods(["GET", "POST"])
def unit_beds(request: StaffRequest) -> HttpResponseBase:
    form = BedCapacityForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.bed_capacity_set(actor=request.actor, **data),
            success=lambda capacity: (
                _("Sengetallet for %(unit)s er lagret.") % {"unit": capacity.unit.name}
            ),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("institutions:unit_beds")
    context = {"form": form, "rows": selectors.unit_bed_rows(), "today": timezone.localdate()}
    return csvexport.render_or_csv(request, "institutions/unit_beds.html", context)


# --- Purchase agreements --------------------------------------------------------------


@staff_required(REHAB_REGISTER)
@require_GET
def agreement_list(request: StaffRequest) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.agreements())
    can_edit = request.actor.has_perm(ADMIN_UNITS)
    return csvexport.render_or_csv(
        request, "institutions/agreement_list.html", {"page": page, "can_edit": can_edit}
    )


@staff_required(REHAB_REGISTER)
@audited_view(object_type="purchase_agreement")
@require_GET
def agreement_detail(request: StaffRequest, agreement_id: int) -> HttpResponseBase:
    agreement = get_object_or_404(
        PurchaseAgreement.objects.select_related("centre"), pk=agreement_id
    )
    report = PurchasedPlacesReport(year=agreement.year, agreement=agreement)
    result = report.compute()
    first, end = datetime.date(agreement.year, 1, 1), datetime.date(agreement.year + 1, 1, 1)
    stays = (
        selectors.agreement_stays(agreement)
        .filter(admitted_on__lt=end)
        .exclude(discharged_on__lte=first)
        .select_related("person", "unit")
        .order_by("admitted_on", "pk")
    )
    page = csvexport.page_or_all(request, stays)
    own_units = actor_unit_ids(request.actor)
    page.object_list = name_persons(
        request.actor,
        list(page.object_list),
        action=AuditAction.EXPORT if csvexport.wants_csv(request) else AuditAction.VIEW,
        object_type="purchase_agreement",
        own_unit_work=lambda stay: stay.unit_id in own_units,
    )
    context = {
        "agreement": agreement,
        "report": report,
        "result": result,
        "page": page,
        "can_edit": request.actor.has_perm(ADMIN_UNITS),
    }
    return csvexport.render_or_csv(request, "institutions/agreement_detail.html", context)


@staff_required(ADMIN_UNITS)
@require_http_methods(["GET", "POST"])
def agreement_edit(request: StaffRequest, agreement_id: int | None = None) -> HttpResponse:
    agreement = get_object_or_404(PurchaseAgreement, pk=agreement_id) if agreement_id else None
    initial: dict[str, Any] = {}
    if agreement is not None:
        initial = {
            "name": agreement.name,
            "centre": agreement.centre_id,
            "year": agreement.year,
            "bed_days": agreement.bed_days,
            "price_per_day": agreement.price_per_day,
            "note": agreement.note,
        }
    else:
        initial = {"year": timezone.localdate().year}
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.agreement_save(actor=request.actor, agreement=agreement, **data),
            success=_("Avtalen er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("institutions:agreement_detail", agreement_id=saved.pk)
    context = {"form": form, "agreement": agreement}
    return render(request, "institutions/agreement_form.html", context)


# --- Reports -------------------------------------------------------------------------


def _chosen(request: HttpRequest, param: str, choices: list[Any]) -> tuple[Any, str]:
    """The choice whose pk is in ?param=, else the first; a bad value gives a message."""
    raw = request.GET.get(param, "").strip()
    if not choices:
        return None, ""
    if not raw:
        return choices[0], ""
    for choice in choices:
        if str(choice.pk) == raw:
            return choice, ""
    return choices[0], _("Valget finnes ikke. Viser %(name)s.") % {"name": choices[0]}


def _csv(report: Any, result: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(report.as_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    return response


@staff_required(STATISTICS_VIEW)
@require_GET
def report_beds(request: StaffRequest) -> HttpResponse:
    year, year_error = chosen_year(request)
    units: list[Unit] = list(selectors.institution_units())
    unit, unit_error = _chosen(request, "enhet", units)
    report = result = None
    if unit is not None:
        report = BedOccupancyReport(year=year, unit=unit)
        result = report.compute()
        if request.GET.get("format") == "csv" and not (year_error or unit_error):
            return _csv(report, result, f"beleggsprosent-{year}.csv")
    context = {
        "title": BedOccupancyReport.title,
        "definition": BedOccupancyReport.definition,
        "units": units,
        "unit": unit,
        "unit_error": unit_error,
        "year": year,
        "year_input": request.GET.get("ar", "").strip() if year_error else str(year),
        "year_error": year_error,
        "result": result,
        "labels": dict(StayType.choices),
    }
    return render(request, "institutions/report_beds.html", context)


@staff_required(STATISTICS_VIEW)
@require_GET
def report_purchased(request: StaffRequest) -> HttpResponse:
    year, year_error = chosen_year(request)
    agreements = list(selectors.agreements().filter(year=year))
    agreement, agreement_error = _chosen(request, "avtale", agreements)
    report = result = None
    if agreement is not None:
        report = PurchasedPlacesReport(year=year, agreement=agreement)
        result = report.compute()
        if request.GET.get("format") == "csv" and not (year_error or agreement_error):
            return _csv(report, result, f"kjopte-plasser-{year}.csv")
    context = {
        "title": PurchasedPlacesReport.title,
        "definition": PurchasedPlacesReport.definition,
        "agreements": agreements,
        "agreement": agreement,
        "agreement_error": agreement_error,
        "year": year,
        "year_input": request.GET.get("ar", "").strip() if year_error else str(year),
        "year_error": year_error,
        "result": result,
    }
    return render(request, "institutions/report_purchased.html", context)
