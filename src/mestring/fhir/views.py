"""FHIR pages: a person's Bundle as a download, and the upload of a Bundle."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.permissions import PERSON_REGISTER
from mestring.access.request import StaffRequest
from mestring.core.downloads import content_disposition
from mestring.fhir.export import export_person
from mestring.fhir.forms import BundleImportForm
from mestring.fhir.importer import import_text
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person

FHIR_JSON = "application/fhir+json"


@staff_required()
@person_view(action=AuditAction.EXPORT, object_type="fhir")
@require_GET
def person_export(request: StaffRequest, person: Person) -> HttpResponse:
    bundle = export_person(actor=request.actor, person=person)
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False, indent=2), content_type=f"{FHIR_JSON}; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(f"fhir-person-{person.pk}.json")
    return response


@staff_required(PERSON_REGISTER)
@audited_view(object_type="fhir_import")
@require_http_methods(["GET", "POST"])
def bundle_import(request: StaffRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = BundleImportForm(request.POST if posted else None, request.FILES if posted else None)
    errors: list[str] = []
    if posted and form.is_valid():
        outcome = import_text(actor=request.actor, text=form.cleaned_data["file"])
        if outcome.refused:
            # Answered, not raised: the refusal's audit row is in this view's transaction.
            context = {"form": BundleImportForm(), "refused": outcome.errors[0]}
            return render(request, "fhir/import.html", context, status=403)
        if outcome.ok:
            messages.success(
                request,
                _(
                    "Importert fra %(file)s: %(created)s nye, %(updated)s endret, "
                    "%(unchanged)s uendret."
                )
                % {
                    "file": form.file_name,
                    "created": outcome.created,
                    "updated": outcome.updated,
                    "unchanged": outcome.unchanged,
                },
            )
            return redirect("fhir:import")
        errors = outcome.errors
        form.add_error(
            "file",
            _("Filen har %(count)s feil og er ikke importert. Ingenting er lagret.")
            % {"count": len(errors)},
        )
    return render(request, "fhir/import.html", {"form": form, "errors": errors})
