"""`@citizen_view`: the citizen pages' guard and audit, as `person_view` is for staff.

The view receives the Person whose pages are shown and the Representation (own record
or on behalf). Every response writes exactly one audit row (services add theirs for
writes), with purpose "citizen" and, when a relative acts, the basis of the right to act
as the reason, so the person's access log shows who acted on their behalf.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from mestring.access.actor import Actor
from mestring.access.audit import AccessGround, access_ground, counting_events, record_event
from mestring.access.middleware import client_address
from mestring.access.models import AuditPurpose
from mestring.access.request import MestringRequest, View
from mestring.kernel.audit_words import AuditAction
from mestring.portal.representation import Representation, representation_for
from mestring.portal.session import CitizenSession, choose_person, current_citizen
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality

CITIZEN_ROLE = "innbygger"
ON_BEHALF_ROLE = "pårørende"
# The login itself: the actor's first role, then whose login it was (the person's own,
# or a relative's with the basis of the right to act), as for the pages.
LOGIN_ROLE = "innbygger-innlogging"
LOGIN_OBJECT = "innbygger_innlogging"


class CitizenRequest(MestringRequest):
    """A citizen page's request, behind `citizen_view`: the citizen's session and the
    actor that names them (and on whose behalf) in the audit log. No staff actor: a
    citizen is not a staff user. Only a type, like MestringRequest."""

    citizen: CitizenSession
    citizen_actor: Actor


def representation_roles(rep: Representation) -> tuple[str, ...]:
    return (CITIZEN_ROLE,) if not rep.on_behalf else (ON_BEHALF_ROLE, rep.basis)


def citizen_actor(request: HttpRequest, citizen: CitizenSession, rep: Representation) -> Actor:
    """Who acts, as the audit log names them: the citizen, and on whose behalf."""
    municipality = Municipality.objects.get(pk=citizen.municipality_id)
    return Actor(
        municipality=municipality,
        user=None,
        staff=None,
        role_codes=representation_roles(rep),
        label=citizen.name[:150],
        client_address=client_address(request),
        request_id=getattr(request, "request_id", ""),
    )


def citizen_ground(rep: Representation) -> AccessGround:
    reason = "" if not rep.on_behalf else f"pa_vegne_av:{rep.basis}"
    return AccessGround(person_id=rep.person.pk, purpose=AuditPurpose.CITIZEN, reason_code=reason)


def citizen_view(*, object_type: str = "portal") -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: CitizenRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            citizen = current_citizen(request)
            if citizen is None:
                return redirect("portal:login")
            municipality = Municipality.objects.filter(pk=citizen.municipality_id).first()
            if municipality is None:
                return redirect("portal:login")
            with activate(municipality):
                rep = (
                    representation_for(citizen.national_id, citizen.acting_for_id)
                    if citizen.acting_for_id
                    else None
                )
                if rep is None:
                    # No person chosen, or the right to act has ended: choose again.
                    choose_person(request, None)
                    return redirect("portal:choose")
                actor = citizen_actor(request, citizen, rep)
                request.citizen, request.citizen_actor = citizen, actor
                with (
                    transaction.atomic(),
                    access_ground(citizen_ground(rep)),
                    counting_events() as counter,
                ):
                    response = view(request, rep.person, rep, *args, **kwargs)
                    if counter.count == 0:
                        record_event(
                            actor=actor,
                            action=AuditAction.VIEW,
                            object_type=object_type,
                            object_id=rep.person.pk,
                            person=rep.person,
                        )
            return response

        wrapper.citizen_guarded = wrapper.audited = True  # type: ignore[attr-defined]  # read by audit tests
        return wrapper

    return decorate
