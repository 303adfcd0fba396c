"""Roles as data: an administrator changes what each role may do, and who holds it where."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mestring.access import services
from mestring.access.decorators import staff_required
from mestring.access.forms import RoleAssignmentForm, RolePermissionsForm
from mestring.access.models import Role, StaffRole
from mestring.access.permissions import ADMIN_STAFF, PERMISSIONS
from mestring.core import csvexport
from mestring.people.models import Staff


@staff_required(ADMIN_STAFF)
def role_list(request: HttpRequest) -> HttpResponse:
    roles = Role.objects.order_by("name")
    return csvexport.render_or_csv(
        request, "access/role_list.html", {"roles": roles, "labels": PERMISSIONS}
    )


@staff_required(ADMIN_STAFF)
@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, role_id: int) -> HttpResponse:
    role = get_object_or_404(Role, pk=role_id)
    form = RolePermissionsForm(request.POST or None, initial={"permissions": role.permissions})
    if request.method == "POST" and form.is_valid():
        services.role_update_permissions(
            actor=request.actor, role=role, permissions=form.cleaned_data["permissions"]
        )
        messages.success(request, _("Rettighetene for %(role)s er lagret.") % {"role": role.name})
        return redirect("access:role_list")
    return render(request, "access/role_form.html", {"role": role, "form": form})


@staff_required(ADMIN_STAFF)
@require_http_methods(["GET", "POST"])
def role_assign(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = get_object_or_404(Staff.objects.select_related("user"), pk=staff_id)
    form = RoleAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.role_assign(
            actor=request.actor,
            staff=staff,
            role=form.cleaned_data["role"],
            unit=form.cleaned_data["unit"],
        )
        messages.success(request, _("Rollen er tildelt."))
        return redirect("access:role_assign", staff_id=staff.pk)
    assignments = StaffRole.objects.filter(staff=staff).select_related("role", "unit")
    return render(
        request,
        "access/role_assign.html",
        {"staff": staff, "form": form, "assignments": assignments},
    )


@staff_required(ADMIN_STAFF)
@require_POST
def role_unassign(request: HttpRequest, staff_id: int, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(StaffRole, pk=assignment_id, staff_id=staff_id)
    services.role_unassign(actor=request.actor, assignment=assignment)
    messages.success(request, _("Rollen er fjernet."))
    return redirect("access:role_assign", staff_id=staff_id)
