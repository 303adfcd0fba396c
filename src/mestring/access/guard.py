"""The one check in front of every person's data (DESIGN.md §6, tjenstlig behov).

A staff member reaches a person only through an active care relation in the active
municipality. Whatever the reason for a refusal — no relation, another municipality,
no such person — the answer is the same, so a refusal never tells whether the person
exists. Every refusal is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from mestring.access.actor import Actor
from mestring.access.audit import counting_events, record_event
from mestring.access.models import AuditOutcome, AuditPurpose, CareRelation
from mestring.people.models import Person


class PersonAccessRefused(PermissionDenied):
    """Rendered as the uniform refusal page."""


def has_care_relation(actor: Actor, person_id: int) -> bool:
    if actor.staff is None:
        return False
    return CareRelation.objects.active().for_staff(actor.staff).filter(person_id=person_id).exists()


def _parse_id(raw: object) -> int | None:
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def require_person(actor: Actor | None, person_id: object, *, action: str = "view") -> Person:
    """The person, if the actor may see them; otherwise audit the refusal and raise."""
    if actor is None:
        raise PersonAccessRefused()
    pk = _parse_id(person_id)
    person = Person.objects.filter(pk=pk).first() if pk else None
    if person is not None and has_care_relation(actor, person.pk):
        return person
    record_event(
        actor=actor,
        action=action,
        object_type="person",
        object_id=person.pk if person else "",
        person=person,
        outcome=AuditOutcome.REFUSED,
        purpose=AuditPurpose.CARE,
    )
    raise PersonAccessRefused()


def person_view(*, action: str = "view") -> Callable:
    """Decorate a view taking `person_id`: it receives the Person instead.

    The view runs in one transaction with its audit row. A view that writes calls a
    service, which audits the write; if nothing was audited (a read, or a form shown
    again with errors), one read event is written — exactly one per response.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, person_id: object, *args: Any, **kwargs: Any) -> Any:
            actor = getattr(request, "actor", None)
            person = require_person(actor, person_id, action=action)
            with transaction.atomic(), counting_events() as counter:
                response = view(request, person, *args, **kwargs)
                if counter.count == 0:
                    record_event(
                        actor=actor,
                        action=action,
                        object_type="person",
                        object_id=person.pk,
                        person=person,
                    )
            return response

        wrapper.person_guarded = True  # type: ignore[attr-defined]
        return wrapper

    return decorate
