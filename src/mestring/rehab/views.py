"""Pages for rehabilitation episodes: a person's episodes, one episode with its stages,
the action forms, the waiting list, the programme admin and the everyday-rehab report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.boards import actor_unit_ids, name_persons
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.permissions import ADMIN_UNITS, REHAB_REGISTER, STATISTICS_VIEW
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.downloads import content_disposition
from mestring.core.flow import submit
from mestring.core.reporting import chosen_year, report_class
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import DomainError
from mestring.people.models import Person
from mestring.rehab import forms as rehab_forms
from mestring.rehab import selectors, services
from mestring.rehab.models import (
    Episode,
    EpisodeGoal,
    EpisodeStatus,
    EpisodeTeamMember,
    Programme,
)
from mestring.rehab.reports import EverydayRehabReport

# Any refusal of the domain (a broken rule, a status the table does not allow) is
# shown above the form, which keeps what the user typed.
RULE_ERRORS = (DomainError,)
STAGES = (
    EpisodeStatus.REFERRED,
    EpisodeStatus.WAITING,
    EpisodeStatus.ACTIVE,
    EpisodeStatus.COMPLETED,
)


def _episode(person: Person, episode_id: int) -> Episode:
    return get_object_or_404(
        Episode.objects.select_related("programme"), pk=episode_id, person=person
    )


def _detail(person: Person, episode: Episode) -> HttpResponse:
    return redirect("rehab:episode_detail", person_id=person.pk, episode_id=episode.pk)


@staff_required()
@person_view(object_type="episodes")
@require_GET
def person_episodes(request: StaffRequest, person: Person) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.person_episodes(person))
    context = {"person": person, "page": page}
    return csvexport.render_or_csv(request, "rehab/person_episodes.html", context)


@staff_required()
@person_view(object_type="episode")
@require_http_methods(["GET", "POST"])
def episode_create(request: StaffRequest, person: Person) -> HttpResponse:
    initial: dict[str, Any] = {"referral_date": timezone.localdate()}
    programme = selectors.active_programmes().first()
    if programme is not None:
        initial["programme"] = programme.pk
    form = rehab_forms.ReferralForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.episode_refer(actor=request.actor, person=person, **data),
            success=_("Henvisningen er registrert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return _detail(person, saved)
    context = {"person": person, "form": form, "title": _("Ny henvisning"), "episode": None}
    return render(request, "rehab/episode_form.html", context)


@staff_required()
@person_view(object_type="episode")
@require_GET
def episode_detail(request: StaffRequest, person: Person, episode_id: int) -> HttpResponseBase:
    episode = selectors.episode_for_page(person, episode_id)
    if episode is None:
        raise Http404
    reached = {change.to_status for change in episode.history.all()}
    stages = [
        {
            "label": label,
            "done": status in reached or status == episode.status,
            "now": status == episode.status,
        }
        for status, label in EpisodeStatus.choices
        if status in STAGES
    ]
    context = {
        "person": person,
        "episode": episode,
        "stages": stages,
        "can_assess": episode.status == EpisodeStatus.REFERRED,
        "can_start": episode.status == EpisodeStatus.WAITING,
        "can_end": episode.status in (EpisodeStatus.WAITING, EpisodeStatus.ACTIVE),
        "can_visit": episode.start_date is not None,
        "can_follow_up": episode.start_date is not None and episode.end_date is not None,
        **selectors.episode_parts(episode),
    }
    return csvexport.render_or_csv(request, "rehab/episode_detail.html", context)


def _action(
    request: StaffRequest,
    person: Person,
    episode: Episode,
    form: forms.Form,
    action: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    success: str,
    intro: str = "",
) -> HttpResponse:
    if request.method == "POST":
        saved = submit(request, form, action, success=success, rule_errors=RULE_ERRORS)
        if saved is not None:
            return _detail(person, episode)
    context = {"person": person, "episode": episode, "form": form, "title": title, "intro": intro}
    return render(request, "rehab/episode_form.html", context)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="episode")
@require_http_methods(["GET", "POST"])
def episode_assess(request: StaffRequest, person: Person, episode_id: int) -> HttpResponse:
    episode = _episode(person, episode_id)
    form = rehab_forms.AssessForm(
        request.POST or None, initial={"assessed_on": timezone.localdate()}
    )
    return _action(
        request,
        person,
        episode,
        form,
        lambda data: services.episode_assess(actor=request.actor, episode=episode, **data),
        title=_("Vurder henvisningen"),
        success=_("Vurderingen er registrert."),
        intro=_("Aktuell setter personen på ventelisten. Ikke aktuell avslutter forløpet."),
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="episode")
@require_http_methods(["GET", "POST"])
def episode_start(request: StaffRequest, person: Person, episode_id: int) -> HttpResponse:
    episode = _episode(person, episode_id)
    form = rehab_forms.StartForm(request.POST or None, initial={"start_date": timezone.localdate()})
    return _action(
        request,
        person,
        episode,
        form,
        lambda data: services.episode_start(actor=request.actor, episode=episode, **data),
        title=_("Start forløpet"),
        success=_("Forløpet er startet."),
    )


@staff_required()
@person_view(action=AuditAction.CREATE, object_type="episode_visit")
@require_http_methods(["GET", "POST"])
def visit_create(request: StaffRequest, person: Person, episode_id: int) -> HttpResponse:
    episode = _episode(person, episode_id)
    initial: dict[str, Any] = {"visited_on": timezone.localdate()}
    if request.actor.staff is not None:
        initial["staff"] = request.actor.staff.pk
    form = rehab_forms.VisitForm(request.POST or None, initial=initial)
    return _action(
        request,
        person,
        episode,
        form,
        lambda data: services.visit_record(actor=request.actor, episode=episode, **data),
        title=_("Registrer besøk"),
        success=_("Besøket er registrert."),
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="episode")
@require_http_methods(["GET", "POST"])
def episode_end(request: StaffRequest, person: Person, episode_id: int) -> HttpResponse:
    episode = _episode(person, episode_id)
    form = rehab_forms.EndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    return _action(
        request,
        person,
        episode,
        form,
        lambda data: services.episode_end(actor=request.actor, episode=episode, **data),
        title=_("Avslutt forløpet"),
        success=_("Forløpet er avsluttet."),
        intro=_("Et forløp som ikke er startet, kan bare avbrytes."),
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="episode")
@require_http_methods(["GET", "POST"])
def episode_follow_up(request: StaffRequest, person: Person, episode_id: int) -> HttpResponse:
    episode = _episode(person, episode_id)
    initial: dict[str, Any] = {"followed_up_on": episode.followed_up_on or timezone.localdate()}
    initial["note"] = episode.follow_up_note
    form = rehab_forms.FollowUpForm(request.POST or None, initial=initial)
    return _action(
        request,
        person,
        episode,
        form,
        lambda data: services.episode_follow_up(actor=request.actor, episode=episode, **data),
        title=_("Registrer oppfølging"),
        success=_("Oppfølgingen er registrert."),
    )


@staff_required()
@person_view(action=AuditAction.CREATE, object_type="episode_goal")
@require_http_methods(["GET", "POST"])
def goal_create(request: StaffRequest, person: Person, episode_id: int) -> HttpResponse:
    episode = _episode(person, episode_id)
    form = rehab_forms.GoalForm(request.POST or None)
    return _action(
        request,
        person,
        episode,
        form,
        lambda data: services.goal_add(actor=request.actor, episode=episode, **data),
        title=_("Nytt mål"),
        success=_("Målet er lagret."),
        intro=_("Skriv målet slik personen selv sier det."),
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="episode_goal")
@require_http_methods(["GET", "POST"])
def goal_edit(request: StaffRequest, person: Person, episode_id: int, goal_id: int) -> HttpResponse:
    episode = _episode(person, episode_id)
    goal = get_object_or_404(EpisodeGoal, pk=goal_id, episode=episode)
    form = rehab_forms.GoalForm(
        request.POST or None, editing=True, initial={"text": goal.text, "achieved": goal.achieved}
    )
    return _action(
        request,
        person,
        episode,
        form,
        lambda data: services.goal_update(actor=request.actor, goal=goal, **data),
        title=_("Endre mål"),
        success=_("Målet er lagret."),
    )


@staff_required()
@person_view(action=AuditAction.CREATE, object_type="episode_team_member")
@require_http_methods(["GET", "POST"])
def team_add(request: StaffRequest, person: Person, episode_id: int) -> HttpResponse:
    episode = _episode(person, episode_id)
    form = rehab_forms.TeamMemberForm(
        request.POST or None, initial={"started_on": timezone.localdate()}
    )
    return _action(
        request,
        person,
        episode,
        form,
        lambda data: services.team_member_add(actor=request.actor, episode=episode, **data),
        title=_("Legg til i teamet"),
        success=_("Den ansatte er lagt til i teamet."),
        intro=_("Den ansatte får tilgang til personen så lenge hen er med i teamet."),
    )


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="episode_team_member")
@require_http_methods(["GET", "POST"])
def team_end(
    request: StaffRequest, person: Person, episode_id: int, member_id: int
) -> HttpResponse:
    episode = _episode(person, episode_id)
    member = get_object_or_404(
        EpisodeTeamMember.objects.select_related("staff__user"), pk=member_id, episode=episode
    )
    form = rehab_forms.TeamEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    return _action(
        request,
        person,
        episode,
        form,
        lambda data: services.team_member_end(actor=request.actor, member=member, **data),
        title=_("Avslutt teamdeltakelse for %(staff)s") % {"staff": member.staff},
        success=_("Teamdeltakelsen er avsluttet."),
        intro=_("Den ansattes tilgang gjennom teamet avsluttes."),
    )


# --- Work list


def _chosen_programme(request: StaffRequest, programmes: list[Programme]) -> Programme | None:
    code = request.GET.get("program", "").strip()
    return next((p for p in programmes if p.code == code), None)


@staff_required(REHAB_REGISTER)
@audited_view(object_type="episode_waiting_list")
@require_GET
def waiting_list(request: StaffRequest) -> HttpResponseBase:
    today = timezone.localdate()
    programmes = list(Programme.objects.order_by("name"))
    programme = _chosen_programme(request, programmes)
    # Referrals and those waiting for a place in the programme's service: one list, in
    # a fixed number of queries (both read whole, then paged).
    page = csvexport.page_or_all(request, selectors.waiting_rows(programme, today))
    waiting: list[selectors.WaitingEpisode] = list(page.object_list)
    page.object_list = waiting
    follow_ups = csvexport.page_or_all(
        request, selectors.follow_ups_due(today, programme), param="oppfolging"
    )
    follow_ups.object_list = list(follow_ups.object_list)
    # Names only for those who may see the person or whose unit runs the programme (or
    # is the unit the person waits for); each name shown is logged (both lists in one
    # batch).
    own_units = actor_unit_ids(request.actor)

    def own_work(row: selectors.WaitingEpisode | Episode) -> bool:
        entry = row.entry if isinstance(row, selectors.WaitingEpisode) else None
        if entry is not None and entry.unit_id is not None:
            return entry.unit_id in own_units
        return row.programme.unit_id in own_units

    name_persons(
        request.actor,
        [*waiting, *follow_ups.object_list],
        action=AuditAction.EXPORT if csvexport.wants_csv(request) else AuditAction.VIEW,
        object_type="episode_waiting_list",
        own_unit_work=own_work,
    )
    context = {
        "programmes": programmes,
        "programme": programme,
        "page": page,
        "follow_ups": follow_ups,
        "today": today,
    }
    return csvexport.render_or_csv(request, "rehab/waiting_list.html", context)


# --- Programme admin


@staff_required(ADMIN_UNITS)
@require_GET
def programme_list(request: StaffRequest) -> HttpResponseBase:
    return csvexport.render_or_csv(
        request, "rehab/programme_list.html", {"programmes": list(selectors.all_programmes())}
    )


@staff_required(ADMIN_UNITS)
@require_http_methods(["GET", "POST"])
def programme_edit(request: StaffRequest, programme_id: int | None = None) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=programme_id) if programme_id else None
    form = rehab_forms.ProgrammeForm(
        request.POST or None, initial=rehab_forms.ProgrammeForm.initial_for(programme)
    )
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.programme_save(
                actor=request.actor, programme=programme, data=data
            ),
            success=_("Programmet er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("rehab:programme_list")
    return render(request, "rehab/programme_form.html", {"form": form, "programme": programme})


# --- Report


@staff_required(STATISTICS_VIEW)
@require_GET
def report(request: StaffRequest) -> HttpResponse:
    year, year_error = chosen_year(request)
    # The registered class: its SPPB change is counted where the measures are.
    report_type = report_class(EverydayRehabReport.name)
    if not issubclass(report_type, EverydayRehabReport):
        raise TypeError(f"{report_type.__name__} is not an everyday-rehab report")
    rehab_report = report_type(year=year)
    result = rehab_report.compute()
    if request.GET.get("format") == "csv" and not year_error:
        response = HttpResponse(rehab_report.as_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition(f"hverdagsrehabilitering-{year}.csv")
        return response
    labels = EverydayRehabReport.labels()
    context = {
        "report": rehab_report,
        "year": year,
        "year_input": request.GET.get("ar", "").strip() if year_error else str(year),
        "year_error": year_error,
        "result": result,
        "source_rows": [
            {"label": labels["sources"][key], "count": n} for key, n in result["by_source"].items()
        ],
        "flow_rows": [
            {"label": labels["flow"][key], "count": result[key]}
            for key in ("referrals", "not_relevant", "relevant", "completed", "not_completed")
        ],
        "sppb_rows": [
            {"label": labels["sppb"][key], "count": n} for key, n in result["sppb"].items()
        ],
    }
    return render(request, "rehab/report.html", context)
