"""Pages for messages of need: the coordinating unit's inbox, registering a message, and a
person's messages with triage, status and opening a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mestring.access.audit import record_event
from mestring.access.boards import name_intake_rows
from mestring.access.decorators import staff_required
from mestring.access.forms import HandOutForm
from mestring.access.guard import audited_view, has_care_relation, person_view
from mestring.access.models import AuditPurpose
from mestring.access.permissions import ACCESS_GRANT, PERSON_REGISTER, PERSON_SEARCH
from mestring.access.request import StaffRequest
from mestring.access.selectors import staff_with_permission
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import DomainError
from mestring.people.models import Person
from mestring.referrals import rules, selectors, services
from mestring.referrals.forms import (
    WHO_EXISTING,
    OpenCaseForm,
    ReferralRegisterForm,
    StatusForm,
    TriageForm,
)
from mestring.referrals.models import CarePlace, Referral, Urgency
from mestring.register.services import DuplicateNationalId

# Any refusal, also one from the case opened (casework) or the transition table.
RULE_ERRORS = (DomainError,)
INBOX_TABS = (
    ("alle", gettext_lazy("Alle åpne")),
    ("ufordelte", gettext_lazy("Ikke fordelt")),
    ("nye", gettext_lazy("Nye")),
    ("vurdering", gettext_lazy("Under vurdering")),
    ("forfalt", gettext_lazy("Forfalt")),
)


@staff_required(PERSON_REGISTER)
@audited_view(object_type="referral_inbox")
@require_GET
def inbox(request: StaffRequest) -> HttpResponseBase:
    view = request.GET.get("vis", "alle")
    if view not in selectors.INBOX_VIEWS:
        view = "alle"
    sort = request.GET.get("sort", "")
    referrals = selectors.inbox(request.actor, view=view, sort=sort)
    counts = selectors.inbox_counts()
    page = csvexport.page_or_all(request, referrals)
    page.object_list = name_intake_rows(request, list(page.object_list), "referral_inbox")
    context = {
        "page": page,
        "some_without_access": any(not r.has_access for r in page.object_list),
        "tabs": [(key, label, counts[key]) for key, label in INBOX_TABS],
        "view": view,
        "counts": counts,
        "may_grant": request.actor.has_perm(ACCESS_GRANT),
        # The colleagues a message may be given to, drawn once for every row's form.
        "hand_out_staff": list(staff_with_permission(PERSON_REGISTER)),
        "days_normal": rules.response_days(Urgency.NORMAL),
        "days_urgent": rules.response_days(Urgency.URGENT),
    }
    return csvexport.render_or_csv(request, "referrals/inbox.html", context)


def _register(request: StaffRequest, form: ReferralRegisterForm) -> Referral | None:
    """Save a valid registration; on a broken rule put the message on the form."""
    try:
        if form.is_new_person:
            return services.referral_register_new_person(
                actor=request.actor, person_data=form.person_data(), **form.referral_data()
            )
        return services.referral_register(
            actor=request.actor, person=form.cleaned_data["person"], **form.referral_data()
        )
    except DuplicateNationalId:
        # A concurrent registration of the same number, after the form's own check.
        form.add_error("national_id", _("Det finnes allerede en person med dette nummeret."))
    except services.ReferralRuleError as exc:
        form.add_error(None, str(exc))
    return None


@staff_required(PERSON_REGISTER)
@require_POST
def take(request: StaffRequest, referral_id: int) -> HttpResponse:
    """ "Ta meldingen" or "Fordel til" from the inbox: the taker opens the message at once,
    a colleague finds it under their own messages."""
    referral = get_object_or_404(Referral.objects.select_related("person"), pk=referral_id)
    form = HandOutForm(request.POST, permission=PERSON_REGISTER)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return redirect("referrals:inbox")
    try:
        referral = services.referral_take(
            actor=request.actor, referral=referral, handler=form.cleaned_data["staff"]
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("referrals:inbox")
    if referral.handler_id == request.actor.staff.pk:
        messages.success(request, _("Du behandler nå meldingen."))
        return redirect("referrals:detail", referral.person_id, referral.pk)
    messages.success(request, _("Meldingen er fordelt til %(name)s.") % {"name": referral.handler})
    return redirect("referrals:inbox")


@staff_required(PERSON_REGISTER)
@audited_view(object_type="referral_register")
@require_http_methods(["GET", "POST"])
def register(request: StaffRequest) -> HttpResponse:
    may_search = request.actor.has_perm(PERSON_SEARCH)
    if request.method == "POST" and "sok" in request.POST:
        # The search button (also Enter in a text field, as the form's first button):
        # show the hits and keep what was typed, without errors. A search with a query
        # means the existing-person path; an empty one leaves the choice as it was.
        initial = request.POST.dict()
        if initial.get("q", "").strip():
            initial["who"] = WHO_EXISTING
        form = ReferralRegisterForm(initial=initial, may_search=may_search)
    else:
        form = ReferralRegisterForm(request.POST or None, may_search=may_search)
    if request.method == "POST" and "sok" not in request.POST and form.is_valid():
        referral = _register(request, form)
        if referral is not None:
            messages.success(request, _("Meldingen er registrert."))
            if has_care_relation(request.actor, referral.person_id, intake=True):
                return redirect("referrals:detail", referral.person_id, referral.pk)
            # The person has blocked the user (sperring): the message is saved all the same.
            return redirect("referrals:inbox")
    if form.query.text and may_search:
        # Like the person search: a search shows who is known to the services, so it is
        # logged, with the number of hits and no person.
        record_event(
            actor=request.actor,
            action=AuditAction.SEARCH,
            object_type="person_search",
            object_id=len(form.candidates),
            purpose=AuditPurpose.CARE,
        )
    return render(request, "referrals/register.html", {"form": form, "may_search": may_search})


@staff_required()
@person_view(object_type="referrals", intake=True)
@require_GET
def person_referrals(request: StaffRequest, person: Person) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.person_referrals(person))
    context = {"person": person, "page": page}
    return csvexport.render_or_csv(request, "referrals/person_referrals.html", context)


def _handle_post(
    request: StaffRequest,
    referral: Referral,
    forms: dict[str, TriageForm | StatusForm | OpenCaseForm],
) -> bool:
    """Run the action of the form that was sent; False when the page is shown again."""
    action = request.POST.get("action", "")
    form = forms.get(action)
    if form is None:
        return False

    def run(data: dict[str, Any]) -> str:
        """Call the action's service; returns the success message."""
        if action == "triage":
            services.referral_triage(
                actor=request.actor,
                referral=referral,
                pyramid_level=data["pyramid_level"],
                competence=data["competence"],
                complexity=data["complexity"],
                intensity=data["intensity"],
                care_place=data["care_place"] or None,
            )
            return _("Vurderingen er lagret.")
        if action == "status":
            services.referral_transition(
                actor=request.actor,
                referral=referral,
                to_status=data["to_status"],
                reason=data["reason"],
                forwarded_to=data["forwarded_to"],
            )
            return _("Statusen er endret.")
        case = services.referral_open_case(actor=request.actor, referral=referral, **data)
        return _("Sak opprettet. Saken regnes som mottatt %(day)s.") % {
            "day": case.received_on.strftime("%d.%m.%Y")
        }

    done = submit(request, form, run, success=lambda message: message, rule_errors=RULE_ERRORS)
    return done is not None


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="referral", intake=True)
@require_http_methods(["GET", "POST"])
def detail(request: StaffRequest, person: Person, referral_id: int) -> HttpResponseBase:
    referral = selectors.person_referral(person, referral_id)
    action = request.POST.get("action") if request.method == "POST" else None
    forms: dict[str, TriageForm | StatusForm | OpenCaseForm] = {
        "triage": TriageForm.for_referral(referral, request.POST if action == "triage" else None),
        "status": StatusForm(request.POST if action == "status" else None, referral=referral),
        "case": OpenCaseForm(request.POST if action == "case" else None),
    }
    if action is not None and _handle_post(request, referral, forms):
        return redirect("referrals:detail", person.pk, referral.pk)
    context = {
        "person": person,
        "referral": referral,
        "history": list(selectors.referral_history(referral)),
        "cases": list(referral.cases.all()),
        "triage_form": forms["triage"],
        "status_form": forms["status"],
        "case_form": forms["case"],
        "rule": place_rule_text(),
        "saved_suggestion": _saved_suggestion(referral),
    }
    return csvexport.render_or_csv(request, "referrals/detail.html", context)


def _saved_suggestion(referral: Referral) -> dict[str, object]:
    competence = referral.competence_score
    complexity, intensity = referral.complexity_score, referral.intensity_score
    if competence is None or complexity is None or intensity is None:
        return {"place": None, "mean": None}
    if not referral.suggested_place:
        return {"place": None, "mean": None}
    return {
        "place": referral.get_suggested_place_display(),
        "mean": float(rules.factor_mean(competence, complexity, intensity)),
    }


def place_rule_text() -> str:
    return _(
        "Forslaget er kommunen når snittet av de tre skårene er 2,33 eller lavere, "
        "spesialisthelsetjenesten når snittet er 3,67 eller høyere eller behovet for "
        "spesialisert kompetanse er 5, og ellers felles."
    )


def _score(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if rules.FACTOR_MIN <= value <= rules.FACTOR_MAX else None


@staff_required()
@require_GET
def suggestion(request: StaffRequest) -> HttpResponse:
    """The suggested place for three scores (htmx, while the user fills in the triage).
    Only numbers in and a place out: nothing about any person."""
    scores = [_score(request.GET.get(f"triage-{name}")) for name in rules.FACTOR_NAMES]
    context: dict[str, object] = {"place": None, "mean": None, "live": True}
    known = [score for score in scores if score is not None]
    if len(known) == len(scores):
        context["place"] = CarePlace(rules.suggest_place(*known)).label
        context["mean"] = float(rules.factor_mean(*known))
    return render(request, "referrals/_suggestion.html", context)
