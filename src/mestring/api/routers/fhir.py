"""FHIR R4: a person's Bundle (plan, goals, care team, meetings, measures, consents)
and the import of such a Bundle. The same functions as `mestring fhir export|import`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Path, Router, Schema, Status

from mestring.access.permissions import PERSON_REGISTER
from mestring.api.auth import context, endpoint
from mestring.api.errors import ApiError, person_refused_message
from mestring.api.schemas import MAX_ID, responses
from mestring.fhir.export import person_bundle
from mestring.fhir.importer import import_bundle
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person

person_router = Router(tags=["FHIR R4"])
import_router = Router(tags=["FHIR R4"])


class FhirImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    person_id: int | None


@person_router.get(
    "/{person_id}/fhir/",
    response=responses({200: dict[str, Any]}),
    summary="Personen som FHIR R4-bunt (Bundle, type collection)",
    description=(
        "Patient, CarePlan (med tidligere versjoner som `replaces`), Goal, CareTeam, "
        "Encounter, Observation (SPPB, COPM, PSFS) og Consent. Tilgang: `plans:read`, og "
        "tjenstlig behov for personen."
    ),
)
@endpoint(scope="plans:read", object_type="fhir", person=True, action=AuditAction.EXPORT)
def fhir_export(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict[str, Any]:
    return person_bundle(person)


@import_router.post(
    "/import/",
    response=responses({200: FhirImportOut}),
    summary="Importer en FHIR R4-bunt med pasient og individuell plan",
    description=(
        "Oppretter eller oppdaterer personen (fødselsnummer/D-nummer) og planen; samme bunt "
        "to ganger endrer ingenting. Alt eller ingenting. Tilgang: `plans:write` og "
        "registrering av personer; finnes personen fra før, også tjenstlig behov for "
        "personen (ellers 403, og ingenting endres). Du får tidsbegrenset tilgang til en "
        "person importen registrerer."
    ),
)
@endpoint(
    scope="plans:write", object_type="fhir", permission=PERSON_REGISTER, action=AuditAction.IMPORT
)
def fhir_import(request: HttpRequest, bundle: Body[dict[str, Any]]) -> dict | Status:
    outcome = import_bundle(actor=context(request).actor, bundle=bundle)
    if outcome.refused:
        # Answered, not raised: the refusal's audit row is in this operation's
        # transaction, which an exception would roll back.
        return Status(403, {"detail": person_refused_message(), "errors": []})
    if not outcome.ok:
        raise ApiError(
            outcome.errors[0], [{"field": "bundle", "message": error} for error in outcome.errors]
        )
    return {
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "person_id": outcome.person.pk if outcome.person else None,
    }
