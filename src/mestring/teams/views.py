"""Pages for a person's responsibility group and meetings, and the follow-up worklist."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mestring.access.guard import audited_view, person_view
from mestring.core.decorators import staff_required
from mestring.people.models import Person
from mestring.people.selectors import paginate
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
from mestring.teams.models import FollowUpItem, GroupMember, Meeting


def _today_initial() -> dict[str, str]:
    return {"started_on": timezone.localdate().strftime("%d.%m.%Y")}


def _group_create(request: HttpRequest, person: Person, form: GroupCreateForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.group_create(
            actor=request.actor,
            person=person,
            started_on=form.cleaned_data["started_on"],
            plan=active_plan(person),
        )
    except services.TeamRuleError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, _("Ansvarsgruppen er opprettet."))
    return True


def _group_end(request: HttpRequest, group: object, form: GroupEndForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.group_end(actor=request.actor, group=group, ended_on=form.cleaned_data["ended_on"])
    except services.TeamRuleError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, _("Ansvarsgruppen er avsluttet."))
    return True


@staff_required()
@person_view(object_type="responsibility_group")
@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, person: Person) -> HttpResponse:
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
    return render(request, "teams/group_detail.html", context)


def _no_group(request: HttpRequest, person: Person, title: str) -> HttpResponse:
    return render(request, "teams/no_group.html", {"person": person, "title": title})


@staff_required()
@person_view(action="add", object_type="group_member")
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, person: Person) -> HttpResponse:
    group = selectors.current_group(person)
    title = _("Legg til medlem i ansvarsgruppen")
    if group is None:
        return _no_group(request, person, title)
    form = MemberForm(request.POST or None, person=person, initial=_today_initial())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.member_add(
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
        except services.TeamRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Medlemmet er lagt til."))
            if member.is_chair and not selectors.chair_is_current_coordinator(member):
                messages.warning(
                    request, _("Lederen av gruppen er ikke personens koordinator. Er det riktig?")
                )
            return redirect("teams:group_detail", person_id=person.pk)
    context = {"person": person, "form": form, "title": title, "submit": _("Legg til medlem")}
    return render(request, "teams/form_page.html", context)


@staff_required()
@person_view(action="end", object_type="group_member")
@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, person: Person, member_id: int) -> HttpResponse:
    member = get_object_or_404(
        GroupMember.objects.select_related("group__person", "staff__user", "relative", "unit"),
        pk=member_id,
        group__person=person,
    )
    form = MemberEndForm(
        request.POST or None, initial={"ended_on": timezone.localdate().strftime("%d.%m.%Y")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(
                actor=request.actor, member=member, ended_on=form.cleaned_data["ended_on"]
            )
        except services.TeamRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Medlemskapet er avsluttet."))
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
@person_view(action="schedule", object_type="meeting")
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, person: Person) -> HttpResponse:
    group = selectors.current_group(person)
    title = _("Nytt møte i ansvarsgruppen")
    if group is None:
        return _no_group(request, person, title)
    form = MeetingForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                actor=request.actor,
                group=group,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                agenda=data["agenda"],
            )
        except services.TeamRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Møtet er lagt inn, og medlemmene er invitert."))
            return redirect("teams:meeting_detail", person_id=person.pk, meeting_id=meeting.pk)
    context = {"person": person, "form": form, "title": title, "submit": _("Legg inn møtet")}
    return render(request, "teams/form_page.html", context)


def _person_meeting(person: Person, meeting_id: int) -> Meeting:
    return get_object_or_404(selectors.person_meeting(person, meeting_id))


def _record(request: HttpRequest, meeting: Meeting, form: RecordForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.meeting_record(
            actor=request.actor,
            meeting=meeting,
            attendance=form.attendance(),
            minutes=form.cleaned_data["minutes"],
            decisions=form.cleaned_data["decisions"],
            shared_with_person=form.cleaned_data["shared_with_person"],
        )
    except services.TeamRuleError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, _("Referatet er lagret."))
    return True


def _follow_up(request: HttpRequest, meeting: Meeting, form: FollowUpForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.follow_up_add(
            actor=request.actor,
            meeting=meeting,
            what=form.cleaned_data["what"],
            responsible_member=form.cleaned_data["responsible"],
            due_on=form.cleaned_data["due_on"],
        )
    except services.TeamRuleError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, _("Oppfølgingspunktet er lagt til."))
    return True


@staff_required()
@person_view(action="record", object_type="meeting")
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, person: Person, meeting_id: int) -> HttpResponse:
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
    return render(request, "teams/meeting_detail.html", context)


@staff_required()
@person_view(action="update", object_type="meeting")
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, person: Person, meeting_id: int) -> HttpResponse:
    meeting = _person_meeting(person, meeting_id)
    form = MeetingForm(
        request.POST or None, person=person, initial=MeetingForm.initial_for(meeting)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                actor=request.actor,
                meeting=meeting,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                agenda=data["agenda"],
            )
        except services.TeamRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Møtet er endret. Send den nye invitasjonen til medlemmene.")
            )
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
@person_view(action="cancel", object_type="meeting")
@require_POST
def meeting_cancel(request: HttpRequest, person: Person, meeting_id: int) -> HttpResponse:
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
def meeting_ics(request: HttpRequest, person: Person, meeting_id: int) -> HttpResponse:
    meeting = _person_meeting(person, meeting_id)
    response = HttpResponse(
        ics.meetings_calendar([meeting]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ics.ics_filename(meeting)}"'
    return response


@staff_required()
@person_view(action="done", object_type="follow_up")
@require_POST
def follow_up_done(request: HttpRequest, person: Person, item_id: int) -> HttpResponse:
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
def my_follow_ups(request: HttpRequest) -> HttpResponse:
    """The logged-in staff member's open follow-up items across persons, overdue first."""
    today = timezone.localdate()
    staff = request.actor.staff
    page = paginate(selectors.open_follow_ups_for_staff(staff, today), request.GET.get("side"))
    context = {
        "page": page,
        "today": today,
        "overdue_count": selectors.staff_overdue_count(staff, today),
    }
    return render(request, "teams/my_follow_ups.html", context)
