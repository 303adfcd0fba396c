"""The citizen's own pages (min side): overview, plan, messages, decisions and
applications, consent and sperring, and the access log.

Every view is `@citizen_view`: the person comes from the session, never from the URL,
and every object is fetched through that person, so an id of another person's object
is a 404. Writes go through a service with `actor=request.citizen_actor`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.audit import record_event
from mestring.casework.letters import decision_letter_pdf
from mestring.core.downloads import content_disposition
from mestring.core.flow import submit
from mestring.core.pagination import paginate
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person
from mestring.portal import selectors, services
from mestring.portal.forms import (
    ApplyForm,
    BlockRequestForm,
    CommentForm,
    ConsentForm,
    MessageForm,
    PowerOfAttorneyEndForm,
    ProposalForm,
    WhatMattersForm,
)
from mestring.portal.guard import CitizenRequest, citizen_view
from mestring.portal.models import SenderKind
from mestring.portal.representation import Representation
from mestring.teams import ics

RULE_ERRORS = (services.PortalError,)


def _page(
    request: CitizenRequest, template: str, person: Person, rep: Representation, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"portal/pages/{template}",
        {"person": person, "rep": rep, "citizen": request.citizen, **context},
    )


def _form_page(
    request: CitizenRequest,
    person: Person,
    rep: Representation,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    *,
    success: str,
    done: str,
    title: str,
    intro: str = "",
    target: str = "",
    submit_label: str,
) -> HttpResponse:
    if request.method == "POST":
        saved = submit(request, form, action, success=success, rule_errors=RULE_ERRORS)
        if saved is not None:
            return redirect(done)
    return _page(
        request,
        "form.html",
        person,
        rep,
        form=form,
        title=title,
        intro=intro,
        target=target,
        submit_label=submit_label,
        cancel=reverse(done),
    )


@citizen_view(object_type="portal_home")
@require_GET
def home(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    return _page(request, "home.html", person, rep, home=selectors.home(person))


# --- My plan


@citizen_view(object_type="portal_plan")
@require_GET
def plan(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    active = selectors.active_plan(person)
    context = {
        "plan": active,
        "goals": selectors.plan_goals(active) if active else [],
        "loose_measures": selectors.measures_without_goal(active) if active else [],
        "coordinator": selectors.current_coordinator(person),
        "members": selectors.group_members(person),
        "meetings": selectors.upcoming_meetings(person),
        "minutes": selectors.shared_minutes(person),
        "notes": selectors.what_matters_notes(person),
        "proposals": selectors.proposals(person),
    }
    return _page(request, "plan.html", person, rep, **context)


@citizen_view(object_type="citizen_comment")
@require_http_methods(["GET", "POST"])
def what_matters(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    form = WhatMattersForm(request.POST or None)
    return _form_page(
        request,
        person,
        rep,
        form,
        lambda data: services.what_matters_write(
            actor=request.citizen_actor, rep=rep, text=data["text"]
        ),
        success=_("Takk. Koordinatoren din kan nå lese hva som er viktig for deg."),
        done="portal:plan",
        title=_("Hva er viktig for meg"),
        intro=_(
            "Fortell hva som betyr mest for deg i hverdagen, og hva du ønsker å få til. "
            "Det du skriver, endrer ikke planen før du og koordinatoren er enige."
        ),
        submit_label=_("Send til koordinatoren"),
    )


@citizen_view(object_type="citizen_comment")
@require_http_methods(["GET", "POST"])
def goal_comment(
    request: CitizenRequest, person: Person, rep: Representation, goal_id: int
) -> HttpResponse:
    goal = get_object_or_404(selectors.person_goal(person, goal_id))
    form = CommentForm(request.POST or None)
    return _form_page(
        request,
        person,
        rep,
        form,
        lambda data: services.comment_add(
            actor=request.citizen_actor, rep=rep, text=data["text"], goal=goal
        ),
        success=_("Kommentaren er sendt til koordinatoren din."),
        done="portal:plan",
        title=_("Kommenter et mål"),
        target=goal.text,
        submit_label=_("Send kommentaren"),
    )


@citizen_view(object_type="citizen_comment")
@require_http_methods(["GET", "POST"])
def measure_comment(
    request: CitizenRequest, person: Person, rep: Representation, measure_id: int
) -> HttpResponse:
    measure = get_object_or_404(selectors.person_measure(person, measure_id))
    form = CommentForm(request.POST or None)
    return _form_page(
        request,
        person,
        rep,
        form,
        lambda data: services.comment_add(
            actor=request.citizen_actor, rep=rep, text=data["text"], measure=measure
        ),
        success=_("Kommentaren er sendt til koordinatoren din."),
        done="portal:plan",
        title=_("Kommenter et tiltak"),
        target=measure.title,
        submit_label=_("Send kommentaren"),
    )


@citizen_view(object_type="citizen_comment")
@require_http_methods(["GET", "POST"])
def goal_propose(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    return _form_page(
        request,
        person,
        rep,
        form,
        lambda data: services.goal_propose(actor=request.citizen_actor, rep=rep, text=data["text"]),
        success=_("Forslaget er sendt. Koordinatoren din svarer deg."),
        done="portal:plan",
        title=_("Foreslå et nytt mål"),
        intro=_("Koordinatoren din ser på forslaget sammen med deg før det kommer inn i planen."),
        submit_label=_("Send forslaget"),
    )


@citizen_view(object_type="meeting")
@require_GET
def meeting_ics(
    request: CitizenRequest, person: Person, rep: Representation, meeting_id: int
) -> HttpResponse:
    meeting = get_object_or_404(selectors.person_upcoming_meeting(person, meeting_id))
    response = HttpResponse(
        ics.meetings_calendar([meeting]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(ics.ics_filename(meeting))
    return response


# --- Messages


@citizen_view(object_type="citizen_message")
@require_http_methods(["GET", "POST"])
def messages_page(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        sent = submit(
            request,
            form,
            lambda data: services.message_send_citizen(
                actor=request.citizen_actor, rep=rep, body=data["body"]
            ),
            success=_("Meldingen er sendt."),
            rule_errors=RULE_ERRORS,
        )
        if sent is not None:
            return redirect("portal:messages")
    else:
        services.messages_mark_read(person=person, sender_kind=SenderKind.STAFF)
    return _page(
        request, "messages.html", person, rep, thread=selectors.messages(person), form=form
    )


# --- Decisions and applications


@citizen_view(object_type="decisions")
@require_GET
def decisions(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    page = paginate(selectors.decisions(person), request.GET.get("side"))
    applications = selectors.applications(person)
    return _page(request, "decisions.html", person, rep, page=page, applications=applications)


@citizen_view(object_type="decision_letter")
@require_GET
def decision_letter(
    request: CitizenRequest, person: Person, rep: Representation, decision_id: int
) -> HttpResponse:
    decision = get_object_or_404(selectors.person_decision(person, decision_id))
    pdf = decision_letter_pdf(decision)
    record_event(
        actor=request.citizen_actor,
        action=AuditAction.EXPORT,
        object_type="decision_letter",
        object_id=decision.pk,
        person=person,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"vedtak-{decision.pk}.pdf", inline=True)
    return response


@citizen_view(object_type="case")
@require_http_methods(["GET", "POST"])
def apply(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    form = ApplyForm(request.POST or None)
    if request.method == "POST":
        case = submit(
            request,
            form,
            lambda data: services.application_submit(
                actor=request.citizen_actor,
                rep=rep,
                what=data["what"],
                services=list(data.get("services") or []),
                submission_token=data.get("submission_token"),
            ),
            success=_(
                "Søknaden er sendt. Kommunen behandler den og sender deg svar. "
                "Du får et foreløpig svar hvis det tar mer enn en måned."
            ),
            rule_errors=RULE_ERRORS,
        )
        if case is not None:
            return redirect("portal:decisions")
    return _page(request, "apply.html", person, rep, form=form)


# --- Consent and sperring


@citizen_view(object_type="consents")
@require_http_methods(["GET", "POST"])
def consent(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    form = ConsentForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.consent_give(
                actor=request.citizen_actor, rep=rep, kind=data["kind"], scope=data["scope"]
            ),
            success=_("Samtykket er registrert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("portal:consent")
    plan_now = selectors.active_plan(person)
    context = {
        "consents": list(selectors.person_consents(person)),
        "form": form,
        "plan": plan_now,
        "participants": selectors.plan_participants(plan_now),
        "members": selectors.group_members(person),
        "coordinator": selectors.current_coordinator(person),
        "block_requests": selectors.block_requests(person),
        "representatives": selectors.representatives(person),
    }
    return _page(request, "consent.html", person, rep, **context)


@citizen_view(object_type="representation")
@require_http_methods(["GET", "POST"])
def power_of_attorney_end(
    request: CitizenRequest, person: Person, rep: Representation, relative_id: int
) -> HttpResponse:
    """The person ends a power of attorney they gave (M6): from now on the relative is
    refused on the person's pages."""
    if rep.on_behalf:
        raise Http404
    relative = get_object_or_404(selectors.person_power_of_attorney(person, relative_id))
    form = PowerOfAttorneyEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.power_of_attorney_end(
                actor=request.citizen_actor, rep=rep, relative=relative, reason=data["reason"]
            ),
            success=_("Fullmakten er avsluttet."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("portal:consent")
    return _page(request, "power_of_attorney_end.html", person, rep, relative=relative, form=form)


@citizen_view(object_type="consent")
@require_http_methods(["GET", "POST"])
def consent_withdraw(
    request: CitizenRequest, person: Person, rep: Representation, consent_id: int
) -> HttpResponse:
    consent_row = get_object_or_404(selectors.person_consent(person, consent_id))
    if consent_row.withdrawn_on is not None:
        raise Http404
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.consent_withdraw(
                actor=request.citizen_actor, rep=rep, consent=consent_row
            ),
            success=_("Samtykket er trukket tilbake."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("portal:consent")
    return _page(request, "consent_withdraw.html", person, rep, consent=consent_row, form=form)


@citizen_view(object_type="block_request")
@require_http_methods(["GET", "POST"])
def block_request(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    form = BlockRequestForm(request.POST or None)
    return _form_page(
        request,
        person,
        rep,
        form,
        lambda data: services.block_request_add(
            actor=request.citizen_actor, rep=rep, text=data["text"]
        ),
        success=_("Ønsket om sperring er sendt. Kommunen tar kontakt med deg."),
        done="portal:consent",
        title=_("Be om sperring"),
        intro=_(
            "Du kan be om at bestemte ansatte eller enheter ikke skal kunne se "
            "opplysningene dine. I en nødsituasjon kan helsepersonell likevel få tilgang, "
            "og det ser du i loggen."
        ),
        submit_label=_("Send ønsket"),
    )


# --- Access log


@citizen_view(object_type="access_log")
@require_GET
def access_log(request: CitizenRequest, person: Person, rep: Representation) -> HttpResponse:
    page = paginate(selectors.access_log(person), request.GET.get("side"), per_page=50)
    lines = selectors.access_log_lines(
        list(page.object_list), person, viewer_is_person=not rep.on_behalf
    )
    return _page(request, "access_log.html", person, rep, page=page, lines=lines)
