"""Public pages without login (the service catalogue, the user organisations' form and
their personal link) and the staff pages that moderate them.

The middleware leaves anonymous requests alone, so every public view activates the
municipality named in its address itself (`public_page`). Public pages show no person
data; writes without login are audited with a system actor (services.public_actor).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mestring.access.actor import Actor
from mestring.access.decorators import staff_required
from mestring.access.permissions import ADMIN_UNITS
from mestring.access.request import MestringRequest, StaffRequest
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.public import selectors, services
from mestring.public.forms import (
    HONEYPOT_FIELD,
    EventForm,
    LinkRequestForm,
    OrganisationForm,
    ProfileForm,
    RejectForm,
)
from mestring.public.models import OrganisationEvent, OrganisationStatus, UserOrganisation
from mestring.public.selectors import TokenState
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality

RULE_ERRORS = (services.PublicRuleError,)
FORM_LABEL = "offentlig skjema"
LINK_LABEL = "brukerorganisasjon (personlig lenke)"


class LinkRequest(MestringRequest):
    """A request of a personal link's page, after `token_page`: the organisation's
    writes are audited with this system actor. Only a type, like MestringRequest."""

    public_actor: Actor


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Open to everyone: find the municipality by its number (404 if none) and make it
    the active one for the view, whoever is logged in or not."""

    @wraps(view)
    def wrapper(request: MestringRequest, number: str, *args: Any, **kwargs: Any) -> HttpResponse:
        municipality = selectors.municipality_or_404(number)
        with activate(municipality):
            return view(request, municipality, *args, **kwargs)

    wrapper.public = True  # type: ignore[attr-defined]  # marks the page as open to all
    return wrapper


def _link_builder(request: MestringRequest, municipality: Municipality) -> services.LinkBuilder:
    def build(token: str) -> str:
        path = reverse(
            "public:organisation_edit", kwargs={"number": municipality.number, "token": token}
        )
        return request.build_absolute_uri(path)

    return build


# --- The public catalogue


@require_GET
def municipality_list(request: MestringRequest) -> HttpResponse:
    municipalities = list(selectors.all_municipalities())
    return render(request, "public/municipality_list.html", {"municipalities": municipalities})


@public_page
@require_GET
def catalogue(request: MestringRequest, municipality: Municipality) -> HttpResponse:
    profile = selectors.public_profile()
    context = {
        "municipality": municipality,
        "profile": profile,
        "contact": selectors.contact(profile),
        "groups": selectors.service_groups(list(selectors.active_services())),
        "organisations": list(selectors.published_organisations(timezone.localdate())),
    }
    return render(request, "public/catalogue.html", context)


@public_page
@require_GET
def service_detail(request: MestringRequest, municipality: Municipality, code: str) -> HttpResponse:
    service = get_object_or_404(selectors.active_services(), code=code)
    profile = selectors.public_profile()
    context = {
        "municipality": municipality,
        "service": service,
        "level": selectors.pyramid_words(service.pyramid_level),
        "profile": profile,
        "contact": selectors.contact(profile),
    }
    return render(request, "public/service_detail.html", context)


# --- Registration, the personal link, a new link


@public_page
@require_http_methods(["GET", "POST"])
def organisation_register(request: MestringRequest, municipality: Municipality) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD):
            # A bot: answer as if all went well, keep nothing.
            return redirect("public:organisation_registered", number=municipality.number)
        if form.is_valid():
            actor = services.public_actor(municipality, request, label=FORM_LABEL)
            services.organisation_register(actor=actor, data=form.cleaned_data)
            return redirect("public:organisation_registered", number=municipality.number)
    context = {"municipality": municipality, "form": form, "honeypot": HONEYPOT_FIELD}
    return render(request, "public/organisation_register.html", context)


@public_page
@require_GET
def organisation_registered(request: MestringRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "public/organisation_registered.html", {"municipality": municipality})


def _token_refused(
    request: MestringRequest, municipality: Municipality, state: TokenState
) -> HttpResponse:
    expired = state == TokenState.EXPIRED
    context = {"municipality": municipality, "expired": expired}
    return render(request, "public/link_refused.html", context, status=410 if expired else 404)


def token_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the personal link: the view receives the organisation the token
    belongs to; an unknown token is a 404 page and an expired one a 410 page, both
    saying in plain words what to do."""

    @public_page
    @wraps(view)
    def wrapper(
        request: LinkRequest, municipality: Municipality, token: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        organisation, state = selectors.organisation_for_token(token)
        if organisation is None or state != TokenState.VALID:
            response = _token_refused(request, municipality, state)
        else:
            request.public_actor = services.public_actor(municipality, request, label=LINK_LABEL)
            response = view(request, municipality, organisation, token, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    return never_cache(wrapper)


@token_page
@require_http_methods(["GET", "POST"])
def organisation_edit(
    request: LinkRequest, municipality: Municipality, organisation: UserOrganisation, token: str
) -> HttpResponse:
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.organisation_update(
                actor=request.public_actor, organisation=organisation, data=data
            ),
            success=_("Endringene er lagret og publisert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("public:organisation_edit", number=municipality.number, token=token)
        organisation.refresh_from_db()
    context = {
        "municipality": municipality,
        "organisation": organisation,
        "token": token,
        "form": form,
        "events": list(organisation.events.order_by("starts_on", "title")),
        "today": timezone.localdate(),
    }
    return render(request, "public/organisation_edit.html", context)


@token_page
@require_http_methods(["GET", "POST"])
def event_edit(
    request: LinkRequest,
    municipality: Municipality,
    organisation: UserOrganisation,
    token: str,
    event_id: int | None = None,
) -> HttpResponse:
    event = (
        get_object_or_404(OrganisationEvent, pk=event_id, organisation=organisation)
        if event_id
        else None
    )
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.event_save(
                actor=request.public_actor, organisation=organisation, event=event, data=data
            ),
            success=_("Arrangementet er lagret og publisert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("public:organisation_edit", number=municipality.number, token=token)
    context = {
        "municipality": municipality,
        "organisation": organisation,
        "token": token,
        "form": form,
        "event": event,
    }
    return render(request, "public/event_form.html", context)


@token_page
@require_POST
def event_delete(
    request: LinkRequest,
    municipality: Municipality,
    organisation: UserOrganisation,
    token: str,
    event_id: int,
) -> HttpResponse:
    event = get_object_or_404(OrganisationEvent, pk=event_id, organisation=organisation)
    services.event_delete(actor=request.public_actor, organisation=organisation, event=event)
    messages.success(request, _("Arrangementet er fjernet."))
    return redirect("public:organisation_edit", number=municipality.number, token=token)


@public_page
@require_http_methods(["GET", "POST"])
def link_request(request: MestringRequest, municipality: Municipality) -> HttpResponse:
    """Ask for a new personal link. The answer is the same whether the address is
    known or not; a link is sent only to an approved organisation's address."""
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = services.public_actor(municipality, request, label=FORM_LABEL)
        services.edit_link_request(
            actor=actor,
            email=form.cleaned_data["email"],
            link_builder=_link_builder(request, municipality),
        )
        return redirect(reverse("public:link_request", args=[municipality.number]) + "?sendt=1")
    context = {
        "municipality": municipality,
        "form": form,
        "sent": request.method == "GET" and request.GET.get("sendt") == "1",
    }
    return render(request, "public/link_request.html", context)


# --- Staff: moderation and the public profile


def _status_from(request: MestringRequest) -> str:
    status = request.GET.get("status", OrganisationStatus.PENDING)
    return status if status in OrganisationStatus.values else OrganisationStatus.PENDING


@staff_required(ADMIN_UNITS)
@require_GET
def moderation(request: StaffRequest) -> HttpResponseBase:
    status = _status_from(request)
    counts = selectors.status_counts()
    tabs = [
        (value, label, counts[value], value == status)
        for value, label in OrganisationStatus.choices
    ]
    context = {
        "page": csvexport.page_or_all(request, selectors.moderation_list(status)),
        "status": status,
        "status_label": OrganisationStatus(status).label,
        "tabs": tabs,
        "municipality": request.actor.municipality,
    }
    return csvexport.render_or_csv(request, "public/moderation.html", context)


def _moderation_page(
    request: StaffRequest,
    organisation: UserOrganisation,
    reject_form: RejectForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "organisation": organisation,
        "events": list(organisation.events.order_by("starts_on", "title")),
        "reject_form": reject_form,
        "municipality": request.actor.municipality,
    }
    return render(request, "public/moderation_detail.html", context, status=status)


@staff_required(ADMIN_UNITS)
@require_GET
def moderation_detail(request: StaffRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(
        UserOrganisation.objects.select_related("approved_by"), pk=organisation_id
    )
    return _moderation_page(request, organisation, RejectForm())


@staff_required(ADMIN_UNITS)
@require_POST
def organisation_approve(request: StaffRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(UserOrganisation, pk=organisation_id)
    try:
        services.organisation_approve(
            actor=request.actor,
            organisation=organisation,
            link_builder=_link_builder(request, request.actor.municipality),
        )
    except services.PublicRuleError as exc:
        messages.error(request, str(exc))
        return redirect("public:moderation_detail", organisation_id=organisation.pk)
    if not getattr(organisation, "link_sent", True):
        messages.warning(
            request,
            _(
                "%(name)s er godkjent og publisert, men e-posten med lenken kunne ikke "
                "sendes. Be organisasjonen bruke «Få ny lenke» på den offentlige siden."
            )
            % {"name": organisation.name},
        )
        return redirect("public:moderation")
    messages.success(
        request,
        _(
            "%(name)s er godkjent og publisert. En lenke for å endre oppføringen "
            "er sendt til %(email)s."
        )
        % {"name": organisation.name, "email": organisation.email},
    )
    return redirect("public:moderation")


@staff_required(ADMIN_UNITS)
@require_POST
def organisation_reject(request: StaffRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(UserOrganisation, pk=organisation_id)
    form = RejectForm(request.POST)
    saved = submit(
        request,
        form,
        lambda data: services.organisation_reject(
            actor=request.actor, organisation=organisation, reason=data["reason"]
        ),
        success=_("%(name)s er avvist.") % {"name": organisation.name},
        rule_errors=RULE_ERRORS,
    )
    if saved is None:
        organisation.refresh_from_db()
        return _moderation_page(request, organisation, form)
    return redirect("public:moderation")


@staff_required(ADMIN_UNITS)
@require_http_methods(["GET", "POST"])
def profile_edit(request: StaffRequest) -> HttpResponse:
    profile = selectors.public_profile()
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.profile_save(actor=request.actor, data=data),
            success=_("Den offentlige siden er oppdatert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("public:profile_edit")
    context = {"form": form, "municipality": request.actor.municipality}
    return render(request, "public/profile_form.html", context)
