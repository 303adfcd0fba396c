"""Two-step staff login: password, then a TOTP code (enrolled at first login)."""

from __future__ import annotations

import base64
import datetime
import time
from collections.abc import Callable

import segno
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from mestring.accounts import services
from mestring.accounts.forms import CodeForm, EnrolForm, PasswordLoginForm
from mestring.accounts.middleware import DEMO_BYPASS, LAST_SEEN, LOGIN_AT, SECOND_FACTOR
from mestring.accounts.models import User

PENDING_USER = "pending_login_user"
PENDING_AT = "pending_login_at"
PENDING_NEXT = "pending_login_next"
PENDING_DEVICE = "pending_enrolment_device"
PENDING_SECONDS = 300
# The password step's only refusal: it never tells whether the username exists or the
# account is locked. The lock's end is shown only after the password was right (code step).
FAILED_LOGIN_MESSAGE = _lazy(
    "Feil brukernavn eller passord, eller kontoen er midlertidig låst etter for mange "
    "mislykkede forsøk. Ta kontakt med administrator hvis du ikke kommer inn."
)
WRONG_ENROLMENT_CODE = _lazy(
    "Registreringskoden stemmer ikke, er brukt eller er utløpt. Be administrator om en ny "
    "hvis du ikke har en gyldig kode."
)
THROTTLED_MESSAGE = _lazy(
    "Du har skrevet feil kode flere ganger. Vent noen sekunder og prøv igjen."
)


def _locked_message(until: datetime.datetime | None) -> str:
    when = formats.date_format(timezone.localtime(until), "H:i")
    return _(
        "For mange mislykkede forsøk. Kontoen er låst til kl. %(time)s. "
        "Ta kontakt med administrator hvis du trenger å komme inn før det."
    ) % {"time": when}


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    if not user_id or time.time() - started > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _complete_login(request: HttpRequest, user: User, device: TOTPDevice | None) -> HttpResponse:
    next_url = request.session.get(PENDING_NEXT) or ""
    for key in (PENDING_USER, PENDING_AT, PENDING_NEXT, PENDING_DEVICE):
        request.session.pop(key, None)
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.cycle_key()  # a new session id at login, whatever was there before
    if device is not None:
        otp_login(request, device)
    else:
        request.session[SECOND_FACTOR] = DEMO_BYPASS
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = PasswordLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.check_password(
            form.cleaned_data["username"], form.cleaned_data["password"]
        )
        if check.user is None:
            # One message for an unknown username, a wrong password and a locked account.
            form.add_error(None, str(FAILED_LOGIN_MESSAGE))
        else:
            user = check.user
            request.session.cycle_key()
            request.session[PENDING_NEXT] = request.GET.get("next", "")
            if settings.MESTRING_DEMO_2FA_BYPASS and user.is_demo:
                services.register_success(user)
                return _complete_login(request, user, device=None)
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_AT] = time.time()
            if services.confirmed_totp_device(user) is None:
                return redirect("accounts:enrol")
            return redirect("accounts:code")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "demo_bypass": settings.MESTRING_DEMO_2FA_BYPASS},
    )


def _check_code(
    request: HttpRequest,
    user: User,
    device: TOTPDevice,
    form: CodeForm,
    verify: Callable[[User, TOTPDevice, str], bool],
) -> HttpResponse | None:
    """Log in on a right code; on a wrong one add the error, or end at the lock-out."""
    field = "code"
    try:
        if verify(user, device, form.cleaned_data["code"]):
            return _complete_login(request, user, device)
        message = _("Koden stemmer ikke. Sjekk appen og prøv igjen.")
    except services.Throttled:
        message = str(THROTTLED_MESSAGE)
    except services.WrongEnrolmentCode:
        field, message = "enrolment_code", str(WRONG_ENROLMENT_CODE)
    user.refresh_from_db()
    if user.is_locked():
        messages.error(request, _locked_message(user.locked_until))
        request.session.flush()
        return redirect("accounts:login")
    form.add_error(field, message)
    return None


@require_http_methods(["GET", "POST"])
def code_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    device = services.confirmed_totp_device(user) if user else None
    if user is None or device is None:
        messages.info(request, _("Start innloggingen på nytt."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _check_code(request, user, device, form, services.verify_totp)
        if response is not None:
            return response
    return render(request, "accounts/code.html", {"form": form})


@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Start innloggingen på nytt."))
        return redirect("accounts:login")
    if services.confirmed_totp_device(user) is not None:
        return redirect("accounts:code")
    code_required = services.enrolment_code_required(user)
    if code_required and not services.has_enrolment_code(user):
        # Nothing to enrol with: the administrator gives a new code (reset the app).
        return render(request, "accounts/enrol.html", {"no_enrolment_code": True})
    device = TOTPDevice.objects.filter(
        pk=request.session.get(PENDING_DEVICE), user=user, confirmed=False
    ).first()
    if device is None:
        device = services.start_totp_enrolment(user)
        request.session[PENDING_DEVICE] = device.pk
    form = EnrolForm(request.POST or None, enrolment_code_required=code_required)
    if request.method == "POST" and form.is_valid():
        enrolment_code = form.cleaned_data.get("enrolment_code", "")

        def confirm(user: User, device: TOTPDevice, token: str) -> bool:
            return services.confirm_totp_enrolment(
                user, device, token, enrolment_code=enrolment_code
            )

        response = _check_code(request, user, device, form, confirm)
        if response is not None:
            request.session.pop(PENDING_DEVICE, None)
            return response
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR-kode for autentiseringsappen")
    )
    secret = _base32_secret(device)
    context = {
        "form": form,
        "qr_svg": qr_svg,
        "secret": secret,
        "enrolment_code_required": code_required,
    }
    return render(request, "accounts/enrol.html", context)


def _base32_secret(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.logout(request)  # flushes the server-side session
    messages.info(request, _("Du er logget ut."))
    return redirect("accounts:login")
