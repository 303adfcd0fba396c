"""Pages for loans: the person's device tab and its forms (guarded person pages), and
the store's work lists (deliveries, return by scanning, overdue loans, NAV items,
inquiries), which show only what a delivery needs: name, address, phone, item."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.permissions import DEVICES_MANAGE
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.devices.forms.loans import (
    DeliverForm,
    InquiryForm,
    LoanOrderForm,
    NavApplicationForm,
    NavStatusForm,
    ReturnForm,
    ScanForm,
)
from mestring.devices.models import Loan, NavApplication, ReturnCondition
from mestring.devices.selectors import loans as selectors
from mestring.devices.services import inquiries as inquiry_services
from mestring.devices.services import loans as loan_services
from mestring.devices.services import nav as nav_services
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.states import TransitionNotAllowed
from mestring.people.models import Person

RULE_ERRORS = (
    loan_services.LoanError,
    nav_services.NavError,
    inquiry_services.InquiryError,
    TransitionNotAllowed,
)

# NAV's own pages about applying for assistive devices (shown beside our NAV form).
NAV_INFO_URL = "https://www.nav.no/hjelpemidler"


# The person's tab -----------------------------------------------------------------


@staff_required()
@person_view(object_type="devices")
@require_GET
def person_devices(request: StaffRequest, person: Person) -> HttpResponseBase:
    context = {
        "person": person,
        "current": list(selectors.person_current_loans(person)),
        "history": csvexport.page_or_all(request, selectors.person_loan_history(person)),
        "applications": list(selectors.person_nav_applications(person)),
        "inquiries": list(selectors.person_inquiries(person)),
        "today": timezone.localdate(),
    }
    return csvexport.render_or_csv(request, "devices/loans/person_devices.html", context)


@staff_required()
@person_view(object_type="devices.Loan")
@require_http_methods(["POST"])
def loan_cancel(request: StaffRequest, person: Person, loan_id: int) -> HttpResponse:
    loan = get_object_or_404(Loan, pk=loan_id, person=person, returned_on__isnull=True)
    try:
        loan_services.loan_cancel(actor=request.actor, loan=loan)
    except loan_services.LoanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Bestillingen er avbestilt, og hjelpemiddelet er ledig."))
    return redirect("devices:person_devices", person_id=person.pk)


@staff_required()
@person_view(object_type="devices.Loan")
@require_http_methods(["GET", "POST"])
def loan_create(request: StaffRequest, person: Person) -> HttpResponse:
    form = LoanOrderForm(request.POST or None, person=person)
    state = {"nav_needed": False}

    def save(data: dict[str, Any]) -> Loan:
        try:
            return loan_services.loan_order(
                actor=request.actor,
                person=person,
                label=data["label"],
                ordered_on=data["ordered_on"],
                expected_return_on=data["expected_return_on"],
                decision=data["decision"],
                measure=data["measure"],
                note=data["note"],
            )
        except loan_services.MunicipalLoanTooLong:
            state["nav_needed"] = True
            raise

    if request.method == "POST":
        loan = submit(
            request,
            form,
            save,
            success=lambda loan: (
                _(
                    "%(item)s er bestilt og reservert. "
                    "Lageret ser bestillingen på utleveringslisten."
                )
                % {"item": loan.item}
            ),
            rule_errors=RULE_ERRORS,
        )
        if loan is not None:
            return redirect("devices:person_devices", person_id=person.pk)
    context = {
        "person": person,
        "form": form,
        "nav_needed": state["nav_needed"],
        "nav_info_url": NAV_INFO_URL,
    }
    return render(request, "devices/loans/loan_form.html", context)


@staff_required()
@person_view(object_type="devices.NavApplication")
@require_http_methods(["GET", "POST"])
def nav_create(request: StaffRequest, person: Person) -> HttpResponse:
    form = NavApplicationForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: nav_services.nav_application_create(
                actor=request.actor, person=person, **data
            ),
            success=_("Søknaden til NAV er registrert som sendt."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:person_devices", person_id=person.pk)
    context = {"person": person, "form": form, "nav_info_url": NAV_INFO_URL}
    return render(request, "devices/loans/nav_form.html", context)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="devices.NavApplication")
@require_http_methods(["GET", "POST"])
def nav_status(request: StaffRequest, person: Person, application_id: int) -> HttpResponse:
    application = get_object_or_404(NavApplication, pk=application_id, person=person)
    form = NavStatusForm(request.POST or None, application=application)
    if request.method == "POST" and form.status_choices:
        saved = submit(
            request,
            form,
            lambda data: nav_services.nav_application_status(
                actor=request.actor, application=application, **data
            ),
            success=lambda saved: (
                _("Søknaden har fått status «%(status)s».") % {"status": saved.get_status_display()}
            ),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:person_devices", person_id=person.pk)
    context = {"person": person, "form": form, "application": application}
    return render(request, "devices/loans/nav_status_form.html", context)


@staff_required()
@person_view(object_type="devices.Inquiry")
@require_http_methods(["GET", "POST"])
def inquiry_create_for_person(request: StaffRequest, person: Person) -> HttpResponse:
    form = InquiryForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: inquiry_services.inquiry_register(
                actor=request.actor, person=person, **data
            ),
            success=_("Henvendelsen er registrert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:person_devices", person_id=person.pk)
    context = {"person": person, "form": form}
    return render(request, "devices/loans/inquiry_form.html", context)


# The store's lists ----------------------------------------------------------------


@staff_required(DEVICES_MANAGE)
@audited_view(object_type="devices.deliveries")
@require_http_methods(["GET", "POST"])
def deliveries(request: StaffRequest) -> HttpResponseBase:
    """Ordered loans waiting for delivery, each with a "Levert" form."""
    bound: DeliverForm | None = None
    if request.method == "POST":
        raw = request.POST.get("loan", "")
        if not raw.isdigit():
            messages.error(request, _("Velg en bestilling på listen."))
            return redirect("devices:deliveries")
        loan = get_object_or_404(
            Loan, pk=int(raw), delivered_on__isnull=True, returned_on__isnull=True
        )
        bound = DeliverForm(request.POST, prefix=f"l{loan.pk}")
        saved = submit(
            request,
            bound,
            lambda data: loan_services.loan_deliver(
                actor=request.actor, loan=loan, delivered_on=data["delivered_on"]
            ),
            success=lambda saved: _("%(item)s er registrert som levert.") % {"item": saved.item},
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:deliveries")
    page = csvexport.page_or_all(request, selectors.deliveries())
    rows = []
    for loan in page.object_list:
        if bound is not None and bound.prefix == f"l{loan.pk}":
            form = bound
        else:
            form = DeliverForm(prefix=f"l{loan.pk}")
        rows.append((loan, form))
    return csvexport.render_or_csv(
        request, "devices/loans/deliveries.html", {"page": page, "rows": rows}
    )


@staff_required(DEVICES_MANAGE)
@audited_view(object_type="devices.returns")
@require_http_methods(["GET", "POST"])
def return_scan(request: StaffRequest) -> HttpResponse:
    """Scan a label (the scanner types it and presses Enter): the open loan is shown
    with a return form; returning sends the item to cleaning (or repair)."""
    scan = ScanForm(request.GET or None)
    loan = None
    return_form = None
    not_found = ""
    if request.method == "POST":
        raw = request.POST.get("loan", "")
        if not raw.isdigit():
            messages.error(request, _("Skann merkelappen på nytt."))
            return redirect("devices:return_scan")
        returning = get_object_or_404(Loan, pk=int(raw), returned_on__isnull=True)
        return_form = ReturnForm(request.POST)
        saved = submit(
            request,
            return_form,
            lambda data: loan_services.loan_return(
                actor=request.actor,
                loan=returning,
                returned_on=data["returned_on"],
                condition=data["condition"],
                note=data["note"],
            ),
            success=lambda saved: (
                (
                    _("%(item)s er mottatt og sendt til reparasjon.")
                    if saved.return_condition == ReturnCondition.DAMAGED
                    else _("%(item)s er mottatt og står i køen for rengjøring.")
                )
                % {"item": saved.item}
            ),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:return_scan")
        loan = selectors.open_loan_for_label(returning.item.label)
        scan = ScanForm(initial={"merkelapp": loan.item.label if loan else ""})
    elif scan.is_bound and scan.is_valid():
        label = scan.cleaned_data["merkelapp"]
        loan = selectors.open_loan_for_label(label)
        if loan is None:
            not_found = _("Ingen åpne utlån av et hjelpemiddel med merkelappen «%(label)s».") % {
                "label": label
            }
        elif loan.delivered_on is not None:
            return_form = ReturnForm()
    context = {
        "scan": scan,
        "loan": loan,
        "return_form": return_form,
        "not_found": not_found,
    }
    return render(request, "devices/loans/return_scan.html", context)


@staff_required(DEVICES_MANAGE)
@audited_view(object_type="devices.overdue")
@require_GET
def overdue(request: StaffRequest) -> HttpResponseBase:
    today = timezone.localdate()
    page = csvexport.page_or_all(request, selectors.overdue(today))
    return csvexport.render_or_csv(
        request, "devices/loans/overdue.html", {"page": page, "today": today}
    )


@staff_required(DEVICES_MANAGE)
@audited_view(object_type="devices.nav_items")
@require_GET
def nav_items(request: StaffRequest) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.nav_items())
    return csvexport.render_or_csv(request, "devices/loans/nav_items.html", {"page": page})


@staff_required(DEVICES_MANAGE)
@audited_view(object_type="devices.inquiries")
@require_GET
def inquiry_list(request: StaffRequest) -> HttpResponseBase:
    per_year = selectors.inquiries_per_year()
    context = {
        "page": csvexport.page_or_all(request, selectors.inquiries()),
        "per_year": per_year,
        "largest": max((row["count"] for row in per_year), default=0),
    }
    return csvexport.render_or_csv(request, "devices/loans/inquiry_list.html", context)


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def inquiry_create(request: StaffRequest) -> HttpResponse:
    """An inquiry where the person is not (yet) known: a phone call, say."""
    form = InquiryForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: inquiry_services.inquiry_register(actor=request.actor, **data),
            success=_("Henvendelsen er registrert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:inquiry_list")
    return render(request, "devices/loans/inquiry_form.html", {"form": form, "person": None})
