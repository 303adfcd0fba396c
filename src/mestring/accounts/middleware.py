"""Session lifetime and the second factor, enforced on every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

LOGIN_AT = "login_at"
LAST_SEEN = "last_seen"
SECOND_FACTOR = "second_factor"
DEMO_BYPASS = "demo-bypass"


def second_factor_satisfied(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False  # no session to satisfy; the callers ask only for a logged-in user
    if user.is_verified():
        return True
    return bool(
        settings.MESTRING_DEMO_2FA_BYPASS
        and user.is_demo
        and request.session.get(SECOND_FACTOR) == DEMO_BYPASS
    )


def _end_session(request: HttpRequest, message: str) -> HttpResponse:
    auth.logout(request)
    messages.info(request, message)
    return redirect(settings.LOGIN_URL)


class SessionTimeoutMiddleware:
    """Idle timeout (default 30 minutes) and absolute timeout (default 10 hours)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.get(LOGIN_AT, now)
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > settings.MESTRING_SESSION_IDLE_SECONDS:
                return _end_session(
                    request, _("Du ble logget ut fordi du ikke hadde vært aktiv på en stund.")
                )
            if now - login_at > settings.MESTRING_SESSION_ABSOLUTE_SECONDS:
                return _end_session(
                    request, _("Du ble logget ut fordi økten var for gammel. Logg inn på nytt.")
                )
            request.session[LAST_SEEN] = now
            request.session.setdefault(LOGIN_AT, now)
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A staff session without a verified second factor is not a session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not second_factor_satisfied(request):
            return _end_session(request, _("Logg inn med kode fra autentiseringsappen."))
        return self.get_response(request)
