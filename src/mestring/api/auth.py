"""Bearer tokens, scopes, and the web's guard and audit around every endpoint.

`TokenAuth` finds the token and builds the Actor of its staff membership, as the
web's middleware does for a session. `endpoint(...)` wraps each operation: it runs
inside the token's municipality, checks the scope and the permission (a refusal is
audited like the web's `staff_required`), passes person data through
`access.guard.require_person`, and writes exactly one audit row per response.

The checks run before the request body is read: a caller without the scope, the
permission or the care relation is refused as such, and learns nothing from the
validation of a body they were never allowed to send (ninja validates the body before
it calls the operation, so the checks hang on the operation's `run`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view
from ninja.security import HttpBearer

from mestring.access.actor import Actor
from mestring.access.audit import access_ground, counting_events, record_event
from mestring.access.guard import require_person, view_transaction
from mestring.access.middleware import build_actor
from mestring.access.models import AuditOutcome, AuditPurpose
from mestring.access.request import StaffActor
from mestring.api.errors import ScopeMissing
from mestring.api.models import ApiToken
from mestring.api.services import token_for
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import DomainError
from mestring.tenancy.context import activate


@dataclass(frozen=True)
class ApiContext:
    token: ApiToken
    actor: StaffActor


class TokenAuth(HttpBearer):
    openapi_description = "Personlig API-nøkkel (mst_…), laget under Profil → API-nøkler."

    def authenticate(self, request: HttpRequest, token: str) -> ApiContext | None:
        known = getattr(request, _CONTEXT, None)
        if known is not None:
            return known  # authenticated already, before the body was read
        api_token = token_for(token.strip())
        if api_token is None:
            return None
        staff = api_token.staff
        request.user = staff.user
        with activate(staff.municipality):
            # Built from the token's staff membership, so its `staff` is there.
            actor = cast(StaffActor, build_actor(request, staff))
        return ApiContext(token=api_token, actor=actor)


_CONTEXT = "_mestring_api_context"
_PERSON = "_mestring_api_person"
_token_auth = TokenAuth()


def context(request: HttpRequest) -> ApiContext:
    return request.auth  # type: ignore[attr-defined]  # set by ninja: what TokenAuth returned


def _refuse(actor: Actor, request: HttpRequest, operation: str) -> None:
    record_event(
        actor=actor,
        action=AuditAction.OPEN_PAGE,
        object_type="api",
        object_id=operation,
        outcome=AuditOutcome.REFUSED,
    )


def endpoint(
    *,
    scope: str,
    object_type: str,
    permission: str | None = None,
    person: bool = False,
    action: AuditAction = AuditAction.VIEW,
    administrative_permission: str | None = None,
) -> Callable:
    """Wrap an operation. With `person=True` the operation takes `person_id` and
    receives `person=` (the guarded Person) as well. `administrative_permission` is the
    web's `person_view(administrative_permission=…)`: holders reach the person without
    a care relation, for administration."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        def authorise(request: HttpRequest, path: dict[str, Any]) -> None:
            """Scope, permission and person, in that order; raises the refusal (audited)."""
            ctx = context(request)
            actor = ctx.actor
            if scope not in ctx.token.scopes:
                _refuse(actor, request, view.__name__)
                raise ScopeMissing(
                    _("API-nøkkelen mangler tilgangen «%(scope)s».") % {"scope": scope}
                )
            if permission is not None and not actor.has_perm(permission):
                _refuse(actor, request, view.__name__)
                raise PermissionDenied
            if person:
                setattr(
                    request,
                    _PERSON,
                    require_person(
                        actor,
                        path.get("person_id"),
                        action=action,
                        administrative_permission=administrative_permission,
                    ),
                )

        def authorise_first(run: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(run)
            def run_authorised(request: HttpRequest, *args: Any, **path: Any) -> Any:
                ctx = _token_auth(request)
                if not ctx:
                    return run(request, *args, **path)  # the operation answers 401 itself
                setattr(request, _CONTEXT, ctx)
                request.auth = ctx  # type: ignore[attr-defined]  # as ninja sets it
                with activate(ctx.actor.municipality):
                    try:
                        authorise(request, path)
                    except Exception as exc:
                        # `run` is the bound method of ninja's Operation, which knows its api.
                        api = run.__self__.api  # type: ignore[attr-defined]  # a bound method
                        return api.on_exception(request, exc)
                return run(request, *args, **path)

            return run_authorised

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            actor = context(request).actor
            with activate(actor.municipality):
                if not person:
                    return _run_audited(view, request, actor, object_type, args, kwargs)
                found, decision = getattr(request, _PERSON)
                with access_ground(decision.ground(found.pk)):
                    return _run_audited(
                        view, request, actor, object_type, args, kwargs, person=found
                    )

        # ninja reads the operation's parameters from this signature: the view's own,
        # with its annotations resolved in its module, without the injected `person`.
        signature = inspect.signature(view, eval_str=True)
        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]  # read by inspect
            parameters=[p for p in signature.parameters.values() if p.name != "person"]
        )
        return decorate_view(authorise_first)(wrapper)

    return decorate


def _run_audited(
    view: Callable[..., Any],
    request: HttpRequest,
    actor: Actor,
    object_type: str,
    args: tuple,
    kwargs: dict[str, Any],
    person: Any = None,
) -> Any:
    """Exactly one audit row per response: the service's rows for a write, otherwise one
    read row. A write runs in one transaction (a read in none, see `view_transaction`);
    a refused write (a rule error, a missing object) is rolled back and logged as a
    read, as the web does when it shows a form again."""
    extra = {"person": person} if person is not None else {}
    object_id = person.pk if person is not None else ""
    try:
        with view_transaction(request), counting_events() as counter:
            result = view(request, *args, **kwargs, **extra)
            if counter.count == 0:
                record_event(
                    actor=actor,
                    action=AuditAction.VIEW,
                    object_type=object_type,
                    object_id=object_id,
                    person=person,
                    purpose=AuditPurpose.CARE,
                )
    except Exception as exc:
        # The answer is an error: still exactly one row, saying what was asked.
        # A refusal of the domain (the service's rules, the API's own checks) included.
        refused = isinstance(exc, (DomainError, PermissionDenied, Http404))
        record_event(
            actor=actor,
            action=AuditAction.VIEW,
            object_type=object_type,
            object_id=object_id,
            person=person,
            outcome=AuditOutcome.REFUSED if refused else AuditOutcome.ALLOWED,
        )
        raise
    return result
