"""Pages for courses and group offers: the list, create/edit, one course with its
sessions, participants, waiting list and attendance matrix, the attendance form per
session, and the person's tab where the person is enrolled."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mestring.access.boards import actor_unit_ids, name_persons
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.permissions import REHAB_REGISTER
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.courses import selectors, services
from mestring.courses.forms import AttendanceForm, CourseForm, EnrolForm, SessionForm
from mestring.courses.models import Course, CourseSession, Enrolment, EnrolmentStatus
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.states import TransitionNotAllowed
from mestring.people.models import Person

RULE_ERRORS = (services.CourseError, TransitionNotAllowed)


@staff_required(REHAB_REGISTER)
@require_GET
def course_list(request: StaffRequest) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.courses())
    return csvexport.render_or_csv(request, "courses/course_list.html", {"page": page})


@staff_required(REHAB_REGISTER)
@require_http_methods(["GET", "POST"])
def course_edit(request: StaffRequest, course_id: int | None = None) -> HttpResponse:
    course = get_object_or_404(Course, pk=course_id) if course_id else None
    initial = CourseForm.initial_for(course) if course else None
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.course_save(actor=request.actor, course=course, data=data),
            success=_("Kurset er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("courses:course_detail", course_id=saved.pk)
    return render(request, "courses/course_form.html", {"form": form, "course": course})


@staff_required(REHAB_REGISTER)
@audited_view(object_type="course")
@require_GET
def course_detail(request: StaffRequest, course_id: int) -> HttpResponseBase:
    course = get_object_or_404(Course.objects.select_related("unit", "service"), pk=course_id)
    data = selectors.course_page(course)
    # Participants are named to the course's own unit and to those who may see them;
    # each name shown is in the person's access log.
    own_units = actor_unit_ids(request.actor)
    name_persons(
        request.actor,
        [*data.taking_part, *(line.enrolment for line in data.waiting)],
        object_type="course",
        action=AuditAction.EXPORT if request.GET.get("format") == "csv" else AuditAction.VIEW,
        own_unit_work=lambda enrolment: course.unit_id in own_units,
    )
    return csvexport.render_or_csv(
        request, "courses/course_detail.html", {"course": course, "data": data}
    )


@staff_required(REHAB_REGISTER)
@require_http_methods(["GET", "POST"])
def session_create(request: StaffRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(Course, pk=course_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda _data: services.session_save(
                actor=request.actor, course=course, session=None, data=form.session_data()
            ),
            success=_("Samlingen er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("courses:course_detail", course_id=course.pk)
    return render(request, "courses/session_form.html", {"form": form, "course": course})


@staff_required(REHAB_REGISTER)
@audited_view(object_type="course_session")
@require_http_methods(["GET", "POST"])
def attendance(request: StaffRequest, course_id: int, session_id: int) -> HttpResponse:
    session = get_object_or_404(
        CourseSession.objects.select_related("course"), pk=session_id, course_id=course_id
    )
    participants = selectors.session_participants(session)
    form = AttendanceForm(
        request.POST or None,
        participants=participants,
        initial={"present": selectors.present_ids(session)},
    )
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.attendance_record(
                actor=request.actor, session=session, present={e.pk for e in data["present"]}
            ),
            success=_("Oppmøtet er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("courses:course_detail", course_id=session.course_id)
    context = {
        "form": form,
        "session": session,
        "course": session.course,
        "participants": participants,
    }
    return render(request, "courses/attendance_form.html", context)


def _enrolment_action(
    request: StaffRequest, course_id: int, enrolment_id: int, action: str
) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("person", "course"), pk=enrolment_id, course_id=course_id
    )
    name = f"{enrolment.person.given_name} {enrolment.person.family_name}"
    try:
        if action == "withdraw":
            promoted = services.enrolment_withdraw(actor=request.actor, enrolment=enrolment)
            message = _("%(name)s er meldt av kurset.") % {"name": name}
            for moved in promoted:
                message += " " + _("%(name)s har fått plass fra ventelisten.") % {
                    "name": f"{moved.person.given_name} {moved.person.family_name}"
                }
        else:
            services.enrolment_complete(actor=request.actor, enrolment=enrolment)
            message = _("%(name)s har fullført kurset.") % {"name": name}
    except RULE_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect("courses:course_detail", course_id=course_id)


@staff_required(REHAB_REGISTER)
@audited_view(object_type="enrolment")
@require_POST
def enrolment_withdraw(request: StaffRequest, course_id: int, enrolment_id: int) -> HttpResponse:
    return _enrolment_action(request, course_id, enrolment_id, "withdraw")


@staff_required(REHAB_REGISTER)
@audited_view(object_type="enrolment")
@require_POST
def enrolment_complete(request: StaffRequest, course_id: int, enrolment_id: int) -> HttpResponse:
    return _enrolment_action(request, course_id, enrolment_id, "complete")


def _enrolled_message(enrolment: Enrolment) -> str:
    if enrolment.status == EnrolmentStatus.WAITING:
        return _("Kurset er fullt. Personen står som nummer %(n)s på ventelisten.") % {
            "n": services.waiting_position(enrolment)
        }
    return _("Personen er meldt på kurset.")


@staff_required()
@person_view(object_type="enrolments")
@require_http_methods(["GET", "POST"])
def person_courses(request: StaffRequest, person: Person) -> HttpResponseBase:
    """The person's courses, and enrolment in an open course."""
    form = EnrolForm(request.POST or None, courses=selectors.open_courses(timezone.localdate()))

    def save(data: dict[str, Any]) -> Enrolment:
        return services.enrol(
            actor=request.actor, course=data["course"], person=person, note=data["note"]
        )

    if request.method == "POST":
        saved = submit(request, form, save, success=_enrolled_message, rule_errors=RULE_ERRORS)
        if saved is not None:
            return redirect("courses:person_courses", person_id=person.pk)
    enrolments = list(selectors.person_enrolments(person))
    context = {"person": person, "form": form, "enrolments": enrolments}
    return csvexport.render_or_csv(request, "courses/person_courses.html", context)
