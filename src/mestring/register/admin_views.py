"""Administration of units and staff in the active municipality."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mestring.access.decorators import staff_required
from mestring.access.permissions import ADMIN_STAFF, ADMIN_UNITS
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.people.models import Staff, Unit
from mestring.register import selectors, services
from mestring.register.forms import StaffForm, UnitForm


@staff_required(ADMIN_UNITS)
def unit_list(request: StaffRequest) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.units(), per_page=50)
    return csvexport.render_or_csv(request, "people/admin/unit_list.html", {"page": page})


@staff_required(ADMIN_UNITS)
@require_http_methods(["GET", "POST"])
def unit_edit(request: StaffRequest, unit_id: int | None = None) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id) if unit_id else None
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        services.unit_save(actor=request.actor, unit=unit, data=form.cleaned_data)
        messages.success(request, _("Enheten er lagret."))
        return redirect("people:unit_list")
    return render(request, "people/admin/unit_form.html", {"form": form, "unit": unit})


@staff_required(ADMIN_STAFF)
def staff_list(request: StaffRequest) -> HttpResponseBase:
    text = request.GET.get("q", "")[:200]
    page = csvexport.page_or_all(request, selectors.staff_list(text), per_page=50)
    return csvexport.render_or_csv(
        request, "people/admin/staff_list.html", {"page": page, "q": text}
    )


def _staff(staff_id: int) -> Staff:
    return get_object_or_404(
        Staff.objects.select_related("user").prefetch_related("role_assignments__role"),
        pk=staff_id,
    )


def _staff_page(
    request: StaffRequest,
    staff: Staff | None,
    form: StaffForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """The staff form. Whether the shared account (name, e-mail, lock, second factor) is
    this actor's to change decides which fields and buttons it offers."""
    refusal = services.account_change_refusal(request.actor, staff.user) if staff else None
    if form is None:
        form = StaffForm(
            staff=staff,
            account_editable=refusal is None,
            may_join=services.is_installation_admin(request.actor),
        )
    context = {"form": form, "staff": staff, "account_refusal": refusal}
    return render(request, "people/admin/staff_form.html", context, status=status)


@staff_required(ADMIN_STAFF)
@require_http_methods(["GET", "POST"])
def staff_edit(request: StaffRequest, staff_id: int | None = None) -> HttpResponse:
    staff = _staff(staff_id) if staff_id else None
    if request.method != "POST":
        return _staff_page(request, staff)
    refusal = services.account_change_refusal(request.actor, staff.user) if staff else None
    form = StaffForm(
        request.POST,
        staff=staff,
        account_editable=refusal is None,
        may_join=services.is_installation_admin(request.actor),
    )
    if form.is_valid():
        common: dict[str, Any] = {
            "actor": request.actor,
            "user_data": form.user_data(),
            "staff_data": form.staff_data(),
            "units": list(form.cleaned_data["units"]),
            "roles": list(form.cleaned_data["roles"]),
        }
        try:
            if staff is None:
                created = services.staff_create(password=form.cleaned_data["password"], **common)
                if created.enrolment_code is not None:
                    return _enrolment_code_page(request, created.staff, created.enrolment_code)
            else:
                services.staff_update(staff=staff, **common)
        except services.UsernameTaken as exc:
            form.add_error("username", str(exc))
        except services.SharedAccountRefused as exc:
            form.add_error(None, str(exc))
            return _staff_page(request, staff, form, status=403)
        except services.StaffRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Den ansatte er lagret."))
            return redirect("people:staff_list")
    return _staff_page(request, staff, form)


@staff_required(ADMIN_STAFF)
@require_POST
def staff_unlock(request: StaffRequest, staff_id: int) -> HttpResponse:
    staff = _staff(staff_id)
    try:
        services.staff_unlock(actor=request.actor, staff=staff)
    except services.SharedAccountRefused as exc:
        messages.error(request, str(exc))
        return _staff_page(request, staff, status=403)
    messages.success(request, _("Kontoen til %(name)s er låst opp.") % {"name": staff})
    return redirect("people:staff_edit", staff_id=staff.pk)


@staff_required(ADMIN_STAFF)
@require_POST
def staff_reset_second_factor(request: StaffRequest, staff_id: int) -> HttpResponse:
    staff = _staff(staff_id)
    try:
        enrolment_code = services.staff_reset_second_factor(actor=request.actor, staff=staff)
    except services.SharedAccountRefused as exc:
        messages.error(request, str(exc))
        return _staff_page(request, staff, status=403)
    return _enrolment_code_page(request, staff, enrolment_code, reset=True)


def _enrolment_code_page(
    request: StaffRequest, staff: Staff, enrolment_code: str, *, reset: bool = False
) -> HttpResponse:
    """The one-time enrolment code, shown once in the answer to the POST that made it
    (never stored readable, never in a URL or a message), and kept out of caches."""
    staff.user.refresh_from_db(fields=["enrolment_code_expires_at"])
    context = {
        "staff": staff,
        "enrolment_code": enrolment_code,
        "expires_at": staff.user.enrolment_code_expires_at,
        "reset": reset,
    }
    response = render(request, "people/admin/staff_enrolment_code.html", context)
    add_never_cache_headers(response)
    return response
