"""Pages for loans: the person's device tab and its forms (guarded person pages), and
the store's work lists (deliveries, return by scanning, overdue loans, NAV items,
inquiries), which show only what a delivery needs: name, address, phone, item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.audit import record_event
from mestring.access.boards import decide_many, name_persons
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.models import AuditPurpose
from mestring.access.permissions import DEVICES_MANAGE
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.core.logging import IDENTITY_NUMBER
from mestring.devices.forms.loans import (
    DeliverForm,
    DeviceOrderForm,
    InquiryForm,
    NavApplicationForm,
    NavStatusForm,
    OrderTypeForm,
    ReturnForm,
    ScanForm,
    StorePersonSearchForm,
)
from mestring.devices.models import (
    DeviceOrder,
    DeviceOrderStatus,
    Loan,
    NavApplication,
    ReturnCondition,
)
from mestring.devices.selectors import loans as selectors
from mestring.devices.services import inquiries as inquiry_services
from mestring.devices.services import loans as loan_services
from mestring.devices.services import nav as nav_services
from mestring.devices.services import orders as order_services
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.states import TransitionNotAllowed
from mestring.people.models import Person
from mestring.register.selectors import PersonQuery, search_persons

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
        "orders": list(selectors.person_orders(person)),
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


def _ordered_message(order: DeviceOrder) -> str:
    if order.is_filled and order.loan is not None:
        return _(
            "%(type)s er bestilt, og %(label)s er reservert. "
            "Lageret ser bestillingen på listen over bestillinger."
        ) % {"type": order.device_type, "label": order.loan.item.label}
    return _(
        "Ingen %(type)s er ledig nå. Bestillingen står på ventelisten, og personen får "
        "det første som blir ledig."
    ) % {"type": order.device_type}


@staff_required()
@person_view(object_type="devices.DeviceOrder")
@require_http_methods(["GET", "POST"])
def loan_create(request: StaffRequest, person: Person) -> HttpResponse:
    """Order a device by type: the store reserves a free item or keeps the order
    waiting for one."""
    form = DeviceOrderForm(request.POST or None, person=person)
    state = {"nav_needed": False}

    def save(data: dict[str, Any]) -> DeviceOrder:
        try:
            return order_services.device_order_create(
                actor=request.actor,
                person=person,
                device_type=data["device_type"],
                store=data["store"],
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
        order = submit(request, form, save, success=_ordered_message, rule_errors=RULE_ERRORS)
        if order is not None:
            return redirect("devices:person_devices", person_id=person.pk)
    context = {
        "person": person,
        "form": form,
        "nav_needed": state["nav_needed"],
        "nav_info_url": NAV_INFO_URL,
    }
    return render(request, "devices/loans/loan_form.html", context)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="devices.DeviceOrder")
@require_http_methods(["POST"])
def order_cancel(request: StaffRequest, person: Person, order_id: int) -> HttpResponse:
    order = get_object_or_404(DeviceOrder, pk=order_id, person=person)
    try:
        order_services.order_cancel(actor=request.actor, order=order)
    except RULE_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Bestillingen er avbestilt."))
    return redirect("devices:person_devices", person_id=person.pk)


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
@audited_view(object_type="devices.orders")
@require_http_methods(["GET", "POST"])
def store_orders(request: StaffRequest) -> HttpResponseBase:
    """The store's orders: without a type (an assignment made them; choose one), waiting
    for a free item, and reserved ready to deliver ("Levert" starts the loan)."""
    bound_key, bound = "", cast(forms.Form | None, None)
    if request.method == "POST":
        saved: DeviceOrder | Loan | None
        raw_order, raw_loan = request.POST.get("order", ""), request.POST.get("loan", "")
        if raw_order.isdigit():
            order = get_object_or_404(DeviceOrder, pk=int(raw_order), status=DeviceOrderStatus.NEW)
            bound_key = f"o{order.pk}"
            type_form = OrderTypeForm(request.POST, prefix=bound_key)
            bound = type_form
            saved = submit(
                request,
                type_form,
                lambda data: order_services.order_choose_type(
                    actor=request.actor,
                    order=order,
                    device_type=data["device_type"],
                    expected_return_on=data["expected_return_on"],
                ),
                success=_ordered_message,
                rule_errors=RULE_ERRORS,
            )
        elif raw_loan.isdigit():
            delivering = get_object_or_404(
                Loan, pk=int(raw_loan), delivered_on__isnull=True, returned_on__isnull=True
            )
            bound_key = f"l{delivering.pk}"
            deliver_form = DeliverForm(request.POST, prefix=bound_key)
            bound = deliver_form
            saved = submit(
                request,
                deliver_form,
                lambda data: loan_services.loan_deliver(
                    actor=request.actor, loan=delivering, delivered_on=data["delivered_on"]
                ),
                success=lambda saved: (
                    _("%(item)s er levert ut, og utlånet er startet.") % {"item": saved.item}
                ),
                rule_errors=RULE_ERRORS,
            )
        else:
            messages.error(request, _("Velg en bestilling på listen."))
            return redirect("devices:store_orders")
        if saved is not None:
            return redirect("devices:store_orders")
    page = csvexport.page_or_all(request, selectors.store_orders())
    orders = name_persons(
        request.actor,
        list(page.object_list),
        object_type="devices.orders",
        action=AuditAction.EXPORT if csvexport.wants_csv(request) else AuditAction.VIEW,
        own_unit_work=lambda order: True,
    )
    rows: list[tuple[DeviceOrder, Any]] = []
    for order in orders:
        form: Any = None
        if order.needs_type:
            key = f"o{order.pk}"
            form = bound if bound_key == key else OrderTypeForm(prefix=key)
        elif order.is_filled and order.loan is not None:
            key = f"l{order.loan.pk}"
            form = bound if bound_key == key else DeliverForm(prefix=key)
        rows.append((order, form))
    context = {"page": page, "rows": rows}
    return csvexport.render_or_csv(request, "devices/loans/orders.html", context)


@dataclass(frozen=True)
class FoundPerson:
    """A search hit, and whether the guard would open the person's devices page."""

    person: Person
    openable: bool


@staff_required(DEVICES_MANAGE)
@require_GET
def store_person_search(request: StaffRequest) -> HttpResponse:
    """Find a person the store has open work for (an order or a loan): the store's unit
    sees them through that work, so the result links where the guard would open."""
    form = StorePersonSearchForm(request.GET or None)
    persons: list[FoundPerson] | None = None
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"].strip()
        if IDENTITY_NUMBER.search(text):
            form.add_error("q", _("Søk på navn eller fødselsdato, ikke fødselsnummer."))
        else:
            found = list(
                search_persons(PersonQuery(text=text)).filter(
                    pk__in=selectors.persons_with_open_work().values("pk")
                )[:50]
            )
            decisions = decide_many(request.actor, [person.pk for person in found])
            persons = [FoundPerson(p, decisions[p.pk].allowed) for p in found]
            record_event(
                actor=request.actor,
                action=AuditAction.SEARCH,
                object_type="devices.person_search",
                object_id=len(found),
                purpose=AuditPurpose.CARE,
            )
    return render(request, "devices/loans/person_search.html", {"form": form, "persons": persons})


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
