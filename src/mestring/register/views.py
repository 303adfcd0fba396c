"""Person search, registration and overview. Reading a person goes through the guard."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.defaults import permission_denied

from mestring.access.audit import record_event
from mestring.access.decorators import staff_required
from mestring.access.guard import audit_refusal, person_view
from mestring.access.models import AuditPurpose
from mestring.access.permissions import PERSON_REGISTER, PERSON_SEARCH
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.logging import IDENTITY_NUMBER
from mestring.core.pagination import paginate
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person, Relative
from mestring.register import selectors, services
from mestring.register.forms import (
    InvolvementForm,
    PersonForm,
    PersonSearchForm,
    RelativeForm,
    RepresentationCorrectForm,
    RepresentationEndForm,
)


@staff_required(PERSON_SEARCH)
@require_http_methods(["GET", "POST"])
def person_search(request: StaffRequest) -> HttpResponse:
    """The search page. The form is posted, so that an identity number never stands in
    an address (the browser's history, a proxy's or the server's log, the Referer).
    A search without one goes on to the address with the query (PRG), where the sort
    and the pages work as links; one with a number is answered directly."""
    data = request.POST if request.method == "POST" else request.GET
    form = PersonSearchForm(data or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["q"]
        if not IDENTITY_NUMBER.search(text):
            params = {"q": text}
            if form.cleaned_data["sort"]:
                params["sort"] = form.cleaned_data["sort"]
            url = f"{reverse('people:search')}?{urlencode(params)}"
            if not request.htmx:
                return redirect(url)
            response = _search_page(request, form)
            response["HX-Push-Url"] = url
            return response
        response = _search_page(request, form)
        if request.htmx:
            response["HX-Push-Url"] = reverse("people:search")
        return response
    return _search_page(request, form)


def _search_page(request: StaffRequest, form: PersonSearchForm) -> HttpResponse:
    page = None
    query = selectors.PersonQuery()
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = selectors.PersonQuery(
            text=form.cleaned_data["q"], sort=form.cleaned_data["sort"] or "navn"
        )
        page = paginate(selectors.search_persons(query), request.GET.get("side"))
        # The access flag for the 25 persons shown, not for every hit.
        page.object_list = selectors.mark_access(list(page.object_list), request.actor)
        # A search shows who is known to the services: logged, without a person.
        record_event(
            actor=request.actor,
            action=AuditAction.SEARCH,
            object_type="person_search",
            object_id=page.paginator.count,
            purpose=AuditPurpose.CARE,
        )
    template = "people/_search_results.html" if request.htmx else "people/search.html"
    return render(request, template, {"form": form, "page": page, "query": query})


@staff_required(PERSON_REGISTER)
@require_http_methods(["GET", "POST"])
def person_register(request: StaffRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(actor=request.actor, data=form.service_data())
        except services.DuplicatePerson as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, _("%(name)s er registrert.") % {"name": person.full_name})
            return redirect("people:overview", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@staff_required()
@person_view()
def person_overview(request: StaffRequest, person: Person) -> HttpResponseBase:
    context = {
        "person": person,
        "may_change_representation": request.actor.has_perm(PERSON_REGISTER),
        **selectors.person_overview(person),
    }
    return csvexport.render_or_csv(request, "people/overview.html", context)


@staff_required()
@person_view(action=AuditAction.UPDATE)
@require_http_methods(["GET", "POST"])
def person_edit(request: StaffRequest, person: Person) -> HttpResponse:
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.actor, person=person, data=form.service_data())
        except services.DuplicatePerson as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("people:overview", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


def _add_to_person(
    request: StaffRequest,
    person: Person,
    form_class: Callable[..., forms.ModelForm],
    add: Callable[..., object],
    *,
    title: str,
    done: str,
) -> HttpResponse:
    """A small form that adds one thing to a person, then back to the overview."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        add(actor=request.actor, person=person, data=form.cleaned_data)
        messages.success(request, done)
        return redirect("people:overview", person_id=person.pk)
    context = {"form": form, "person": person, "title": title}
    return render(request, "people/add_to_person.html", context)


@staff_required()
@person_view(action=AuditAction.UPDATE)
@require_http_methods(["GET", "POST"])
def relative_add(request: StaffRequest, person: Person) -> HttpResponse:
    may_register_right = request.actor.has_perm(PERSON_REGISTER)
    return _add_to_person(
        request,
        person,
        partial(RelativeForm, may_register_right=may_register_right),
        services.relative_add,
        title=_("Legg til pårørende"),
        done=_("Pårørende er lagt til."),
    )


@staff_required()
@person_view(action=AuditAction.UPDATE)
@require_http_methods(["GET", "POST"])
def involvement_add(request: StaffRequest, person: Person) -> HttpResponse:
    return _add_to_person(
        request,
        person,
        InvolvementForm,
        services.involvement_add,
        title=_("Legg til involvert enhet"),
        done=_("Enheten er lagt til."),
    )


# --- A relative's right to act (M6): end it, or correct its kind and last day. Those
# who register persons may do this, for a person whose record they may change.


def _refused_without_permission(request: StaffRequest, person: Person) -> HttpResponse | None:
    """The permission is checked after the guard, so a refusal names the person in the
    log; answered (not raised) so the refusal's audit row is kept."""
    if request.actor.has_perm(PERSON_REGISTER):
        return None
    audit_refusal(request.actor, person, action=AuditAction.UPDATE)
    return permission_denied(request, PermissionDenied())


def _relative_with_right(person: Person, relative_id: int) -> Relative:
    relative = get_object_or_404(Relative.objects.filter(person=person), pk=relative_id)
    if not relative.acting_basis:
        raise Http404
    return relative


def _representation_form(
    request: StaffRequest,
    person: Person,
    relative: Relative,
    form: forms.Form,
    action: Callable[[dict], object],
    *,
    title: str,
    intro: str,
    done: str,
    submit_label: str,
    danger: bool = False,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except services.RepresentationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("people:overview", person_id=person.pk)
    context = {
        "form": form,
        "person": person,
        "relative": relative,
        "changes": list(relative.representation_changes.all()),
        "title": title,
        "intro": intro,
        "submit_label": submit_label,
        "danger": danger,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "people/representation_form.html", context, status=status)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="representation")
@require_http_methods(["GET", "POST"])
def representation_end(request: StaffRequest, person: Person, relative_id: int) -> HttpResponse:
    refused = _refused_without_permission(request, person)
    if refused is not None:
        return refused
    relative = _relative_with_right(person, relative_id)
    form = RepresentationEndForm(request.POST if request.method == "POST" else None)
    return _representation_form(
        request,
        person,
        relative,
        form,
        lambda data: services.representation_end(
            actor=request.actor, relative=relative, reason=data["reason"]
        ),
        title=_("Avslutt retten til å handle"),
        intro=_(
            "Retten avsluttes nå. Fra da av kan %(name)s ikke lenger logge inn på Min side "
            "på vegne av personen."
        )
        % {"name": relative.name},
        done=_("Retten til å handle på vegne av personen er avsluttet."),
        submit_label=_("Avslutt retten"),
        danger=True,
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="representation")
@require_http_methods(["GET", "POST"])
def representation_correct(request: StaffRequest, person: Person, relative_id: int) -> HttpResponse:
    refused = _refused_without_permission(request, person)
    if refused is not None:
        return refused
    relative = _relative_with_right(person, relative_id)
    initial = {"acting_basis": relative.acting_basis, "acting_until": relative.acting_until}
    form = RepresentationCorrectForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    return _representation_form(
        request,
        person,
        relative,
        form,
        lambda data: services.representation_correct(
            actor=request.actor,
            relative=relative,
            basis=data["acting_basis"],
            until=data["acting_until"],
            reason=data["reason"],
        ),
        title=_("Rett opp retten til å handle"),
        intro=_("Rett hva retten bygger på, eller til hvilken dag den gjelder."),
        done=_("Retten til å handle er rettet."),
        submit_label=_("Lagre rettelsen"),
    )
