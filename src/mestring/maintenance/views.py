"""Staff pages: the person's own copy (innsyn) and the retention periods."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.audit import record_event
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.models import AuditOutcome
from mestring.access.permissions import ACCESS_GRANT, ADMIN_STAFF
from mestring.access.request import StaffRequest
from mestring.core.downloads import content_disposition
from mestring.core.flow import submit
from mestring.kernel.audit_words import AuditAction
from mestring.maintenance import selectors, services
from mestring.maintenance.forms import RetentionPolicyForm
from mestring.people.models import Person

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "pdf": "application/pdf"}


# Any staff with a care relation sees the page; making the copy (the whole record and
# the access log) also needs what the web asks for handling sperring and access on the
# person's behalf: ACCESS_GRANT, the coordinating unit's leader.
@staff_required()
@person_view(object_type="innsyn")
@require_GET
def person_innsyn(request: StaffRequest, person: Person) -> HttpResponse:
    may_export = request.actor.has_perm(ACCESS_GRANT)
    fmt = request.GET.get("format", "")
    context = {"person": person, "may_export": may_export}
    if not fmt:
        return render(request, "maintenance/person_innsyn.html", context)
    if not may_export:
        record_event(
            actor=request.actor,
            action=AuditAction.EXPORT,
            object_type="innsyn",
            object_id=person.pk,
            person=person,
            outcome=AuditOutcome.REFUSED,
        )
        return render(request, "maintenance/person_innsyn.html", context, status=403)
    if fmt not in services.INNSYN_FORMATS:
        messages.error(request, _("Velg JSON eller PDF."))
        return redirect("maintenance:person_innsyn", person_id=person.pk)
    data = services.innsyn_export(actor=request.actor, person=person, fmt=fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(f"innsyn-{person.person_ref}.{fmt}")
    return response


@staff_required(ADMIN_STAFF)
@audited_view(object_type="retention_policy")
@require_http_methods(["GET", "POST"])
def retention_settings(request: StaffRequest) -> HttpResponse:
    policy = selectors.retention_policy()
    form = RetentionPolicyForm(request.POST or None, instance=policy)

    def save(data: dict[str, Any]) -> object:
        return services.retention_policy_update(actor=request.actor, values=data)

    if request.method == "POST":
        done = submit(
            request,
            form,
            save,
            success=_("Oppbevaringstidene er lagret."),
            rule_errors=(services.RetentionPolicyRefused,),
        )
        if done is not None:
            return redirect("maintenance:retention_settings")
    return render(
        request,
        "maintenance/retention_settings.html",
        {"form": form, "preview": selectors.retention_preview_for_page()},
    )
