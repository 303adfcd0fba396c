"""Pages for assessments: a person's list, the score form, one assessment with its
comparison, the renewal worklist, and the municipality's list of variables."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.boards import name_intake_rows
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.permissions import ADMIN_STAFF, PERSON_REGISTER
from mestring.access.request import StaffRequest
from mestring.access.selectors import staff_with_permission
from mestring.assessments import selectors, services
from mestring.assessments.forms import VariableForm, assessment_form_class, initial_for
from mestring.assessments.models import Assessment, FunctionVariable
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person

RULE_ERRORS = (services.AssessmentError,)
# The name casework's "Ta saken" takes to come back to this worklist after giving a case
# to a colleague (casework.intake_views.BACK_ASSESSMENTS_DUE; casework is a layer up).
TAKE_RETURNS_HERE = "kartlegging"


def _saved_message(assessment: Assessment) -> str:
    flagged = selectors.with_completeness(Assessment.objects.filter(pk=assessment.pk)).get()
    if flagged.complete:
        return _("Kartleggingen er lagret og er fullstendig.")
    missing = flagged.needed_count - flagged.scored_count
    return _("Kartleggingen er lagret, men er ufullstendig: %(count)s variabler mangler skår.") % {
        "count": missing
    }


@staff_required()
@person_view(object_type="assessments")
@require_GET
def person_assessments(request: StaffRequest, person: Person) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.person_assessments(person))
    context = {"person": person, "page": page}
    return csvexport.render_or_csv(request, "assessments/person_assessments.html", context)


def _assessment_form(
    request: StaffRequest, person: Person, assessment: Assessment | None
) -> HttpResponse:
    """The score form for a new assessment or a correction of one."""
    form_class = assessment_form_class(list(selectors.active_variables()))
    initial = initial_for(assessment) if assessment else {}
    form = form_class(request.POST or None, person=person, initial=initial)

    def save(data: dict[str, Any]) -> Assessment:
        fields = {
            "assessed_on": data["assessed_on"],
            "next_assessment_on": data["next_assessment_on"],
            "what_matters": data["what_matters"],
            "scores": form.scores(),
            "case": data["case"],
        }
        if assessment is None:
            return services.assessment_record(actor=request.actor, person=person, **fields)
        return services.assessment_update(actor=request.actor, assessment=assessment, **fields)

    if request.method == "POST":
        saved = submit(request, form, save, success=_saved_message, rule_errors=RULE_ERRORS)
        if saved is not None:
            return redirect(
                "assessments:assessment_detail", person_id=person.pk, assessment_id=saved.pk
            )
    context = {"person": person, "form": form, "assessment": assessment}
    return render(request, "assessments/assessment_form.html", context)


@staff_required()
@person_view(object_type="assessment")
@require_http_methods(["GET", "POST"])
def assessment_create(request: StaffRequest, person: Person) -> HttpResponse:
    return _assessment_form(request, person, None)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="assessment")
@require_http_methods(["GET", "POST"])
def assessment_edit(request: StaffRequest, person: Person, assessment_id: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment, pk=assessment_id, person=person)
    return _assessment_form(request, person, assessment)


@staff_required()
@person_view(object_type="assessment")
@require_GET
def assessment_detail(
    request: StaffRequest, person: Person, assessment_id: int
) -> HttpResponseBase:
    assessment = selectors.assessment_for_page(person, assessment_id)
    if assessment is None:
        raise Http404
    previous = selectors.previous_assessment(assessment)
    context = {
        "person": person,
        "assessment": assessment,
        "lines": selectors.score_lines(assessment),
        "previous": previous,
        "comparison": selectors.compare(assessment, previous) if previous else [],
    }
    return csvexport.render_or_csv(request, "assessments/assessment_detail.html", context)


@staff_required(PERSON_REGISTER)
@audited_view(object_type="assessments_due")
@require_GET
def due(request: StaffRequest) -> HttpResponseBase:
    """Renewal worklist: assessments due, or (?vis=ufullstendige) incomplete ones."""
    today = timezone.localdate()
    showing_incomplete = request.GET.get("vis") == "ufullstendige"
    assessments = (
        selectors.incomplete_assessments()
        if showing_incomplete
        else selectors.assessments_due(today)
    )
    page = csvexport.page_or_all(request, assessments)
    # The allocation office's worklist: names logged; a link only where it would open.
    page.object_list = name_intake_rows(request, list(page.object_list), "assessments_due")
    context = {
        "page": page,
        "showing_incomplete": showing_incomplete,
        "today": today,
        # A row the user cannot open, whose case nobody has, offers "Ta saken"; the
        # colleagues it may be given to, drawn once for every row.
        "may_take": request.actor.has_perm(PERSON_REGISTER),
        "hand_out_staff": list(staff_with_permission(PERSON_REGISTER)),
        "back": TAKE_RETURNS_HERE,
        "show": "ufullstendige" if showing_incomplete else "",
    }
    return csvexport.render_or_csv(request, "assessments/due.html", context)


@staff_required(ADMIN_STAFF)
@require_GET
def variable_list(request: StaffRequest) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.all_variables(), per_page=50)
    return csvexport.render_or_csv(request, "assessments/variable_list.html", {"page": page})


@staff_required(ADMIN_STAFF)
@require_http_methods(["GET", "POST"])
def variable_edit(request: StaffRequest, variable_id: int | None = None) -> HttpResponse:
    variable = get_object_or_404(FunctionVariable, pk=variable_id) if variable_id else None
    form = VariableForm(request.POST or None, variable=variable)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda _data: services.variable_save(
                actor=request.actor, variable=variable, data=form.service_data()
            ),
            success=_("Variabelen er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("assessments:variable_list")
    return render(request, "assessments/variable_form.html", {"form": form, "variable": variable})
