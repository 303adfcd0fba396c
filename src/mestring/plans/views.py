"""Pages for coordinators and individual plans. Each person page goes through the guard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.models import AuditPurpose
from mestring.access.permissions import ACCESS_GRANT
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.downloads import content_disposition
from mestring.core.flow import submit
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person
from mestring.plans import forms as plan_forms
from mestring.plans import selectors, services
from mestring.plans.models import (
    CoordinatorAssignment,
    CoordinatorProfile,
    Goal,
    IndividualPlan,
    Measure,
    PlanParticipant,
    PlanRevision,
)
from mestring.plans.pdf import plan_pdf as render_plan_pdf
from mestring.plans.revisions import plan_labels, revision_diff

ADMIN = AuditPurpose.ADMINISTRATION
RULE_ERRORS = (services.PlanRuleError,)


# --- The coordinator pool (coordinating-unit lead)


@staff_required(ACCESS_GRANT)
@audited_view(object_type="coordinator_pool", purpose=ADMIN)
def coordinator_list(request: StaffRequest) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.coordinator_pool())
    return csvexport.render_or_csv(request, "plans/coordinator_list.html", {"page": page})


@staff_required(ACCESS_GRANT)
@audited_view(object_type="coordinator", purpose=ADMIN)
@require_http_methods(["GET", "POST"])
def coordinator_add(request: StaffRequest) -> HttpResponse:
    form = plan_forms.CoordinatorAddForm(request.POST or None)

    def add(data: dict[str, Any]) -> CoordinatorProfile:
        return services.coordinator_add(
            actor=request.actor, staff=data["staff"], joined_on=data["joined_on"], note=data["note"]
        )

    def done(profile: CoordinatorProfile) -> str:
        return _("%(name)s er med i koordinatorgruppen.") % {"name": profile}

    if request.method == "POST":
        profile = submit(request, form, add, success=done, rule_errors=RULE_ERRORS)
        if profile is not None:
            return redirect("plans:coordinator_detail", coordinator_id=profile.pk)
    return render(request, "plans/coordinator_add.html", {"form": form})


def _pool_action(request: StaffRequest, profile: CoordinatorProfile) -> bool:
    """The status buttons on the coordinator page. They have no form to show an error on,
    so the outcome is a message; False when no button was sent."""
    action = request.POST.get("form")
    try:
        if action == "deactivate":
            services.coordinator_deactivate(actor=request.actor, coordinator=profile)
            messages.success(request, _("Koordinatoren er tatt ut av koordinatorgruppen."))
        elif action == "reactivate":
            services.coordinator_reactivate(actor=request.actor, coordinator=profile)
            messages.success(request, _("Koordinatoren er med i koordinatorgruppen igjen."))
        else:
            return False
    except services.PlanRuleError as exc:
        messages.error(request, str(exc))
    return True


@staff_required(ACCESS_GRANT)
@audited_view(object_type="coordinator", purpose=ADMIN)
@require_http_methods(["GET", "POST"])
def coordinator_detail(request: StaffRequest, coordinator_id: int) -> HttpResponseBase:
    profile = get_object_or_404(
        CoordinatorProfile.objects.select_related("staff__user"), pk=coordinator_id
    )
    posted = request.POST.get("form")
    training_form = plan_forms.TrainingForm(
        request.POST if posted == "training" else None, prefix="opplaering"
    )
    supervision_form = plan_forms.SupervisionForm(
        request.POST if posted == "supervision" else None, prefix="veiledning"
    )
    if request.method == "POST":
        actor = request.actor
        if posted == "training":
            done = (
                submit(
                    request,
                    training_form,
                    lambda data: services.training_add(actor=actor, coordinator=profile, **data),
                    success=_("Opplæringen er registrert."),
                    rule_errors=RULE_ERRORS,
                )
                is not None
            )
        elif posted == "supervision":
            done = (
                submit(
                    request,
                    supervision_form,
                    lambda data: services.supervision_add(actor=actor, coordinator=profile, **data),
                    success=_("Veiledningen er registrert."),
                    rule_errors=RULE_ERRORS,
                )
                is not None
            )
        else:
            done = _pool_action(request, profile)
        if done:
            return redirect("plans:coordinator_detail", coordinator_id=profile.pk)
    context = {
        "profile": profile,
        "units": list(profile.staff.units.all()),
        "trainings": list(profile.trainings.all()),
        "supervisions": list(profile.supervisions.all()),
        "persons": list(selectors.coordinator_persons(profile.staff)),
        "training_form": training_form,
        "supervision_form": supervision_form,
        "today": timezone.localdate(),
    }
    return csvexport.render_or_csv(request, "plans/coordinator_detail.html", context)


@staff_required(ACCESS_GRANT)
@audited_view(object_type="plan_revision_overdue", purpose=ADMIN)
def revision_overdue(request: StaffRequest) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.revision_overdue())
    today = timezone.localdate()
    context = {"page": page, "today": today}
    return csvexport.render_or_csv(request, "plans/revision_overdue.html", context)


# --- A person's coordinator


@staff_required()
@person_view(object_type="coordinator_assignment", administrative_permission=ACCESS_GRANT)
@require_http_methods(["GET", "POST"])
def coordinator_appoint(request: StaffRequest, person: Person) -> HttpResponseBase:
    may_appoint = request.actor.has_perm(ACCESS_GRANT)
    form = plan_forms.AppointForm(request.POST or None, person=person)
    if request.method == "POST":
        if not may_appoint:
            messages.error(request, _("Bare koordinerende enhet kan oppnevne koordinator."))
            return redirect("plans:coordinator_appoint", person_id=person.pk)
        done = submit(
            request,
            form,
            lambda data: services.coordinator_appoint(actor=request.actor, person=person, **data),
            success=_("Koordinatoren er oppnevnt."),
            rule_errors=RULE_ERRORS,
        )
        if done is not None:
            return redirect("plans:coordinator_appoint", person_id=person.pk)
    assignments = selectors.person_assignments(person)
    current = next((a for a in assignments if a.ended_on is None), None)
    context = {
        "person": person,
        "current": current,
        "assignments": assignments,
        "form": form,
        "end_form": plan_forms.EndAssignmentForm(initial={"ended_on": timezone.localdate()}),
        "may_appoint": may_appoint,
        "administrative": request.access.purpose == ADMIN,
    }
    return csvexport.render_or_csv(request, "plans/coordinator_appoint.html", context)


@staff_required()
@person_view(
    action=AuditAction.END,
    object_type="coordinator_assignment",
    administrative_permission=ACCESS_GRANT,
)
@require_POST
def coordinator_end(request: StaffRequest, person: Person, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(
        CoordinatorAssignment.objects.select_related("person", "coordinator"),
        pk=assignment_id,
        person=person,
    )
    form = plan_forms.EndAssignmentForm(request.POST)
    if not request.actor.has_perm(ACCESS_GRANT):
        messages.error(request, _("Bare koordinerende enhet kan avslutte en koordinator."))
    elif not form.is_valid():
        messages.error(request, _("Skriv sluttdatoen som dd.mm.åååå."))
    else:
        try:
            services.coordinator_end(
                actor=request.actor, assignment=assignment, ended_on=form.cleaned_data["ended_on"]
            )
        except services.PlanRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Koordinatoren er avsluttet."))
    return redirect("plans:coordinator_appoint", person_id=person.pk)


# --- Plans: helpers


def _get_plan(person: Person, plan_id: int) -> IndividualPlan:
    return get_object_or_404(
        IndividualPlan.objects.select_related("person", "responsible_unit", "decision", "consent"),
        pk=plan_id,
        person=person,
    )


def _plan_url(plan: IndividualPlan) -> str:
    return reverse("plans:plan_view", kwargs={"person_id": plan.person_id, "plan_id": plan.pk})


def _closed(request: HttpRequest, plan: IndividualPlan) -> HttpResponse:
    messages.info(request, _("Planen er avsluttet og kan ikke endres."))
    return redirect(_plan_url(plan))


def _conflict(plan: IndividualPlan, form: forms.Form, exc: services.PlanChanged) -> dict[str, Any]:
    """Keep what the user typed, carry the current version, and show what changed."""
    # The version the user opened; the forms of a plan's parts all carry it.
    seen: int | None = form.cleaned_data.get("version")
    data = plan_forms.editable_data(form)
    data["version"] = str(exc.current_version)
    form.data = data
    numbers = [exc.current_version] if seen is None else [seen, exc.current_version]
    snapshots = selectors.revision_snapshots(plan, numbers)
    opened = snapshots.get(seen) if seen is not None else None
    now = snapshots.get(exc.current_version)
    changes = revision_diff(opened, now) if opened and now else []
    taken = []
    if opened and "values" in opened and isinstance(form, plan_forms.PlanEditForm):
        taken = form.take_saved_changes(opened["values"], plan)
    return {"message": str(exc), "changes": changes, "taken": taken}


def _plan_form(
    request: HttpRequest,
    person: Person,
    plan: IndividualPlan,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    *,
    title: str,
    done: str,
    submit: str | None = None,
) -> HttpResponse:
    """A form about one plan: save through a service, or show the form again with
    everything the user typed, also when someone else saved in between."""
    if plan.is_closed:
        return _closed(request, plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except services.PlanChanged as exc:
            conflict = _conflict(plan, form, exc)
        except services.PlanRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(_plan_url(plan))
    context = {
        "person": person,
        "plan": plan,
        "form": form,
        "title": title,
        "submit": submit or _("Lagre"),
        "conflict": conflict,
        "plan_url": _plan_url(plan),
    }
    return render(request, "plans/plan_form.html", context)


def _version(cleaned: dict[str, Any]) -> int:
    return cleaned["version"]


# --- Plans: pages


def _plan_page(
    request: StaffRequest, person: Person, plan: IndividualPlan | None
) -> HttpResponseBase:
    may_create = plan is None or plan.is_closed
    create_form = None
    if may_create:
        create_form = plan_forms.PlanCreateForm(
            request.POST if request.method == "POST" else None, person=person
        )
        if request.method == "POST":
            new_plan = submit(
                request,
                create_form,
                lambda data: services.plan_create(actor=request.actor, person=person, **data),
                success=_("Planen er opprettet."),
                rule_errors=RULE_ERRORS,
            )
            if new_plan is not None:
                return redirect(_plan_url(new_plan))
    context = {
        "person": person,
        "plan": plan,
        "content": selectors.plan_content(plan) if plan else None,
        "plans": selectors.person_plans(person),
        "create_form": create_form,
        "today": timezone.localdate(),
    }
    return csvexport.render_or_csv(request, "plans/plan_detail.html", context)


@staff_required()
@person_view(object_type="individual_plan")
@require_http_methods(["GET", "POST"])
def plan_detail(request: StaffRequest, person: Person) -> HttpResponseBase:
    return _plan_page(request, person, selectors.plan_for_person(person))


@staff_required()
@person_view(object_type="individual_plan")
@require_GET
def plan_view(request: StaffRequest, person: Person, plan_id: int) -> HttpResponseBase:
    return _plan_page(request, person, _get_plan(person, plan_id))


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="individual_plan")
@require_http_methods(["GET", "POST"])
def plan_edit(request: StaffRequest, person: Person, plan_id: int) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    form = plan_forms.PlanEditForm(request.POST or None, plan=plan)

    def save(data: dict[str, Any]) -> object:
        return services.plan_update(
            actor=request.actor,
            plan=plan,
            expected_version=data["version"],
            data=form.service_data(),
        )

    return _plan_form(
        request, person, plan, form, save, title=_("Endre planen"), done=_("Planen er lagret.")
    )


@staff_required()
@person_view(action=AuditAction.CLOSE, object_type="individual_plan")
@require_http_methods(["GET", "POST"])
def plan_close(request: StaffRequest, person: Person, plan_id: int) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    form = plan_forms.CloseForm(request.POST or None, initial={"end_date": timezone.localdate()})

    def save(data: dict[str, Any]) -> object:
        return services.plan_close(
            actor=request.actor, plan=plan, end_date=data["end_date"], note=data["note"]
        )

    return _plan_form(
        request,
        person,
        plan,
        form,
        save,
        title=_("Avslutt planen"),
        done=_("Planen er avsluttet. Den kan leses, men ikke endres."),
        submit=_("Avslutt planen"),
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="plan_goal")
@require_http_methods(["GET", "POST"])
def goal_add(request: StaffRequest, person: Person, plan_id: int) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    form = plan_forms.GoalForm(request.POST or None, initial={"version": plan.version})

    def save(data: dict[str, Any]) -> object:
        return services.goal_add(
            actor=request.actor,
            plan=plan,
            text=data["text"],
            status=data["status"],
            achievement=data["achievement"],
            target_date=data["target_date"],
        )

    return _plan_form(
        request, person, plan, form, save, title=_("Nytt mål"), done=_("Målet er lagt til.")
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="plan_goal")
@require_http_methods(["GET", "POST"])
def goal_edit(request: StaffRequest, person: Person, plan_id: int, goal_id: int) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    goal = get_object_or_404(Goal, pk=goal_id, plan=plan)
    form = plan_forms.GoalForm(request.POST or None, goal=goal, initial={"version": plan.version})

    def save(data: dict[str, Any]) -> object:
        return services.goal_update(
            actor=request.actor, goal=goal, expected_version=_version(data), data=data
        )

    return _plan_form(
        request, person, plan, form, save, title=_("Endre mål"), done=_("Målet er lagret.")
    )


def _measure_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "version"}


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="plan_measure")
@require_http_methods(["GET", "POST"])
def measure_add(request: StaffRequest, person: Person, plan_id: int) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    form = plan_forms.MeasureForm(
        request.POST or None, plan=plan, initial={"version": plan.version}
    )

    def save(data: dict[str, Any]) -> object:
        return services.measure_add(actor=request.actor, plan=plan, data=_measure_data(data))

    return _plan_form(
        request, person, plan, form, save, title=_("Nytt tiltak"), done=_("Tiltaket er lagt til.")
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="plan_measure")
@require_http_methods(["GET", "POST"])
def measure_edit(
    request: StaffRequest, person: Person, plan_id: int, measure_id: int
) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    measure = get_object_or_404(Measure, pk=measure_id, plan=plan)
    initial = {**plan_forms.measure_initial(measure), "version": plan.version}
    form = plan_forms.MeasureForm(request.POST or None, plan=plan, initial=initial)

    def save(data: dict[str, Any]) -> object:
        return services.measure_update(
            actor=request.actor,
            measure=measure,
            expected_version=_version(data),
            data=_measure_data(data),
        )

    return _plan_form(
        request, person, plan, form, save, title=_("Endre tiltak"), done=_("Tiltaket er lagret.")
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="plan_participant")
@require_http_methods(["GET", "POST"])
def participant_add(request: StaffRequest, person: Person, plan_id: int) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    form = plan_forms.ParticipantForm(
        request.POST or None, person=person, initial={"version": plan.version}
    )

    def save(data: dict[str, Any]) -> object:
        return services.participant_add(actor=request.actor, plan=plan, data=data)

    return _plan_form(
        request,
        person,
        plan,
        form,
        save,
        title=_("Ny deltaker"),
        done=_("Deltakeren er lagt til."),
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="plan_participant")
@require_http_methods(["GET", "POST"])
def participant_edit(
    request: StaffRequest, person: Person, plan_id: int, participant_id: int
) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    participant = get_object_or_404(PlanParticipant, pk=participant_id, plan=plan)
    initial = {
        "version": plan.version,
        "staff": participant.staff_id,
        "unit": participant.unit_id,
        "relative": participant.relative_id,
        "role": participant.role,
        "contribution": participant.contribution,
    }
    form = plan_forms.ParticipantForm(request.POST or None, person=person, initial=initial)

    def save(data: dict[str, Any]) -> object:
        return services.participant_update(
            actor=request.actor,
            participant=participant,
            expected_version=_version(data),
            data=data,
        )

    return _plan_form(
        request,
        person,
        plan,
        form,
        save,
        title=_("Endre deltaker"),
        done=_("Deltakeren er lagret."),
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="plan_participant")
@require_POST
def participant_remove(
    request: StaffRequest, person: Person, plan_id: int, participant_id: int
) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    participant = get_object_or_404(PlanParticipant, pk=participant_id, plan=plan)
    try:
        services.participant_remove(actor=request.actor, participant=participant)
    except services.PlanRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Deltakeren er fjernet fra planen."))
    return redirect(_plan_url(plan))


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="plan_evaluation")
@require_http_methods(["GET", "POST"])
def evaluation_add(request: StaffRequest, person: Person, plan_id: int) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    initial: dict[str, Any] = {"evaluated_on": timezone.localdate()}
    goal_id = request.GET.get("mal", "")
    if goal_id.isdigit():
        initial["goal"] = int(goal_id)
    form = plan_forms.EvaluationForm(request.POST or None, plan=plan, initial=initial)

    def save(data: dict[str, Any]) -> object:
        return services.evaluation_add(actor=request.actor, plan=plan, **data)

    return _plan_form(
        request,
        person,
        plan,
        form,
        save,
        title=_("Ny evaluering"),
        done=_("Evalueringen er lagret."),
    )


# --- Revisions and the PDF


@staff_required()
@person_view(object_type="plan_revision")
@require_GET
def revision_list(request: StaffRequest, person: Person, plan_id: int) -> HttpResponseBase:
    plan = _get_plan(person, plan_id)
    page = csvexport.page_or_all(request, selectors.plan_revisions(plan))
    context = {"person": person, "plan": plan, "page": page, "plan_url": _plan_url(plan)}
    return csvexport.render_or_csv(request, "plans/revision_list.html", context)


@staff_required()
@person_view(object_type="plan_revision")
@require_GET
def revision_detail(
    request: StaffRequest, person: Person, plan_id: int, revision_number: int
) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    try:
        revision, previous = selectors.revision_pair(plan, revision_number)
    except PlanRevision.DoesNotExist as exc:
        raise Http404 from exc
    snapshot = revision.snapshot or {}
    plan_fields = snapshot.get("plan", {})
    context = {
        "person": person,
        "plan": plan,
        "revision": revision,
        "previous": previous,
        "changes": revision_diff(previous.snapshot if previous else None, snapshot),
        "has_content": "plan" in snapshot,
        "plan_rows": [(label, plan_fields.get(key, "")) for key, label in plan_labels().items()],
        "snapshot": snapshot,
        "next_number": revision.number + 1 if revision.number < plan.version else None,
        "plan_url": _plan_url(plan),
    }
    return render(request, "plans/revision_detail.html", context)


@staff_required()
@person_view(action=AuditAction.PRINT, object_type="individual_plan_pdf")
@require_GET
def plan_pdf(request: StaffRequest, person: Person, plan_id: int) -> HttpResponse:
    plan = _get_plan(person, plan_id)
    response = HttpResponse(
        render_plan_pdf(selectors.plan_content(plan)), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition("individuell-plan.pdf", inline=True)
    response["Cache-Control"] = "no-store"
    return response
