"""Helpers for driving the two-step login through the real views."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

# The paths users see (Norwegian); the URL names are checked against them in test_login.
LOGIN_URL = "/logg-inn/"
CODE_URL = "/logg-inn/kode/"
ENROL_URL = "/logg-inn/ny-app/"
HOME_URL = "/"
# The password step's one refusal: unknown user, wrong password and locked account alike.
GENERIC_ERROR = (
    "Feil brukernavn eller passord, eller kontoen er midlertidig låst etter for mange "
    "mislykkede forsøk. Ta kontakt med administrator hvis du ikke kommer inn."
)
# Shown only after the right password, when wrong codes have locked the account.
LOCKED = "For mange mislykkede forsøk. Kontoen er låst til kl."
WRONG_CODE = "Koden stemmer ikke"
THROTTLED = "Vent noen sekunder og prøv igjen"


def totp_code(device: TOTPDevice, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset in time steps), zero-padded."""
    device.refresh_from_db()
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{token.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed code that is none of the codes accepted in the tolerance window."""
    accepted = {totp_code(device, offset=o) for o in range(-2, 3)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def post_password(
    client: Client, username: str, password: str = PASSWORD, *, next_url: str | None = None
) -> object:
    url = LOGIN_URL if next_url is None else f"{LOGIN_URL}?{urlencode({'next': next_url})}"
    return client.post(url, {"username": username, "password": password})


def post_code(
    client: Client, code: str, *, url: str = CODE_URL, enrolment_code: str | None = None
) -> object:
    data = {"code": code}
    if enrolment_code is not None:  # the administrator's one-time code, at enrolment
        data["enrolment_code"] = enrolment_code
    return client.post(url, data)


def is_logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def full_login(client: Client, username: str, device: TOTPDevice) -> object:
    """Password then code; returns the response to the code step."""
    response = post_password(client, username)
    assert response.status_code == 302
    assert response["Location"] == CODE_URL
    return post_code(client, totp_code(device))
