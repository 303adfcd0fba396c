"""The citizen's login: ID-porten (OpenID Connect), the callback, whose pages to show,
and logout. Nobody is logged in until the token is valid, its assurance level is high
enough and the identity number is found in the municipality (own record or a recorded
right to act)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.middleware import client_address
from mestring.access.models import AuditOutcome, AuditPurpose
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import ActingBasis
from mestring.portal import oidc
from mestring.portal.guard import LOGIN_OBJECT, LOGIN_ROLE, representation_roles
from mestring.portal.representation import SELF, Representation, representations
from mestring.portal.session import choose_person, citizen_login, citizen_logout, current_citizen
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

LOGIN_ACTOR = LOGIN_ROLE

BASIS_WORDS = {
    SELF: gettext_lazy("Deg selv"),
    ActingBasis.POWER_OF_ATTORNEY: gettext_lazy("Du har fullmakt"),
    ActingBasis.PARENTAL_RESPONSIBILITY: gettext_lazy("Du har foreldreansvar"),
    ActingBasis.GUARDIANSHIP: gettext_lazy("Du er verge"),
}


def basis_words(basis: str) -> str:
    return str(BASIS_WORDS.get(basis, basis))


def _login_actor(
    request: HttpRequest,
    municipality: Municipality,
    rep: Representation | None = None,
    name: str = "",
) -> Actor:
    """A refused login has no one to name; an allowed one names the citizen and whose
    login it was in the person's log: their own, or a relative's on their behalf (L1)."""
    roles = (LOGIN_ACTOR,) if rep is None else (LOGIN_ACTOR, *representation_roles(rep))
    return Actor(
        municipality=municipality,
        user=None,
        staff=None,
        role_codes=roles,
        label=(name or LOGIN_ACTOR)[:150],
        client_address=client_address(request),
        request_id=getattr(request, "request_id", ""),
    )


def _audit(
    request: HttpRequest,
    municipality: Municipality,
    *,
    outcome: str,
    reason: str,
    rep: Representation | None = None,
    name: str = "",
) -> None:
    with activate(municipality):
        record_event(
            actor=_login_actor(request, municipality, rep, name),
            action=AuditAction.LOGIN,
            object_type=LOGIN_OBJECT,
            object_id="",
            person=rep.person if rep is not None else None,
            outcome=outcome,
            purpose=AuditPurpose.CITIZEN,
            reason_code=reason[:40],
        )


def _home() -> HttpResponse:
    return redirect("portal:home")


@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Explains the login; with a municipality chosen, a button to ID-porten."""
    municipalities = list(Municipality.objects.order_by("name"))
    number = request.GET.get("kommune", "").strip()
    municipality = next((m for m in municipalities if m.number == number), None)
    if municipality is None and not number and len(municipalities) == 1:
        municipality = municipalities[0]
    context = {
        "municipality": municipality,
        "municipalities": municipalities,
        "unknown": bool(number) and municipality is None,
        "citizen": current_citizen(request),
    }
    return render(request, "portal/auth/login.html", context, status=200)


@require_GET
def login_start(request: HttpRequest) -> HttpResponse:
    """Remember the municipality and the login's secrets, then off to the provider."""
    number = request.GET.get("kommune", "").strip()
    municipality = Municipality.objects.filter(number=number).first() if number else None
    if municipality is None:
        return redirect(reverse("portal:login"))
    try:
        url = oidc.start_login(request, municipality_id=municipality.pk)
    except oidc.OidcError as exc:
        logger.warning("citizen login could not start: %s", exc.code)
        return _problem(request, exc.message, status=503, municipality=municipality)
    return redirect(url)


def _problem(
    request: HttpRequest,
    message: StrOrPromise,
    *,
    status: int,
    municipality: Municipality | None = None,
    title: str = "",
) -> HttpResponse:
    context = {
        "title": title or _("Innloggingen kunne ikke fullføres"),
        "message": message,
        "municipality": municipality,
    }
    return render(request, "portal/auth/problem.html", context, status=status)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    pending = oidc.pending_login(request)
    municipality_id = pending.get("municipality_id") if pending else None
    municipality = (
        Municipality.objects.filter(pk=municipality_id).first()
        if municipality_id is not None
        else None
    )
    try:
        identity, pending = oidc.finish_login(request)
    except oidc.AssuranceTooLow as exc:
        if municipality is not None:
            _audit(
                request,
                municipality,
                outcome=AuditOutcome.REFUSED,
                reason=f"acr:{exc.acr or 'mangler'}",
            )
        return _problem(
            request,
            exc.message,
            status=403,
            municipality=municipality,
            title=_("Innloggingen må være på høyt sikkerhetsnivå"),
        )
    except oidc.OidcError as exc:
        logger.warning("citizen login failed: %s", exc.code)
        return _problem(request, exc.message, status=400, municipality=municipality)
    if municipality is None:  # the pending login named a municipality that is gone
        return _problem(request, _("Velg kommune og logg inn på nytt."), status=400)

    with activate(municipality):
        found = representations(identity.national_id)
    if not found:
        _audit(request, municipality, outcome=AuditOutcome.REFUSED, reason="ikke_funnet")
        context = {"municipality": municipality}
        return render(request, "portal/auth/not_found.html", context, status=200)

    name = identity.name or found[0].person.full_name
    _audit(
        request,
        municipality,
        outcome=AuditOutcome.ALLOWED,
        reason=f"acr:{identity.acr}",
        rep=found[0],
        name=name,
    )
    citizen_login(
        request,
        municipality=municipality,
        national_id=identity.national_id,
        name=name,
        acr=identity.acr,
    )
    if len(found) == 1:
        choose_person(request, found[0].person.pk)
        return _home()
    return redirect("portal:choose")


def _choices(reps: list[Representation]) -> list[dict]:
    return [
        {"person": rep.person, "basis": rep.basis, "words": basis_words(rep.basis)} for rep in reps
    ]


@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    """Whose pages to show: one's own, or a person one may act for."""
    citizen = current_citizen(request)
    if citizen is None:
        return redirect("portal:login")
    municipality = Municipality.objects.filter(pk=citizen.municipality_id).first()
    if municipality is None:
        citizen_logout(request)
        return redirect("portal:login")
    with activate(municipality):
        reps = representations(citizen.national_id)
    error = ""
    if request.method == "POST":
        raw = request.POST.get("person", "")
        chosen = next((r for r in reps if raw.isdigit() and r.person.pk == int(raw)), None)
        if chosen is not None:
            choose_person(request, chosen.person.pk)
            return _home()
        error = _("Velg hvem du vil se sidene til.")
    if not reps:
        return render(
            request,
            "portal/auth/not_found.html",
            {"municipality": municipality, "citizen": citizen},
        )
    context = {
        "municipality": municipality,
        "citizen": citizen,
        "choices": _choices(reps),
        "error": error,
    }
    return render(request, "portal/auth/choose.html", context, status=400 if error else 200)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    number = ""
    if citizen is not None:
        municipality = Municipality.objects.filter(pk=citizen.municipality_id).first()
        number = municipality.number if municipality else ""
    citizen_logout(request)
    messages.info(request, _("Du er logget ut."))
    url = reverse("portal:login")
    return redirect(f"{url}?kommune={number}" if number else url)
