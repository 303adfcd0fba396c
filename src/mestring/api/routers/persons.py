"""Persons: the actor's own persons or a search, one person, registration, changes."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Status

from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose, CareRelation
from mestring.access.permissions import PERSON_REGISTER, PERSON_SEARCH
from mestring.api.auth import context, endpoint
from mestring.api.errors import InvalidInput, ScopeMissing, field_invalid, form_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import (
    CLEAN_TEXT,
    MAX_ID,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatchIn,
    responses,
)
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person
from mestring.register import selectors
from mestring.register import services as people_services
from mestring.register.forms import PersonForm

router = Router(tags=["Personer"])


@router.get(
    "/",
    response=responses({200: PersonPage}),
    summary="Personer",
    description=(
        "Uten `q`: personene du har tjenstlig behov for (aktiv tilgang). Med `q`: søk på navn, "
        "fødselsdato, fødselsnummer eller referanse blant alle personer i kommunen, som i "
        "nettløsningens personsøk (krever tillatelsen til å søke etter personer). "
        "Tilgang: `persons:read`."
    ),
)
@endpoint(scope="persons:read", object_type="person_list")
def person_list(
    request: HttpRequest,
    paging: Query[Paging],
    q: Annotated[str, Field(max_length=200), CLEAN_TEXT] = "",
) -> dict:
    actor = context(request).actor
    text_query = q.strip()
    if text_query:
        if not actor.has_perm(PERSON_SEARCH):
            raise ScopeMissing(_("Du har ikke tillatelse til å søke etter personer."))
        # One WHERE with the name prefixes OR the reference, so PostgreSQL can use the
        # prefix indexes for the count too (two IN subqueries hid them: ~100 ms at 100k).
        by_name = selectors.search_persons(selectors.PersonQuery(text=text_query))
        persons = by_name | Person.objects.filter(person_ref=text_query)
    else:
        mine = CareRelation.objects.active().for_staff(actor.staff).values("person_id")
        persons = Person.objects.filter(pk__in=mine)
    persons = persons.order_by(*selectors.PERSON_SORTS["navn"]).only(
        "pk", "given_name", "family_name", "birth_date", "person_ref", "postal_town"
    )
    page = page_of(persons, paging)
    # Whether the actor may open each person: asked for the rows of the page only.
    selectors.mark_access(page["items"], actor)
    if text_query:
        # As the web's search: logged without a person, with the number found.
        record_event(
            actor=actor,
            action=AuditAction.SEARCH,
            object_type="person_search",
            object_id=page["count"],
            purpose=AuditPurpose.CARE,
        )
    return page


@router.get(
    "/{person_id}/",
    response=responses({200: PersonOut}),
    summary="Én person",
    description="Tilgang: `persons:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="persons:read", object_type="person", person=True)
def person_read(
    request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID), *, person: Person
) -> Person:
    return person


def _duplicate_national_id() -> InvalidInput:
    return field_invalid("national_id", _("Det finnes allerede en person med dette nummeret."))


@router.post(
    "/",
    response=responses({201: PersonOut}),
    summary="Registrer en person",
    description=(
        "Som registreringen i nettløsningen: samme kontroller, og du får tidsbegrenset "
        "tilgang til personen. Tilgang: `persons:write` og tillatelsen til å registrere personer."
    ),
)
@endpoint(scope="persons:write", object_type="person", permission=PERSON_REGISTER)
def person_create(request: HttpRequest, data: PersonIn) -> Status:
    form = PersonForm(data.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    try:
        person = people_services.person_register(
            actor=context(request).actor, data=form.service_data()
        )
    except people_services.DuplicatePersonRef as exc:
        raise field_invalid("person_ref", str(exc)) from exc
    except people_services.DuplicateNationalId as exc:
        raise _duplicate_national_id() from exc
    return Status(201, person)


@router.patch(
    "/{person_id}/",
    response=responses({200: PersonOut}),
    summary="Endre en person",
    description=(
        "Som «Endre personopplysninger» i nettløsningen: de samme feltene og kontrollene. "
        "Felt som utelates (eller er null) endres ikke; tom tekst tømmer et valgfritt felt. "
        "Tilgang: `persons:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="persons:write", object_type="person", person=True, action=AuditAction.UPDATE)
def person_update(
    request: HttpRequest,
    data: PersonPatchIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Person:
    # The web form always sends every field: start from what is stored, put the
    # changes on top, and let the same form check the whole.
    fields = PersonForm.Meta.fields
    values = {name: getattr(person, name) for name in fields}
    values.update(data.model_dump(exclude_none=True))
    form = PersonForm(values, instance=Person.objects.get(pk=person.pk))
    if not form.is_valid():
        raise form_invalid(form)
    try:
        return people_services.person_update(
            actor=context(request).actor, person=person, data=form.service_data()
        )
    except people_services.DuplicatePersonRef as exc:
        raise field_invalid("person_ref", str(exc)) from exc
    except people_services.DuplicateNationalId as exc:
        raise _duplicate_national_id() from exc
