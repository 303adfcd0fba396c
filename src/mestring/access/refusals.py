"""A refused write on a person's page, logged against that person.

A view that lets someone read a person but not do what they asked (handle the case,
allocate, admit to another unit's bed) answers 403 and leaves one audit row that names
the person, like every other refusal on a person's page.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from mestring.access.audit import record_event
from mestring.access.models import AuditOutcome
from mestring.access.request import StaffRequest
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person


def refuse_write(request: StaffRequest, person: Person, object_type: str) -> HttpResponse:
    record_event(
        actor=request.actor,
        action=AuditAction.WRITE,
        object_type=object_type,
        person=person,
        outcome=AuditOutcome.REFUSED,
    )
    return render(request, "403.html", status=403)
