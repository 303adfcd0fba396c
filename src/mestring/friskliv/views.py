"""Pages for frisklivsresepter: the person's tab, register, one prescription with its
start and end forms, and the frisklivssentral's work list of open prescriptions."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.boards import actor_unit_ids, name_persons
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.permissions import REHAB_REGISTER
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.friskliv import selectors, services
from mestring.friskliv.forms import EndForm, PrescriptionForm, StartForm
from mestring.friskliv.models import Prescription, PrescriptionStatus
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.states import TransitionNotAllowed
from mestring.people.models import Person

RULE_ERRORS = (services.PrescriptionError, TransitionNotAllowed)


@staff_required()
@person_view(object_type="prescriptions")
@require_GET
def person_prescriptions(request: StaffRequest, person: Person) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.person_prescriptions(person))
    context = {"person": person, "page": page}
    return csvexport.render_or_csv(request, "friskliv/person_prescriptions.html", context)


@staff_required()
@person_view(object_type="prescription")
@require_http_methods(["GET", "POST"])
def prescription_create(request: StaffRequest, person: Person) -> HttpResponse:
    form = PrescriptionForm(request.POST or None)

    def save(data: dict[str, Any]) -> Prescription:
        return services.prescription_register(
            actor=request.actor,
            person=person,
            referral_date=data["referral_date"],
            reason=data["reason"],
            referrer_kind=data["referrer_kind"],
            referrer_name=data["referrer_name"],
            contact=data["contact"],
            period_weeks=data["period_weeks"],
        )

    if request.method == "POST":
        saved = submit(
            request,
            form,
            save,
            success=_("Frisklivsresepten er registrert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect(
                "friskliv:prescription_detail", person_id=person.pk, prescription_id=saved.pk
            )
    return render(request, "friskliv/prescription_form.html", {"person": person, "form": form})


@staff_required()
@person_view(object_type="prescription")
@require_http_methods(["GET", "POST"])
def prescription_detail(
    request: StaffRequest, person: Person, prescription_id: int
) -> HttpResponse:
    """One prescription; POST with `handling` = start or avslutt runs that step."""
    prescription = get_object_or_404(
        Prescription.objects.select_related("contact__user"), pk=prescription_id, person=person
    )
    posted = request.POST.get("handling") if request.method == "POST" else None
    start_form = StartForm(
        request.POST if posted == "start" else None,
        prefix="start",
        initial={"period_weeks": prescription.period_weeks},
    )
    end_form = EndForm(request.POST if posted == "avslutt" else None, prefix="slutt")
    if posted == "start":
        saved = submit(
            request,
            start_form,
            lambda data: services.prescription_start(
                actor=request.actor,
                prescription=prescription,
                start_date=data["start_date"],
                period_weeks=data["period_weeks"],
            ),
            success=_("Helsesamtalen er registrert, og reseptperioden har startet."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect(request.path)
    elif posted == "avslutt":
        saved = submit(
            request,
            end_form,
            lambda data: services.prescription_end(
                actor=request.actor,
                prescription=prescription,
                ended_on=data["ended_on"],
                completed=data["completed"],
                note=data["note"],
            ),
            success=_("Frisklivsresepten er avsluttet."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect(request.path)
    context = {
        "person": person,
        "prescription": prescription,
        "start_form": start_form if prescription.status == PrescriptionStatus.REFERRED else None,
        "end_form": end_form if prescription.is_open else None,
        "history": prescription.status_changes.select_related("changed_by"),
    }
    return render(request, "friskliv/prescription_detail.html", context)


@staff_required(REHAB_REGISTER)
@audited_view(object_type="prescription_list")
@require_GET
def prescription_list(request: StaffRequest) -> HttpResponseBase:
    """The work list. A person (and the reason) is named only to those who may see them
    or who work in the unit of the prescription's contact; each name shown is logged."""
    page = csvexport.page_or_all(request, selectors.open_prescriptions())
    rows = list(page.object_list)
    me = request.actor.staff.pk if request.actor.staff else None
    colleagues = selectors.contacts_in_units(
        {p.contact_id for p in rows}, actor_unit_ids(request.actor)
    )
    page.object_list = name_persons(
        request.actor,
        rows,
        action=AuditAction.EXPORT if csvexport.wants_csv(request) else AuditAction.VIEW,
        object_type="prescription_list",
        own_unit_work=lambda p: (
            p.contact_id is not None and (p.contact_id == me or p.contact_id in colleagues)
        ),
    )
    return csvexport.render_or_csv(request, "friskliv/prescription_list.html", {"page": page})
