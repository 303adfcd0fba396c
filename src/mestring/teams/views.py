"""Pages for a person's responsibility group and meetings, and the follow-up worklist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mestring.access.actor import system_actor
from mestring.access.audit import record_event
from mestring.access.boards import name_persons
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.downloads import content_disposition
from mestring.core.flow import submit
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person
from mestring.plans.selectors import active_plan
from mestring.teams import ics, selectors, services
from mestring.teams.forms import (
    FollowUpForm,
    GroupCreateForm,
    GroupEndForm,
    MeetingForm,
    MemberEndForm,
    MemberForm,
    RecordForm,
)
from mestring.teams.models import FollowUpItem, GroupMember, Meeting, ResponsibilityGroup
from mestring.tenancy.context import activate

RULE_ERRORS = (services.TeamRuleError,)


def _today_initial() -> dict[str, str]:
    return {"started_on": timezone.localdate().strftime("%d.%m.%Y")}


def _group_create(request: StaffRequest, person: Person, form: GroupCreateForm) -> bool:
    def create(data: dict[str, Any]) -> object:
        return services.group_create(
            actor=request.actor,
            person=person,
            started_on=data["started_on"],
            plan=active_plan(person),
        )

    done = _("Ansvarsgruppen er opprettet.")
    return submit(request, form, create, success=done, rule_errors=RULE_ERRORS) is not None


def _group_end(request: StaffRequest, group: ResponsibilityGroup, form: GroupEndForm) -> bool:
    def end(data: dict[str, Any]) -> object:
        return services.group_end(actor=request.actor, group=group, ended_on=data["ended_on"])

    done = _("Ansvarsgruppen er avsluttet.")
    return submit(request, form, end, success=done, rule_errors=RULE_ERRORS) is not None


@staff_required()
@person_view(object_type="responsibility_group")
@require_http_methods(["GET", "POST"])
def group_detail(request: StaffRequest, person: Person) -> HttpResponseBase:
    group = selectors.current_group(person)
    posted = request.POST if request.method == "POST" else None
    create_form = GroupCreateForm(
        posted if group is None else None, initial=_today_initial(), prefix="ny"
    )
    end_form = GroupEndForm(
        posted if group is not None else None,
        initial={"ended_on": timezone.localdate().strftime("%d.%m.%Y")},
        prefix="slutt",
    )
    if request.method == "POST":
        done = (
            _group_create(request, person, create_form)
            if group is None
            else _group_end(request, group, end_form)
        )
        if done:
            return redirect("teams:group_detail", person_id=person.pk)
    context = {
        "person": person,
        "page": selectors.group_page(group) if group else None,
        "create_form": create_form,
        "end_form": end_form,
    }
    return csvexport.render_or_csv(request, "teams/group_detail.html", context)


def _meeting_data(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of MeetingForm that scheduling and changing a meeting both take."""
    return {name: data[name] for name in ("starts_at", "ends_at", "place", "agenda")}


def _no_group(request: HttpRequest, person: Person, title: str) -> HttpResponse:
    return render(request, "teams/no_group.html", {"person": person, "title": title})


@staff_required()
@person_view(action=AuditAction.ADD, object_type="group_member")
@require_http_methods(["GET", "POST"])
def member_add(request: StaffRequest, person: Person) -> HttpResponse:
    group = selectors.current_group(person)
    title = _("Legg til medlem i ansvarsgruppen")
    if group is None:
        return _no_group(request, person, title)
    form = MemberForm(request.POST or None, person=person, initial=_today_initial())

    def add(data: dict[str, Any]) -> GroupMember:
        return services.member_add(
            actor=request.actor,
            group=group,
            kind=data["kind"],
            staff=data["staff"],
            unit=data["unit"],
            relative=data["relative"],
            name=data["name"],
            role=data["role"],
            line=data["line"],
            email=data["email"],
            started_on=data["started_on"],
            is_chair=data["is_chair"],
        )

    if request.method == "POST":
        member = submit(
            request, form, add, success=_("Medlemmet er lagt til."), rule_errors=RULE_ERRORS
        )
        if member is not None:
            if member.is_chair and not selectors.chair_is_current_coordinator(member):
                messages.warning(
                    request, _("Lederen av gruppen er ikke personens koordinator. Er det riktig?")
                )
            return redirect("teams:group_detail", person_id=person.pk)
    context = {"person": person, "form": form, "title": title, "submit": _("Legg til medlem")}
    return render(request, "teams/form_page.html", context)


@staff_required()
@person_view(action=AuditAction.END, object_type="group_member")
@require_http_methods(["GET", "POST"])
def member_end(request: StaffRequest, person: Person, member_id: int) -> HttpResponse:
    member = get_object_or_404(
        GroupMember.objects.select_related("group__person", "staff__user", "relative", "unit"),
        pk=member_id,
        group__person=person,
    )
    form = MemberEndForm(
        request.POST or None, initial={"ended_on": timezone.localdate().strftime("%d.%m.%Y")}
    )

    def end(data: dict[str, Any]) -> object:
        return services.member_end(actor=request.actor, member=member, ended_on=data["ended_on"])

    if request.method == "POST":
        done = _("Medlemskapet er avsluttet.")
        if submit(request, form, end, success=done, rule_errors=RULE_ERRORS) is not None:
            return redirect("teams:group_detail", person_id=person.pk)
    context = {
        "person": person,
        "form": form,
        "member": member,
        "title": _("Avslutt medlemskap: %(name)s") % {"name": member.display_name},
        "submit": _("Avslutt medlemskapet"),
    }
    return render(request, "teams/form_page.html", context)


@staff_required()
@person_view(action=AuditAction.SCHEDULE, object_type="meeting")
@require_http_methods(["GET", "POST"])
def meeting_new(request: StaffRequest, person: Person) -> HttpResponse:
    group = selectors.current_group(person)
    title = _("Nytt møte i ansvarsgruppen")
    if group is None:
        return _no_group(request, person, title)
    form = MeetingForm(request.POST or None, person=person)

    def schedule(data: dict[str, Any]) -> Meeting:
        return services.meeting_schedule(actor=request.actor, group=group, **_meeting_data(data))

    if request.method == "POST":
        done = _("Møtet er lagt inn, og medlemmene er invitert.")
        meeting = submit(request, form, schedule, success=done, rule_errors=RULE_ERRORS)
        if meeting is not None:
            return redirect("teams:meeting_detail", person_id=person.pk, meeting_id=meeting.pk)
    context = {"person": person, "form": form, "title": title, "submit": _("Legg inn møtet")}
    return render(request, "teams/form_page.html", context)


def _person_meeting(person: Person, meeting_id: int) -> Meeting:
    return get_object_or_404(selectors.person_meeting(person, meeting_id))


def _record(request: StaffRequest, meeting: Meeting, form: RecordForm) -> bool:
    def record(data: dict[str, Any]) -> object:
        return services.meeting_record(
            actor=request.actor,
            meeting=meeting,
            attendance=form.attendance(),
            minutes=data["minutes"],
            decisions=data["decisions"],
            shared_with_person=data["shared_with_person"],
        )

    done = _("Referatet er lagret.")
    return submit(request, form, record, success=done, rule_errors=RULE_ERRORS) is not None


def _follow_up(request: StaffRequest, meeting: Meeting, form: FollowUpForm) -> bool:
    def add(data: dict[str, Any]) -> object:
        return services.follow_up_add(
            actor=request.actor,
            meeting=meeting,
            what=data["what"],
            responsible_member=data["responsible"],
            due_on=data["due_on"],
        )

    done = _("Oppfølgingspunktet er lagt til.")
    return submit(request, form, add, success=done, rule_errors=RULE_ERRORS) is not None


@staff_required()
@person_view(action=AuditAction.RECORD, object_type="meeting")
@require_http_methods(["GET", "POST"])
def meeting_detail(request: StaffRequest, person: Person, meeting_id: int) -> HttpResponseBase:
    meeting = _person_meeting(person, meeting_id)
    attendances = selectors.meeting_attendances(meeting)
    post = request.POST if request.method == "POST" else None
    record_form = RecordForm(
        post if post and "record" in post else None,
        attendances=attendances,
        initial=RecordForm.initial_for(meeting, attendances),
        prefix="referat",
    )
    follow_up_form = FollowUpForm(
        post if post and "follow_up" in post else None,
        members=selectors.current_members(meeting.group),
        prefix="oppfolging",
    )
    if post is not None:
        done = ("record" in post and _record(request, meeting, record_form)) or (
            "follow_up" in post and _follow_up(request, meeting, follow_up_form)
        )
        if done:
            return redirect("teams:meeting_detail", person_id=person.pk, meeting_id=meeting.pk)
    context = {
        "person": person,
        "meeting": meeting,
        "attendances": attendances,
        "follow_ups": selectors.meeting_follow_ups(meeting),
        "record_form": record_form,
        "follow_up_form": follow_up_form,
        "has_started": meeting.starts_at <= timezone.now(),
        "today": timezone.localdate(),
    }
    return csvexport.render_or_csv(request, "teams/meeting_detail.html", context)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="meeting")
@require_http_methods(["GET", "POST"])
def meeting_edit(request: StaffRequest, person: Person, meeting_id: int) -> HttpResponse:
    meeting = _person_meeting(person, meeting_id)
    form = MeetingForm(
        request.POST or None, person=person, initial=MeetingForm.initial_for(meeting)
    )

    def update(data: dict[str, Any]) -> object:
        return services.meeting_update(actor=request.actor, meeting=meeting, **_meeting_data(data))

    if request.method == "POST":
        done = _("Møtet er endret. Send den nye invitasjonen til medlemmene.")
        if submit(request, form, update, success=done, rule_errors=RULE_ERRORS) is not None:
            return redirect("teams:meeting_detail", person_id=person.pk, meeting_id=meeting.pk)
    context = {
        "person": person,
        "form": form,
        "title": _("Endre møtet"),
        "submit": _("Lagre endringene"),
        "meeting": meeting,
    }
    return render(request, "teams/form_page.html", context)


@staff_required()
@person_view(action=AuditAction.CANCEL, object_type="meeting")
@require_POST
def meeting_cancel(request: StaffRequest, person: Person, meeting_id: int) -> HttpResponse:
    meeting = _person_meeting(person, meeting_id)
    try:
        services.meeting_cancel(actor=request.actor, meeting=meeting)
    except services.TeamRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Møtet er avlyst. Send den nye invitasjonen, så fjernes møtet i kalenderne.")
        )
    return redirect("teams:meeting_detail", person_id=person.pk, meeting_id=meeting.pk)


@staff_required()
@person_view(object_type="meeting_invitation")
def meeting_ics(request: StaffRequest, person: Person, meeting_id: int) -> HttpResponse:
    meeting = _person_meeting(person, meeting_id)
    response = HttpResponse(
        ics.meetings_calendar([meeting]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(ics.ics_filename(meeting))
    return response


@staff_required()
@person_view(action=AuditAction.DONE, object_type="follow_up")
@require_POST
def follow_up_done(request: StaffRequest, person: Person, item_id: int) -> HttpResponse:
    item = get_object_or_404(
        FollowUpItem.objects.select_related("meeting__group__person"),
        pk=item_id,
        meeting__group__person=person,
    )
    try:
        services.follow_up_done(actor=request.actor, item=item)
    except services.TeamRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Oppfølgingspunktet er markert som utført."))
    if request.POST.get("fra") == "oppfolging":
        return redirect("teams:my_follow_ups")
    return redirect("teams:meeting_detail", person_id=person.pk, meeting_id=item.meeting_id)


@staff_required()
@audited_view(object_type="follow_up_list")
def my_follow_ups(request: StaffRequest) -> HttpResponseBase:
    """The logged-in staff member's open follow-up items across persons, overdue first."""
    today = timezone.localdate()
    staff = request.actor.staff
    page = csvexport.page_or_all(request, selectors.open_follow_ups_for_staff(staff, today))
    # The user's own items: each person named is in their access log; a block hides them.
    page.object_list = name_persons(
        request.actor,
        list(page.object_list),
        object_type="follow_up_list",
        action=AuditAction.EXPORT if request.GET.get("format") == "csv" else AuditAction.VIEW,
        own_unit_work=lambda item: True,
        person_of=lambda item: item.meeting.group.person,
    )
    context = {
        "page": page,
        "today": today,
        "overdue_count": selectors.staff_overdue_count(staff, today),
    }
    return csvexport.render_or_csv(request, "teams/my_follow_ups.html", context)


# --- Calendar feed


@staff_required()
@require_http_methods(["GET", "POST"])
def calendar_feed(request: StaffRequest) -> HttpResponse:
    """The staff member's private calendar feed: the URL is shown once, when it is made."""
    staff = request.actor.staff
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("handling") == "stopp":
            if services.calendar_feed_revoke(actor=request.actor):
                messages.success(request, _("Kalenderabonnementet er stoppet."))
            return redirect("teams:calendar_feed")
        _feed, token = services.calendar_feed_create(actor=request.actor)
        feed_url = request.build_absolute_uri(reverse("teams:calendar_feed_ics", args=[token]))
        messages.success(request, _("Ny adresse er laget. Den gamle virker ikke lenger."))
    context = {"feed": selectors.active_calendar_feed(staff), "feed_url": feed_url}
    response = render(request, "teams/calendar_feed.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, without login: the token is the credential. A neutral title, the
    time, the place and a link back to the meeting page; no names and no agenda, since
    calendar apps copy the feed to services outside the municipality."""
    feed = services.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    with activate(feed.municipality):
        meetings = list(selectors.calendar_feed_meetings(feed.staff))

        def url_for(meeting: Meeting) -> str:
            path = reverse("teams:meeting_detail", args=[meeting.group.person_id, meeting.pk])
            return request.build_absolute_uri(path)

        body = ics.meetings_calendar(meetings, url_for=url_for, name=_("Ansvarsgruppemøter"))
        record_event(
            actor=system_actor(feed.municipality, label="calendar_feed"),
            action=AuditAction.VIEW,
            object_type="calendar_feed",
            object_id=feed.pk,
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
