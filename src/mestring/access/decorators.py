"""Entry checks for staff pages: logged in, working in a municipality, permitted."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mestring.access.audit import record_event
from mestring.access.models import AuditOutcome
from mestring.kernel.audit_words import AuditAction


def staff_required(permission: str | None = None) -> Callable:
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = request.actor
            if actor is None:
                if len(request.memberships) > 1:
                    return redirect("tenancy:choose")
                raise PermissionDenied
            if permission is not None and not actor.has_perm(permission):
                # A refusal is logged like any other, naming the page, not a person.
                record_event(
                    actor=actor,
                    action=AuditAction.OPEN_PAGE,
                    object_type="page",
                    object_id=request.resolver_match.view_name if request.resolver_match else "",
                    outcome=AuditOutcome.REFUSED,
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
