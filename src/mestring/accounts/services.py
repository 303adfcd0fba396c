"""Login rules: password, second factor, lock-out.

Failures of either factor count towards the lock-out, so a stolen password cannot
be used to guess the code without limit.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password as check_hashed
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mestring.accounts.models import User


@dataclass(frozen=True)
class PasswordCheck:
    user: User | None
    locked_until: datetime.datetime | None = None


def _lock_duration() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.MESTRING_LOGIN_LOCK_MINUTES)


def register_failure(user: User) -> None:
    """Count a failed attempt; lock the account when the limit is reached."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        user.refresh_from_db(fields=["failed_login_count", "locked_until"])
        if user.failed_login_count >= settings.MESTRING_LOGIN_MAX_FAILURES:
            user.locked_until = timezone.now() + _lock_duration()
            user.failed_login_count = 0
            user.save(update_fields=["locked_until", "failed_login_count"])


def register_success(user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)


def check_password(username: str, password: str) -> PasswordCheck:
    """The user when the password is right and the account open; never says which failed.

    `locked_until` is for the caller's own bookkeeping only: the login page gives one
    message for an unknown username, a wrong password and a locked account, so the
    message does not reveal which usernames exist."""
    user = get_user_model().objects.filter(username__iexact=username.strip()).first()
    if user is None:
        # Same work as a real check, so timing does not reveal which usernames exist.
        get_user_model()().set_password(password)
        return PasswordCheck(user=None)
    if user.is_locked():
        # The same work again; the caller answers as for a wrong password, so neither
        # timing nor the message tells a locked account from an unknown username.
        user.check_password(password)
        return PasswordCheck(user=None, locked_until=user.locked_until)
    if not user.is_active or not user.check_password(password):
        register_failure(user)
        return PasswordCheck(
            user=None, locked_until=user.locked_until if user.is_locked() else None
        )
    return PasswordCheck(user=user)


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class Throttled(Exception):
    """Too many wrong codes just now: the user waits a little (not counted again)."""


def verify_totp(user: User, device: TOTPDevice, token: str) -> bool:
    token = token.strip().replace(" ", "")
    if user.is_locked():
        return False
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        register_failure(user)  # hammering while throttled still counts towards the lock
        raise Throttled
    if token.isdigit() and device.verify_token(token):
        register_success(user)
        return True
    register_failure(user)
    return False


# The one-time enrolment code: 8 characters from an alphabet without
# look-alikes (40 bits), typed with or without the dash and in any case. Guessing is
# bounded by the lock-out: a wrong code counts as a failed login.
ENROLMENT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ENROLMENT_CODE_LENGTH = 8
ENROLMENT_CODE_DAYS = 14


class WrongEnrolmentCode(Exception):
    """The enrolment code is wrong, used or expired (counted towards the lock-out)."""


def _normalise_enrolment_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def issue_enrolment_code(user: User) -> str:
    """A new one-time code for binding an authenticator, replacing any earlier one. The
    code is returned once, to be shown once to the administrator; only its hash is kept."""
    raw = "".join(secrets.choice(ENROLMENT_ALPHABET) for _ in range(ENROLMENT_CODE_LENGTH))
    user.enrolment_code = make_password(raw)
    user.enrolment_code_expires_at = timezone.now() + datetime.timedelta(days=ENROLMENT_CODE_DAYS)
    user.save(update_fields=["enrolment_code", "enrolment_code_expires_at"])
    half = ENROLMENT_CODE_LENGTH // 2
    return f"{raw[:half]}-{raw[half:]}"


def enrolment_code_required(user: User) -> bool:
    """Every real user needs the administrator's code to bind an authenticator. Demo
    users (published password, `mestring demo`) enrol with the password alone, as the
    demo always has; an installation with real data has no demo users."""
    return not user.is_demo


def has_enrolment_code(user: User) -> bool:
    return bool(user.enrolment_code) and (
        user.enrolment_code_expires_at is None or user.enrolment_code_expires_at > timezone.now()
    )


def check_enrolment_code(user: User, code: str) -> None:
    """Raise WrongEnrolmentCode, counting a failure, unless the code is the user's valid
    enrolment code (or the user needs none)."""
    if not enrolment_code_required(user):
        return
    if user.is_locked():
        raise WrongEnrolmentCode
    normalised = _normalise_enrolment_code(code)
    if not has_enrolment_code(user) or not check_hashed(normalised, user.enrolment_code):
        register_failure(user)
        raise WrongEnrolmentCode


def start_totp_enrolment(user: User) -> TOTPDevice:
    """An unconfirmed device; it counts only after the user has typed one good code."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)


def confirm_totp_enrolment(
    user: User, device: TOTPDevice, token: str, *, enrolment_code: str = ""
) -> bool:
    """Bind the device: the administrator's one-time enrolment code first (raises
    WrongEnrolmentCode), then a good code from the app (False when wrong). The password
    alone never binds a second factor. The enrolment code is used up."""
    check_enrolment_code(user, enrolment_code)
    if not verify_totp(user, device, token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        user.enrolment_code, user.enrolment_code_expires_at = "", None
        user.save(update_fields=["enrolment_code", "enrolment_code_expires_at"])
    return True


def unlock_user(user: User) -> None:
    """Open the account at once, including django-otp's own delay after wrong codes."""
    register_success(user)
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def reset_second_factor(user: User) -> str:
    """The user enrols a new authenticator at next login (lost phone), with the new
    one-time enrolment code returned here for the administrator to hand over."""
    TOTPDevice.objects.filter(user=user).delete()
    return issue_enrolment_code(user)
