"""The request as Mestring's middleware and guards leave it, for the type checker.

Django's `HttpRequest` knows nothing of the attributes our middleware sets on it.
Views annotate their request with `StaffRequest` (pages behind `staff_required`) or
`MestringRequest` (any page) so that `request.actor` and the rest are checked. At run
time the object is still Django's own request: these classes are never instantiated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from mestring.access.actor import Actor

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from mestring.access.guard import AccessDecision
    from mestring.accounts.models import User
    from mestring.people.models import Staff


# A view, as the decorators in front of views take and give it.
View = Callable[..., HttpResponseBase]


class StaffActor(Actor):
    """The actor of a staff page: a staff member's, so `staff` is there (the system's
    and a citizen's actors have none). Only a type, like the requests below: the
    middleware builds a plain `Actor`, always with its staff member."""

    staff: Staff


class MestringRequest(HttpRequest):
    """Any request after the middleware, before a page's own checks."""

    # core.middleware.RequestIdMiddleware: the id of the logs and the audit trail.
    request_id: str
    # tenancy.middleware.ActiveMunicipalityMiddleware: the user's staff memberships
    # (empty when logged out) and the actor of the chosen one, if any.
    memberships: list[Staff]
    actor: Actor | None
    # django_htmx.middleware.HtmxMiddleware: whether htmx asked, and for what.
    htmx: HtmxDetails


class StaffRequest(MestringRequest):
    """A staff page's request, behind `staff_required`: a logged-in user acting for one
    municipality, so the actor is there."""

    user: User
    actor: StaffActor
    # access.guard.person_view: the decision that let the user see the page's person.
    # Only pages about one person have it.
    access: AccessDecision
