"""Pages of the action plan and the plan's statistics chapter.

Permissions: reading (plans, progress, history, exports, the chapter) needs
STATISTICS_VIEW, as other planning figures do; changing the plan (create, revise,
goals, actions, status, evaluation, import) needs PLAN_EDIT, which the planner role has
by default. The plan holds no person data.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.decorators import staff_required
from mestring.access.permissions import PLAN_EDIT, STATISTICS_VIEW
from mestring.access.request import StaffRequest
from mestring.actionplan import export, selectors, services
from mestring.actionplan.chapter import PlanChapterReport
from mestring.actionplan.forms import (
    ActionForm,
    EvaluationForm,
    GoalForm,
    ImportForm,
    PlanForm,
    StatusForm,
    action_initial,
    default_year,
    plan_initial,
)
from mestring.actionplan.importers import ActionImporter
from mestring.actionplan.models import Action, MunicipalPlan, PlanGoal
from mestring.core import csvexport, importing
from mestring.core.downloads import content_disposition
from mestring.core.flow import submit
from mestring.core.importing import run_import
from mestring.core.reporting import chosen_year
from mestring.kernel.states import TransitionNotAllowed

RULE_ERRORS = (services.ActionPlanError, TransitionNotAllowed)


def _can_edit(request: StaffRequest) -> bool:
    return request.actor.has_perm(PLAN_EDIT)


def _editable_plan(plan_id: int) -> MunicipalPlan:
    return get_object_or_404(MunicipalPlan, pk=plan_id)


@staff_required(STATISTICS_VIEW)
@require_GET
def plan_list(request: StaffRequest) -> HttpResponseBase:
    """The plan versions, newest first: the revision history."""
    context = {
        "plans": list(selectors.plan_versions()),
        "active": selectors.active_plan(),
        "can_edit": _can_edit(request),
    }
    return csvexport.render_or_csv(request, "actionplan/plan_list.html", context)


@staff_required(STATISTICS_VIEW)
@require_GET
def plan_detail(request: StaffRequest, plan_id: int) -> HttpResponseBase:
    plan = get_object_or_404(MunicipalPlan, pk=plan_id)
    year = default_year(plan)
    context = {
        "plan": plan,
        "year": year,
        "goals": list(selectors.plan_goals(plan)),
        "rows": selectors.action_rows(plan, year),
        "can_edit": _can_edit(request) and plan.is_active,
    }
    return csvexport.render_or_csv(request, "actionplan/plan_detail.html", context)


@staff_required(STATISTICS_VIEW)
@require_GET
def plan_export(request: StaffRequest, plan_id: int, fmt: str) -> HttpResponse:
    plan = get_object_or_404(MunicipalPlan, pk=plan_id)
    year = default_year(plan)
    name = f"tiltaksplan-{plan.start_year}-{plan.end_year}"
    if fmt == "xlsx":
        data = export.plan_xlsx(plan, year)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data = export.plan_pdf(plan, year)
        content_type = "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(f"{name}.{fmt}")
    return response


@staff_required(STATISTICS_VIEW)
@require_GET
def plan_progress(request: StaffRequest, plan_id: int) -> HttpResponseBase:
    plan = get_object_or_404(MunicipalPlan, pk=plan_id)
    context = {"plan": plan, "progress": selectors.progress(plan)}
    return csvexport.render_or_csv(request, "actionplan/plan_progress.html", context)


@staff_required(PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def plan_create(request: StaffRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.plan_create(actor=request.actor, **data),
            success=_("Planen er opprettet."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("actionplan:plan_detail", plan_id=saved.pk)
    context = {"form": form, "heading": _("Ny tiltaksplan"), "cancel": "actionplan:plan_list"}
    return render(request, "actionplan/plan_form.html", context)


@staff_required(PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def plan_edit(request: StaffRequest, plan_id: int) -> HttpResponse:
    plan = _editable_plan(plan_id)
    form = PlanForm(request.POST or None, initial=plan_initial(plan))
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.plan_update(actor=request.actor, plan=plan, **data),
            success=_("Planen er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("actionplan:plan_detail", plan_id=plan.pk)
    context = {"form": form, "plan": plan, "heading": _("Endre planen")}
    return render(request, "actionplan/plan_form.html", context)


@staff_required(PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def plan_revise(request: StaffRequest, plan_id: int) -> HttpResponse:
    plan = _editable_plan(plan_id)
    span = plan.end_year - plan.start_year + 1
    initial = {
        "title": plan.title,
        "start_year": plan.end_year + 1,
        "end_year": plan.end_year + span,
    }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.plan_revise(actor=request.actor, plan=plan, **data),
            success=_("Ny versjon er laget. Den forrige er arkivert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("actionplan:plan_detail", plan_id=saved.pk)
    context = {
        "form": form,
        "plan": plan,
        "heading": _("Revider planen"),
        "revising": True,
    }
    return render(request, "actionplan/plan_form.html", context)


@staff_required(PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def goal_edit(request: StaffRequest, plan_id: int, goal_id: int | None = None) -> HttpResponse:
    plan = _editable_plan(plan_id)
    goal = get_object_or_404(PlanGoal, pk=goal_id, plan=plan) if goal_id else None
    initial = {"number": goal.number, "text": goal.text} if goal else {}
    if goal is None:
        initial = {"number": (max((g.number for g in plan.goals.all()), default=0) + 1)}
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.goal_save(actor=request.actor, plan=plan, goal=goal, **data),
            success=_("Målet er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("actionplan:plan_detail", plan_id=plan.pk)
    heading = _("Endre mål") if goal else _("Nytt mål")
    return render(
        request, "actionplan/plan_form.html", {"form": form, "plan": plan, "heading": heading}
    )


@staff_required(PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def action_edit(request: StaffRequest, plan_id: int, action_id: int | None = None) -> HttpResponse:
    plan = _editable_plan(plan_id)
    action = get_object_or_404(Action, pk=action_id, plan=plan) if action_id else None
    initial = (
        action_initial(action)
        if action
        else {
            "from_year": plan.start_year,
            "to_year": plan.end_year,
        }
    )
    form = ActionForm(request.POST or None, plan=plan, initial=initial)

    def save(data: dict[str, Any]) -> Action:
        goals = data.pop("goals")
        return services.action_save(
            actor=request.actor, plan=plan, action=action, data=data, goals=goals
        )

    if request.method == "POST":
        saved = submit(
            request, form, save, success=_("Tiltaket er lagret."), rule_errors=RULE_ERRORS
        )
        if saved is not None:
            return redirect("actionplan:action_detail", plan_id=plan.pk, action_id=saved.pk)
    heading = (
        _("Endre tiltak %(number)s") % {"number": action.number} if action else _("Nytt tiltak")
    )
    return render(
        request, "actionplan/plan_form.html", {"form": form, "plan": plan, "heading": heading}
    )


@staff_required(STATISTICS_VIEW)
@require_GET
def action_detail(request: StaffRequest, plan_id: int, action_id: int) -> HttpResponseBase:
    plan = get_object_or_404(MunicipalPlan, pk=plan_id)
    action = get_object_or_404(selectors.plan_actions(plan), pk=action_id)
    statuses = [
        {"year": year, "status": selectors.status_in(action, year), "row": row}
        for year in plan.years
        for row in [next((r for r in action.year_statuses.all() if r.year == year), None)]
    ]
    context = {
        "plan": plan,
        "action": action,
        "statuses": statuses,
        "labels": selectors.STATUS_LABELS,
        "history": list(selectors.status_history(action)),
        "can_edit": _can_edit(request) and plan.is_active,
    }
    return csvexport.render_or_csv(request, "actionplan/action_detail.html", context)


@staff_required(PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def action_status(request: StaffRequest, plan_id: int, action_id: int) -> HttpResponse:
    plan = _editable_plan(plan_id)
    action = get_object_or_404(Action, pk=action_id, plan=plan)
    year = default_year(plan)
    current = selectors.status_in(action, year)
    form = StatusForm(request.POST or None, plan=plan, initial={"year": year, "status": current})
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.action_status_set(actor=request.actor, action=action, **data),
            success=_("Statusen er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("actionplan:action_detail", plan_id=plan.pk, action_id=action.pk)
    heading = _("Status for tiltak %(number)s") % {"number": action.number}
    context = {"form": form, "plan": plan, "action": action, "heading": heading}
    return render(request, "actionplan/plan_form.html", context)


@staff_required(PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def action_evaluate(request: StaffRequest, plan_id: int, action_id: int) -> HttpResponse:
    plan = _editable_plan(plan_id)
    action = get_object_or_404(Action, pk=action_id, plan=plan)
    initial = {
        "evaluation_on": action.evaluation_on,
        "evaluation_result": action.evaluation_result,
    }
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.action_evaluate(actor=request.actor, action=action, **data),
            success=_("Evalueringen er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("actionplan:action_detail", plan_id=plan.pk, action_id=action.pk)
    heading = _("Evaluering av tiltak %(number)s") % {"number": action.number}
    context = {"form": form, "plan": plan, "action": action, "heading": heading}
    return render(request, "actionplan/plan_form.html", context)


@staff_required(PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def import_actions(request: StaffRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    errors: list[importing.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if importing.too_large(upload.size):
            form.add_error("file", importing.too_large_message())
            return render(request, "actionplan/import.html", {"form": form, "errors": errors})
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("Filen er ikke en UTF-8-fil."))
        else:
            result = run_import(ActionImporter(request.actor), text)
            if result.ok:
                messages.success(
                    request,
                    _("Importert: %(created)s nye, %(updated)s endret, %(unchanged)s uendret.")
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                plan = selectors.active_plan()
                if plan is not None:
                    return redirect("actionplan:plan_detail", plan_id=plan.pk)
                return redirect("actionplan:plan_list")
            errors = result.errors
            form.add_error(
                "file",
                _("Filen har %(count)s feil. Ingenting er importert.") % {"count": len(errors)},
            )
    return render(request, "actionplan/import.html", {"form": form, "errors": errors})


@staff_required(STATISTICS_VIEW)
@require_GET
def chapter(request: StaffRequest) -> HttpResponse:
    year, year_error = chosen_year(request)
    report = PlanChapterReport(year=year)
    result = report.compute()
    fmt = request.GET.get("format")
    if fmt in ("pdf", "xlsx", "csv") and not year_error:
        data: bytes | str
        if fmt == "pdf":
            data, content_type = report.as_pdf(result), "application/pdf"
        elif fmt == "xlsx":
            data = report.as_xlsx(result)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            data, content_type = report.as_csv(result), "text/csv; charset=utf-8"
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = content_disposition(f"statuskapittel-{year}.{fmt}")
        return response
    sections = [
        {**section, "table": report.section_table(section)} for section in result["sections"]
    ]
    context = {
        "report": report,
        "year": year,
        "year_input": request.GET.get("ar", "").strip() if year_error else str(year),
        "year_error": year_error,
        "sections": sections,
        "notes": result.get("notes", []),
    }
    return render(request, "actionplan/chapter.html", context)
