"""Activates the user's current municipality for the whole request and builds the actor."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.core.session_keys import ACTIVE_STAFF
from mestring.people.models import Staff
from mestring.tenancy.context import activate

SESSION_KEY = ACTIVE_STAFF


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def staff_memberships(user_id: int) -> list[Staff]:
    return list(
        Staff.all_objects.filter(user_id=user_id, is_active=True)
        .select_related("municipality")
        .order_by("municipality__number")
    )


def build_actor(request: HttpRequest, staff: Staff) -> Actor:
    assignments = list(
        StaffRole.all_objects.filter(staff=staff).select_related("role", "unit").order_by("pk")
    )
    permissions = frozenset(p for a in assignments for p in a.role.permissions)
    unit_names = tuple(staff.units.order_by("name").values_list("name", flat=True))
    return Actor(
        municipality=staff.municipality,
        user=request.user,
        staff=staff,
        role_codes=tuple(dict.fromkeys(a.role.code for a in assignments)),
        unit_names=unit_names,
        permissions=permissions,
        client_address=client_address(request),
        request_id=getattr(request, "request_id", ""),
    )


class ActiveMunicipalityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None
        request.memberships = []
        if not request.user.is_authenticated:
            return self.get_response(request)
        memberships = staff_memberships(request.user.pk)
        request.memberships = memberships
        chosen = request.session.get(SESSION_KEY)
        staff = next((m for m in memberships if m.pk == chosen), None)
        if staff is None and len(memberships) == 1:
            staff = memberships[0]
            request.session[SESSION_KEY] = staff.pk
        if staff is None:
            return self.get_response(request)
        with activate(staff.municipality):
            request.actor = build_actor(request, staff)
            return self.get_response(request)
