"""The citizen session's idle timeout (M7), beside the staff's in accounts.middleware.

Every request of a logged-in citizen stamps the time of last activity in the session;
a request after `MESTRING_CITIZEN_IDLE_SECONDS` without one ends the citizen session and
sends the browser to the login page with a message saying why.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mestring.portal.session import SESSION_KEY, end_if_idle, stamp_activity


class CitizenIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            ended = end_if_idle(request)
            if ended is not None:
                return ended
            stamp_activity(request)
        return self.get_response(request)
