"""The logged-in staff member's own API tokens: list, create (shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mestring.access.decorators import staff_required
from mestring.access.request import StaffRequest
from mestring.api import services
from mestring.api.forms import TokenForm
from mestring.api.models import ApiToken
from mestring.core.csvexport import render_or_csv


def _own_tokens(request: StaffRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(staff=request.actor.staff).order_by("-created_at", "-pk"))


@staff_required()
@require_http_methods(["GET", "POST"])
def token_list(request: StaffRequest) -> HttpResponseBase:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(
                actor=request.actor,
                staff=request.actor.staff,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except services.TokenRuleError as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenForm()
    context = {"form": form, "created": created, "tokens": _own_tokens(request)}
    return render_or_csv(request, "api/token_list.html", context)


@staff_required()
@require_POST
def token_revoke(request: StaffRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, staff=request.actor.staff)
    services.token_revoke(actor=request.actor, token=token)
    messages.success(request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name})
    return redirect("api:token_list")
