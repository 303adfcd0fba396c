"""Pages for the coordinating unit's cases: applications, provisional replies,
decisions (vedtak) and their letters, and the municipality's legal texts."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.audit import record_event
from mestring.access.boards import NAME_HIDDEN, name_intake_rows
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.permissions import ADMIN_STAFF, PERSON_REGISTER
from mestring.access.refusals import refuse_write
from mestring.access.request import StaffRequest
from mestring.access.selectors import staff_with_permission
from mestring.casework import intake_views, selectors, services
from mestring.casework.forms import (
    AppealForm,
    AppealOutcomeForm,
    AssignForm,
    CaseApplicationForm,
    CloseForm,
    DecisionChangeForm,
    DecisionForm,
    DecisionStopForm,
    LegalBasisForm,
    LetterSentForm,
    ProvisionalReplyForm,
    ServiceApplicationForm,
    ServiceDecisionForm,
)
from mestring.casework.letters import decision_letter_pdf
from mestring.casework.models import (
    Appeal,
    ApplicationLine,
    Case,
    CaseKind,
    CaseStatus,
    Decision,
    DecisionState,
    DecisionSubject,
    LegalBasis,
)
from mestring.casework.selectors import CaseAction
from mestring.core import csvexport
from mestring.core.downloads import content_disposition
from mestring.core.flow import submit
from mestring.core.forms import SUBMISSION_TOKEN
from mestring.core.pagination import paginate
from mestring.core.spreadsheet import csv_row
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import DomainError
from mestring.people.models import Person

# Registering applications and making decisions is the work of the coordinating unit
# and the allocation office, whose roles hold this permission.
CASEWORK_PERMISSION = PERSON_REGISTER
# Any refusal of the domain: a casework rule, the case's state, the transition table.
RULE_ERRORS = (DomainError,)


def _today_text() -> str:
    return timezone.localdate().strftime("%d.%m.%Y")


def _may_handle(request: StaffRequest) -> bool:
    return request.actor.has_perm(CASEWORK_PERMISSION)


def _refuse_write(request: StaffRequest, person: Person, object_type: str) -> HttpResponse:
    """A write by someone who may read the case but not handle it: logged as refused."""
    return refuse_write(request, person, object_type)


@staff_required(PERSON_REGISTER)
@audited_view(object_type="case_list")
@require_GET
def case_list(request: StaffRequest) -> HttpResponseBase:
    show = request.GET.get("vis", selectors.CaseFilter.ALL)
    if show not in selectors.CaseFilter.VALUES:
        show = selectors.CaseFilter.ALL
    sort = request.GET.get("sort", selectors.DEFAULT_CASE_SORT)
    cases = selectors.case_list(actor=request.actor, show=show, sort=sort)
    page = csvexport.page_or_all(request, cases)
    page.object_list = name_intake_rows(request, list(page.object_list), "case_list")
    context = {
        "page": page,
        "show": show,
        # The colleagues a case may be given to, drawn once for every row's form.
        "hand_out_staff": list(staff_with_permission(PERSON_REGISTER)),
        "filters": [
            (selectors.CaseFilter.ALL, _("Alle åpne"), selectors.open_count()),
            (
                selectors.CaseFilter.UNASSIGNED_SERVICES,
                _("Ikke fordelt: tjenester"),
                selectors.unassigned_count(CaseKind.SERVICE),
            ),
            (
                selectors.CaseFilter.UNASSIGNED_PLANS,
                _("Ikke fordelt: individuell plan og koordinator"),
                selectors.unassigned_count(CaseKind.PLAN_AND_COORDINATOR),
            ),
            (
                selectors.CaseFilter.MINE,
                _("Mine saker"),
                selectors.own_cases(request.actor.staff).count(),
            ),
            (selectors.CaseFilter.OVERDUE, _("Forfalt"), selectors.overdue_count()),
            (
                selectors.CaseFilter.NO_PROVISIONAL_REPLY,
                _("Mangler foreløpig svar"),
                selectors.awaiting_provisional_reply_count(),
            ),
        ],
    }
    return csvexport.render_or_csv(request, "casework/case_list.html", context)


@staff_required()
@person_view(object_type="cases")
@require_GET
def person_cases(request: StaffRequest, person: Person) -> HttpResponseBase:
    context = {
        "person": person,
        "cases": list(selectors.person_cases(person)),
        "decisions": list(selectors.person_decisions(person)),
        "may_handle": _may_handle(request),
    }
    return csvexport.render_or_csv(request, "casework/person_cases.html", context)


@staff_required()
@person_view(action=AuditAction.CREATE, object_type="case")
@require_http_methods(["GET", "POST"])
def case_create(request: StaffRequest, person: Person) -> HttpResponse:
    if request.method == "POST" and not _may_handle(request):
        return _refuse_write(request, person, "case")
    initial = {"received_on": _today_text(), "caseworker": request.actor.staff.pk}
    form = CaseApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        case = submit(
            request,
            form,
            lambda data: services.case_apply(actor=request.actor, person=person, **data),
            success=_("Søknaden er registrert, og saken er opprettet."),
            rule_errors=RULE_ERRORS,
        )
        if case is not None:
            return redirect("casework:case_detail", person_id=person.pk, case_id=case.pk)
    context = {"person": person, "form": form, "may_handle": _may_handle(request)}
    return render(request, "casework/case_form.html", context)


class _NoFields(forms.Form):
    """For actions that are only a button."""


# What a form's service call takes: the form's cleaned data.
_Run = Callable[[dict[str, Any]], Any]


@dataclass
class _AppealPanel:
    """An open appeal on the case page, with the form for its outcome."""

    appeal: Appeal
    form: AppealOutcomeForm


@dataclass
class _DecisionPanel:
    """A decision on the service case page, with the forms it offers now."""

    decision: Decision
    assign_url: str
    open_appeals: list[_AppealPanel] = field(default_factory=list)
    appeal_form: AppealForm | None = None
    change_form: DecisionChangeForm | None = None
    stop_form: DecisionStopForm | None = None


@dataclass
class _CaseForms:
    """The case page's forms by their «handling» name; for the forms of one decision or
    appeal, what each acts on; and the decisions with their forms, for the template."""

    by_name: dict[str, forms.Form] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    appeals: dict[str, Appeal] = field(default_factory=dict)
    panels: list[_DecisionPanel] = field(default_factory=list)


def _bound(request: StaffRequest) -> Callable[[str], Any]:
    """The POST data for the one form that was sent (by its «handling»), else None."""
    action = request.POST.get("handling") if request.method == "POST" else None
    return lambda name: request.POST if action == name else None


def _case_forms(
    request: StaffRequest, case: Case, decisions: list[Decision], lines: list[ApplicationLine]
) -> _CaseForms:
    """The forms for the actions the case allows now; a form is bound when it was sent."""
    data = _bound(request)
    decided = {d.subject for d in decisions}
    decided_services = {d.service_id for d in decisions}
    found = _decision_forms(request, case, decisions)
    actions = selectors.case_actions(case)
    if CaseAction.PROVISIONAL_REPLY in actions:
        found.by_name["svar"] = ProvisionalReplyForm(
            data("svar"), prefix="svar", initial={"sent_on": _today_text()}
        )
    for name in (CaseAction.START_ASSESSMENT, CaseAction.INVESTIGATE):
        if name in actions:
            found.by_name[name] = _NoFields(data(name))
    if CaseAction.DECIDE in actions:
        for subject in case.requested_subjects():
            if subject not in decided:
                found.by_name[f"vedtak-{subject}"] = DecisionForm(
                    data(f"vedtak-{subject}"), subject=subject
                )
        for line in lines:
            if line.service_id not in decided_services:
                name = f"tjeneste-{line.service_id}"
                found.by_name[name] = ServiceDecisionForm(data(name), service=line.service)
    if CaseAction.ASSIGN in actions:
        found.by_name["saksbehandler"] = AssignForm(data("saksbehandler"), prefix="saksbehandler")
    if CaseAction.CLOSE in actions:
        found.by_name["avslutt"] = CloseForm(data("avslutt"), prefix="avslutt")
    return found


def _case_action(
    request: StaffRequest, case: Case, name: str, found: _CaseForms
) -> tuple[_Run, str] | None:
    """The service call for one action on the case page, and what to say when done."""
    actor = request.actor
    if name == "svar":
        return (
            lambda d: services.case_record_provisional_reply(
                actor=actor, case=case, sent_on=d["sent_on"], expected_by=d["expected_by"]
            ),
            _("Foreløpig svar er registrert."),
        )
    if name == "saksbehandler":
        return (
            lambda d: services.case_assign(actor=actor, case=case, caseworker=d["caseworker"]),
            _("Saken har fått ny saksbehandler."),
        )
    if name == "avslutt":
        return (
            lambda d: services.case_close(actor=actor, case=case, reason=d["reason"]),
            _("Saken er avsluttet."),
        )
    if name == "kartlegging":
        return (
            lambda d: services.case_start_assessment(actor=actor, case=case),
            _("Kartleggingen er startet."),
        )
    if name.startswith("tjeneste-"):
        form = found.by_name[name]
        assert isinstance(form, ServiceDecisionForm)  # made so by _case_forms
        service = form.service
        return (
            _watch_assessment(
                form,
                lambda d: services.service_decision_make(
                    actor=actor, case=case, service=service, **d
                ),
            ),
            _("Vedtaket er fattet. Husk å sende vedtaksbrevet."),
        )
    action = _decision_action(request, name, found)
    if action is not None:
        return action
    if name == "utredning":
        return (
            lambda d: services.case_transition(
                actor=actor, case=case, to_status=CaseStatus.ASSESSING
            ),
            _("Saken er satt under utredning."),
        )
    if name.startswith("vedtak-"):
        return (
            lambda d: services.decision_make(
                actor=actor, case=case, subject=name.removeprefix("vedtak-"), **d
            ),
            _("Vedtaket er fattet. Husk å sende vedtaksbrevet."),
        )
    return None


def _watch_assessment(form: ServiceDecisionForm | DecisionChangeForm, run: _Run) -> _Run:
    """Mark the form when the refusal is a missing assessment, so the page can link to
    the assessment page next to the message."""

    def wrapped(data: dict[str, Any]) -> Any:
        try:
            return run(data)
        except services.AssessmentRequired:
            form.assessment_required = True
            raise

    return wrapped


def _decision_forms(request: StaffRequest, case: Case, decisions: list[Decision]) -> _CaseForms:
    """Change, stop and appeal forms for the service decisions in the case. These stay
    available after the case is closed: a decision in force outlives its case."""
    data = _bound(request)
    found = _CaseForms()
    for decision in decisions:
        panel = _DecisionPanel(
            decision,
            assign_url=reverse(
                "catalogue:decision_assign",
                kwargs={"person_id": case.person_id, "decision_id": decision.pk},
            ),
        )
        found.panels.append(panel)
        for appeal in decision.appeals.all():
            if not appeal.is_open:
                continue
            name = f"klage-{appeal.pk}"
            outcome_form = AppealOutcomeForm(data(name), appeal=appeal)
            found.by_name[name], found.appeals[name] = outcome_form, appeal
            panel.open_appeals.append(_AppealPanel(appeal, outcome_form))
        if decision.subject != DecisionSubject.SERVICE:
            continue
        if not panel.open_appeals:
            name = f"klage-ny-{decision.pk}"
            panel.appeal_form = AppealForm(
                data(name), prefix=name, initial={"received_on": _today_text()}
            )
            found.by_name[name], found.decisions[name] = panel.appeal_form, decision
        if decision.in_force:
            name = f"endre-{decision.pk}"
            panel.change_form = DecisionChangeForm(data(name), decision=decision)
            found.by_name[name], found.decisions[name] = panel.change_form, decision
            name = f"stans-{decision.pk}"
            panel.stop_form = DecisionStopForm(
                data(name), prefix=name, initial={"stopped_on": _today_text()}
            )
            found.by_name[name], found.decisions[name] = panel.stop_form, decision
    return found


def _decision_action(
    request: StaffRequest, name: str, found: _CaseForms
) -> tuple[_Run, str] | None:
    """The service call for an action on one decision or appeal of the case."""
    actor = request.actor
    kind, _sep, key = name.rpartition("-")
    if not key.isdigit():
        return None
    if kind == "endre":
        form = found.by_name[name]
        assert isinstance(form, DecisionChangeForm)  # made so by _decision_forms
        changed = found.decisions[name]
        return (
            _watch_assessment(
                form,
                lambda d: services.decision_change(actor=actor, decision=changed, **d),
            ),
            _("Vedtaket er endret. Det nye vedtaket erstatter det gamle; send brev om endringen."),
        )
    if kind == "stans":
        stopped = found.decisions[name]
        return (
            lambda d: services.decision_stop(actor=actor, decision=stopped, **d),
            _("Vedtaket er stanset. Send brev om stansen."),
        )
    if kind == "klage-ny":
        appealed = found.decisions[name]
        return (
            lambda d: services.appeal_register(actor=actor, decision=appealed, **d),
            _("Klagen er registrert."),
        )
    if kind == "klage":
        appeal = found.appeals[name]
        return (
            lambda d: services.appeal_transition(actor=actor, appeal=appeal, **d),
            _("Klagen er oppdatert."),
        )
    return None


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="case")
@require_http_methods(["GET", "POST"])
def case_detail(request: StaffRequest, person: Person, case_id: int) -> HttpResponseBase:
    case = get_object_or_404(
        Case.objects.select_related("caseworker__user", "responsible_unit", "referral"),
        pk=case_id,
        person=person,
    )
    decisions = list(selectors.case_decisions(case))
    lines = list(selectors.case_lines(case))
    case_forms = _case_forms(request, case, decisions, lines)
    if request.method == "POST":
        if not _may_handle(request):
            return _refuse_write(request, person, "case")
        name = request.POST.get("handling", "")
        action = (
            _case_action(request, case, name, case_forms) if name in case_forms.by_name else None
        )
        if action is None and selectors.case_submission_done(
            case, request.POST.get(f"{name}-{SUBMISSION_TOKEN}", "")
        ):
            # The same form again (a double click, a retry): what it made is there.
            messages.info(request, _("Skjemaet var allerede sendt inn. Det er lagret én gang."))
            return redirect("casework:case_detail", person_id=person.pk, case_id=case.pk)
        if action is None:
            messages.error(request, _("Handlingen er ikke mulig i denne saken nå."))
            return redirect("casework:case_detail", person_id=person.pk, case_id=case.pk)
        run, done = action
        saved = submit(
            request, case_forms.by_name[name], run, success=done, rule_errors=RULE_ERRORS
        )
        if saved is not None:
            return redirect("casework:case_detail", person_id=person.pk, case_id=case.pk)
    by_name = case_forms.by_name
    context = {
        "person": person,
        "case": case,
        "decisions": decisions,
        "decision_panels": case_forms.panels,
        "history": list(selectors.case_history(case)),
        "forms": by_name,
        "decision_forms": [f for key, f in by_name.items() if key.startswith("vedtak-")],
        "service_forms": [f for key, f in by_name.items() if key.startswith("tjeneste-")],
        "lines": lines,
        "assessment_url": reverse("assessments:assessment_create", kwargs={"person_id": person.pk}),
        "may_handle": _may_handle(request),
    }
    template = "casework/service_case_detail.html" if case.kind == CaseKind.SERVICE else None
    return csvexport.render_or_csv(request, template or "casework/case_detail.html", context)


def _decision_for(person: Person, decision_id: int) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related(
            "case__person",
            "case__municipality",
            "case__responsible_unit",
            "legal_basis",
            "decided_by__user",
            "service",
            "replaces",
        ),
        pk=decision_id,
        case__person=person,
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="decision")
@require_http_methods(["GET", "POST"])
def decision_detail(request: StaffRequest, person: Person, decision_id: int) -> HttpResponse:
    decision = _decision_for(person, decision_id)
    form = LetterSentForm(request.POST or None, initial={"sent_on": _today_text()})
    if request.method == "POST":
        if not _may_handle(request):
            return _refuse_write(request, person, "decision")
        sent = submit(
            request,
            form,
            lambda data: services.decision_mark_letter_sent(
                actor=request.actor, decision=decision, sent_on=data["sent_on"]
            ),
            success=_("Brevet er registrert som sendt."),
            rule_errors=RULE_ERRORS,
        )
        if sent is not None:
            return redirect(
                "casework:decision_detail", person_id=person.pk, decision_id=decision.pk
            )
    context = {
        "person": person,
        "decision": decision,
        "case": decision.case,
        "form": form,
        "may_handle": _may_handle(request),
    }
    return render(request, "casework/decision_detail.html", context)


@staff_required()
@person_view(action=AuditAction.EXPORT, object_type="decision_letter")
@require_GET
def decision_letter(request: StaffRequest, person: Person, decision_id: int) -> HttpResponse:
    decision = _decision_for(person, decision_id)
    # ?brev=stans: the letter that stopped the decision (the decision letter stays too).
    stop = request.GET.get("brev") == "stans"
    if stop and decision.status != DecisionState.STOPPED:
        raise Http404
    pdf = decision_letter_pdf(decision, stop=stop)
    # A download is an export of the person's data, logged as such.
    record_event(
        actor=request.actor,
        action=AuditAction.EXPORT,
        object_type="decision_letter",
        object_id=decision.pk,
        person=person,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"stans-{decision.pk}" if stop else f"vedtak-{decision.pk}"
    response["Content-Disposition"] = content_disposition(f"{name}.pdf", inline=True)
    return response


@staff_required(ADMIN_STAFF)
@require_GET
def legal_basis_list(request: StaffRequest) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.legal_bases(), per_page=50)
    return csvexport.render_or_csv(request, "casework/legal_basis_list.html", {"page": page})


@staff_required(ADMIN_STAFF)
@require_http_methods(["GET", "POST"])
def legal_basis_edit(request: StaffRequest, legal_basis_id: int | None = None) -> HttpResponse:
    legal_basis = get_object_or_404(LegalBasis, pk=legal_basis_id) if legal_basis_id else None
    form = LegalBasisForm(request.POST or None, instance=legal_basis)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.legal_basis_save(
                actor=request.actor, legal_basis=legal_basis, data=data
            ),
            success=_("Hjemmelen er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("casework:legal_basis_list")
    context = {"form": form, "legal_basis": legal_basis}
    return render(request, "casework/legal_basis_form.html", context)


@staff_required()
@person_view(action=AuditAction.CREATE, object_type="case")
@require_http_methods(["GET", "POST"])
def service_application_create(request: StaffRequest, person: Person) -> HttpResponse:
    """The allocation office registers an application for one or more services."""
    if request.method == "POST" and not _may_handle(request):
        return _refuse_write(request, person, "case")
    initial = {"received_on": _today_text(), "caseworker": request.actor.staff.pk}
    form = ServiceApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        case = submit(
            request,
            form,
            lambda data: services.service_application_register(
                actor=request.actor, person=person, **data
            ),
            success=_("Søknaden er registrert, og saken er opprettet."),
            rule_errors=RULE_ERRORS,
        )
        if case is not None:
            return redirect("casework:case_detail", person_id=person.pk, case_id=case.pk)
    context = {"person": person, "form": form, "may_handle": _may_handle(request)}
    return render(request, "casework/service_application_form.html", context)


DEADLINE_TABS = [
    (selectors.DeadlineTab.OVERDUE, _lazy("Saker på overtid")),
    (selectors.DeadlineTab.ENDING, _lazy("Vedtak som snart utløper")),
    (selectors.DeadlineTab.REASSESS, _lazy("Vedtak som trenger ny kartlegging")),
    (selectors.DeadlineTab.APPEALS, _lazy("Åpne klager")),
]


_DEADLINE_PERSON: dict[str, Callable[[Any], Person]] = {
    selectors.DeadlineTab.OVERDUE: lambda case: case.person,
    selectors.DeadlineTab.APPEALS: lambda appeal: appeal.decision.case.person,
    selectors.DeadlineTab.ENDING: lambda decision: decision.case.person,
    selectors.DeadlineTab.REASSESS: lambda decision: decision.case.person,
}


def _deadline_csv_row(tab: str, row: Any, today: Any, *, named: bool) -> list[object]:
    name = _DEADLINE_PERSON[tab](row).full_name if named else NAME_HIDDEN
    if tab == selectors.DeadlineTab.OVERDUE:
        return [
            name,
            row.get_kind_display(),
            row.received_on.strftime("%d.%m.%Y"),
            row.processing_days(today),
            str(row.caseworker or ""),
        ]
    if tab == selectors.DeadlineTab.APPEALS:
        return [
            name,
            row.decision.subject_label,
            row.received_on.strftime("%d.%m.%Y"),
            row.get_status_display(),
        ]
    day = row.valid_to if tab == selectors.DeadlineTab.ENDING else row.next_assessment_on
    return [
        name,
        row.subject_label,
        row.decided_on.strftime("%d.%m.%Y"),
        day.strftime("%d.%m.%Y"),
        str(row.case.caseworker or ""),
    ]


DEADLINE_CSV_HEADERS = {
    selectors.DeadlineTab.OVERDUE: [
        _lazy("Person"),
        _lazy("Sakstype"),
        _lazy("Mottatt"),
        _lazy("Behandlingstid (dager)"),
        _lazy("Saksbehandler"),
    ],
    selectors.DeadlineTab.ENDING: [
        _lazy("Person"),
        _lazy("Tjeneste"),
        _lazy("Vedtaksdato"),
        _lazy("Gjelder til"),
        _lazy("Saksbehandler"),
    ],
    selectors.DeadlineTab.REASSESS: [
        _lazy("Person"),
        _lazy("Tjeneste"),
        _lazy("Vedtaksdato"),
        _lazy("Ny kartlegging skulle vært"),
        _lazy("Saksbehandler"),
    ],
    selectors.DeadlineTab.APPEALS: [
        _lazy("Person"),
        _lazy("Vedtak"),
        _lazy("Klage mottatt"),
        _lazy("Status"),
    ],
}


@staff_required(PERSON_REGISTER)
@audited_view(object_type="deadlines")
@require_GET
def deadlines(request: StaffRequest) -> HttpResponse:
    """Frister: overdue cases, decisions ending soon or due for re-assessment, open
    appeals. Lists several persons, so the view is audited as such."""
    tab = request.GET.get("vis", selectors.DeadlineTab.OVERDUE)
    if tab not in selectors.DeadlineTab.VALUES:
        tab = selectors.DeadlineTab.OVERDUE
    today = timezone.localdate()
    rows = selectors.deadline_rows(tab, today)
    person_of = _DEADLINE_PERSON[tab]
    if request.GET.get("format") == "csv":
        named_rows = name_intake_rows(request, list(rows), "deadlines", person_of=person_of)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition(f"frister-{tab}.csv")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(csv_row(str(header) for header in DEADLINE_CSV_HEADERS[tab]))
        for row in named_rows:
            writer.writerow(csv_row(_deadline_csv_row(tab, row, today, named=row.named)))
        return response
    page = paginate(rows, request.GET.get("side"))
    page.object_list = name_intake_rows(
        request, list(page.object_list), "deadlines", person_of=person_of
    )
    context = {
        "tab": tab,
        "tabs": DEADLINE_TABS,
        "page": page,
        "today": today,
        # A row whose case nobody has offers "Ta saken" instead of a link that the
        # guard would refuse; the colleagues it may be given to, drawn once.
        "may_take": request.actor.has_perm(PERSON_REGISTER),
        "hand_out_staff": list(staff_with_permission(PERSON_REGISTER)),
        "back": intake_views.BACK_DEADLINES,
        "show": tab,
    }
    return render(request, "casework/deadlines.html", context)
