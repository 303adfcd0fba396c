from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mestring.core.session_keys import ACTIVE_STAFF as SESSION_KEY


@login_required
@require_http_methods(["GET", "POST"])
def choose_municipality(request: HttpRequest) -> HttpResponse:
    """A user with several municipalities works in one at a time."""
    memberships = request.memberships
    if request.method == "POST":
        chosen = request.POST.get("staff", "")
        staff = next((m for m in memberships if str(m.pk) == chosen), None)
        if staff is not None:
            request.session[SESSION_KEY] = staff.pk
            return redirect("core:home")
    return render(request, "tenancy/choose.html", {"memberships": memberships})
