from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.functional import empty

from mestring.core.logging import loggable_path, request_id_var
from mestring.core.session_keys import CITIZEN as CITIZEN_SESSION_KEY
from mestring.kernel.errors import DomainError, NotAllowed, NotFound

if TYPE_CHECKING:
    from mestring.access.request import MestringRequest

_VALID_ID = re.compile(r"^[A-Za-z0-9-]{8,40}$")
access_log = logging.getLogger("mestring.access_log")


def _user_id(request: HttpRequest) -> int | None:
    """The user's id if the request already knew it; never loads the user for the log."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestIdMiddleware:
    """A request id for logs and the audit trail; a proxy's X-Request-ID is kept if sane.

    Also writes the access log: one line per request with method, path (never the query
    string, which may hold a name or an identity number; a secret token in the path is
    replaced), status, duration, request id and user id — nothing about the person the
    request was about.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: MestringRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            path = loggable_path(request)
            access_log.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


API_PREFIX = "/api/"


def _signed_in(request: HttpRequest) -> bool:
    """A staff member or a citizen is logged in on this request's session.

    An empty session (no cookie, nothing stored yet) is never read, so anonymous public
    pages do not start to vary by cookie because of this check."""
    session = getattr(request, "session", None)
    if session is None or session.is_empty():
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return bool(session.get(CITIZEN_SESSION_KEY))


class NoStoreMiddleware:
    """`Cache-Control: no-store` on everything a logged-in person sees and on the API.

    Pages, PDFs, CSV files and JSON about persons must not stay in a browser's cache or
    a proxy's after the session ends, where the next user of a shared computer could
    open them. One rule here instead of one decorator per view: every response to a
    staff or citizen session, and every response under /api/ (where a token, not a
    session, is the login). A view that sets its own Cache-Control keeps it; public
    pages without a login and static files (served before this middleware) are left as
    they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if request.path_info.startswith(API_PREFIX) or _signed_in(request):
            response["Cache-Control"] = "no-store"
            response.setdefault("Pragma", "no-cache")
        return response


class DomainErrorMiddleware:
    """The one place a refusal of the domain that no view caught becomes a page.

    Views that show a form again with what the user typed catch the error themselves;
    anything else a service refuses reaches here instead of becoming a server error:
    NotFound is the not-found page, NotAllowed the no-access page, and any other refusal
    (a Conflict, a broken rule) is the error's message above the same page, reached
    again with a GET after a POST. The API answers its own errors (api.errors).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path_info.startswith(API_PREFIX):
            return None
        return refusal_response(request, exception)


def refusal_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    """What the web shows for a refusal: the status page, or the message on the page."""
    from mestring.core.views import page_not_found, permission_denied

    if isinstance(error, NotFound):
        return page_not_found(request, error)
    if isinstance(error, NotAllowed):
        return permission_denied(request, error)
    messages.error(request, error.message)
    if request.method in ("GET", "HEAD"):
        # Sending a GET back to itself would ask again and again; say it once here.
        return render(request, "400.html", status=error.http_status)
    return HttpResponseRedirect(request.get_full_path())
