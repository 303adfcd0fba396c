"""Staff login: password, TOTP second factor, lock-out, enrolment, logout."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mestring import settings as production_settings
from mestring.access.models import AuditEvent
from mestring.accounts.middleware import DEMO_BYPASS, SECOND_FACTOR
from mestring.accounts.services import issue_enrolment_code, reset_second_factor
from tests import factories
from tests.accounts.helpers import (
    CODE_URL,
    ENROL_URL,
    GENERIC_ERROR,
    HOME_URL,
    LOCKED,
    LOGIN_URL,
    THROTTLED,
    WRONG_CODE,
    full_login,
    is_logged_in,
    post_code,
    post_password,
    totp_code,
    wrong_code,
)
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)


def test_url_names_match_the_paths_users_see():
    assert reverse("accounts:login") == LOGIN_URL
    assert reverse("accounts:code") == CODE_URL
    assert reverse("accounts:enrol") == ENROL_URL
    assert reverse("core:home") == HOME_URL


def test_passwords_are_hashed_with_argon2(world, settings):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = world.owner.user
    user.set_password(factories.PASSWORD)
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("argon2")
    assert factories.PASSWORD not in user.password
    # The stored Argon2 hash is accepted by the real password step.
    response = post_password(Client(), user.username)
    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


def test_full_login_with_password_and_code(world):
    user = world.owner.user
    device = factories.confirmed_device(user)
    client = Client()
    seeded = client.session  # a session that exists before login (fixation attempt)
    seeded["before-login"] = True
    seeded.save()
    key_before = client.cookies["sessionid"].value

    response = post_password(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == CODE_URL
    assert not is_logged_in(client)
    key_pending = client.cookies["sessionid"].value

    response = post_code(client, totp_code(device))
    assert response.status_code == 302
    assert response["Location"] == HOME_URL

    key_after = client.cookies["sessionid"].value
    assert key_after not in {key_before, key_pending}
    assert not Session.objects.filter(session_key__in=[key_before, key_pending]).exists()
    assert client.session[SESSION_KEY] == str(user.pk)
    home = client.get(HOME_URL)
    assert home.status_code == 200
    assert home.context["user"] == user
    user.refresh_from_db()
    assert (user.failed_login_count, user.locked_until) == (0, None)


def test_wrong_password_and_unknown_user_get_the_same_message(world):
    user = world.owner.user
    factories.confirmed_device(user)
    client = Client()
    wrong = post_password(client, user.username, "feil-passord-helt-feil")
    unknown = post_password(client, "finnes-ikke", factories.PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert GENERIC_ERROR in response.content.decode()
        assert response.context["form"].non_field_errors() == [GENERIC_ERROR]
    assert not is_logged_in(client)
    assert client.get(CODE_URL)["Location"] == LOGIN_URL  # no pending second step
    user.refresh_from_db()
    assert user.failed_login_count == 1


def test_wrong_code_is_refused_on_the_code_page(world):
    user = world.owner.user
    device = factories.confirmed_device(user)
    client = Client()
    post_password(client, user.username)
    response = post_code(client, wrong_code(device))
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert not is_logged_in(client)
    home = client.get(HOME_URL)
    assert home.status_code == 302
    assert home["Location"].startswith(LOGIN_URL)
    user.refresh_from_db()
    assert user.failed_login_count == 1


def test_failures_of_both_factors_lock_the_account_until_the_lock_expires(world, settings):
    user = world.owner.user
    device = factories.confirmed_device(user)
    limit = settings.MESTRING_LOGIN_MAX_FAILURES
    password_failures = limit // 2
    code_failures = limit - password_failures
    assert password_failures >= 1
    assert code_failures >= 1
    client = Client()
    with time_machine.travel(_now(), tick=False) as traveller:
        for _ in range(password_failures):
            response = post_password(client, user.username, "feil-passord-helt-feil")
            assert GENERIC_ERROR in response.content.decode()
        response = post_password(client, user.username)
        assert response["Location"] == CODE_URL
        for _ in range(code_failures - 1):
            response = post_code(client, wrong_code(device))
            # django-otp's own delay may answer first; both count towards the lock.
            body = response.content.decode()
            assert WRONG_CODE in body or THROTTLED in body
        # The last allowed failure locks the account and ends the pending login.
        response = post_code(client, wrong_code(device), url=CODE_URL)
        assert response.status_code == 302
        assert response["Location"] == LOGIN_URL
        assert LOCKED in client.get(LOGIN_URL).content.decode()
        user.refresh_from_db()
        assert user.is_locked()

        # The right password now gets the one refusal of the password step, not the
        # second step (the message never tells a locked account from an unknown one).
        response = post_password(client, user.username)
        assert response.status_code == 200
        assert GENERIC_ERROR in response.content.decode()
        assert LOCKED not in response.content.decode()
        assert client.get(CODE_URL)["Location"] == LOGIN_URL
        assert not is_logged_in(client)

        # Still locked one minute before the lock ends.
        traveller.shift(datetime.timedelta(minutes=settings.MESTRING_LOGIN_LOCK_MINUTES - 1))
        response = post_password(client, user.username)
        assert response.status_code == 200
        assert GENERIC_ERROR in response.content.decode()

        traveller.shift(datetime.timedelta(minutes=2))
        response = full_login(client, user.username, device)
        assert response["Location"] == HOME_URL
        assert client.get(HOME_URL).status_code == 200
    user.refresh_from_db()
    assert (user.failed_login_count, user.locked_until) == (0, None)


def _lock_by_passwords(client: Client, username: str, limit: int) -> None:
    for _attempt in range(limit):
        response = post_password(client, username, "feil-passord-helt-feil")
        assert GENERIC_ERROR in response.content.decode()
    assert get_user_model().objects.get(username=username).is_locked()


def test_administrator_unlocks_and_the_user_logs_in_at_once(world, settings, client_for):
    user = world.owner.user
    device = factories.confirmed_device(user)
    client = Client()
    _lock_by_passwords(client, user.username, settings.MESTRING_LOGIN_MAX_FAILURES)
    assert GENERIC_ERROR in post_password(client, user.username).content.decode()

    admin = client_for(world.admin)
    before = AuditEvent.all_objects.count()
    response = admin.post(reverse("people:staff_unlock", args=[world.owner.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:staff_edit", args=[world.owner.pk])

    event = AuditEvent.all_objects.order_by("-seq").first()
    assert AuditEvent.all_objects.count() == before + 1
    assert (event.action, event.object_type, event.object_id) == (
        "unlock",
        "staff",
        str(world.owner.pk),
    )
    assert event.user_id == world.admin.user_id
    assert (event.outcome, event.purpose) == ("allowed", "administration")

    user.refresh_from_db()
    assert not user.is_locked()
    response = full_login(client, user.username, device)
    assert response["Location"] == HOME_URL
    assert client.get(HOME_URL).status_code == 200


def test_unlock_after_code_failures_lets_the_user_in_at_once(world, settings, client_for):
    user = world.owner.user
    device = factories.confirmed_device(user)
    client = Client()
    with time_machine.travel(_now(), tick=False):
        post_password(client, user.username)
        for _ in range(settings.MESTRING_LOGIN_MAX_FAILURES):
            post_code(client, wrong_code(device))
        user.refresh_from_db()
        assert user.is_locked()
        admin = client_for(world.admin)
        assert admin.post(reverse("people:staff_unlock", args=[world.owner.pk])).status_code == 302
        response = full_login(client, user.username, device)
        assert response.status_code == 302
        assert response["Location"] == HOME_URL


def test_unlock_requires_post_and_an_administrator(world, settings, client_for):
    user = world.owner.user
    _lock_by_passwords(Client(), user.username, settings.MESTRING_LOGIN_MAX_FAILURES)
    url = reverse("people:staff_unlock", args=[world.owner.pk])
    assert client_for(world.admin).get(url).status_code == 405
    assert client_for(world.outsider).post(url).status_code == 403
    user.refresh_from_db()
    assert user.is_locked()
    assert not AuditEvent.all_objects.filter(action="unlock").exists()


def test_first_login_enrols_an_authenticator_app(world, client_for):
    user = world.owner.user
    assert not TOTPDevice.objects.filter(user=user).exists()
    enrolment_code = issue_enrolment_code(user)  # shown to the administrator
    client = Client()
    with time_machine.travel(_now(), tick=False) as traveller:
        response = post_password(client, user.username)
        assert response.status_code == 302
        assert response["Location"] == ENROL_URL
        assert client.get(CODE_URL)["Location"] == LOGIN_URL  # no device yet: no code page

        page = client.get(ENROL_URL)
        assert page.status_code == 200
        body = page.content.decode()
        assert "<svg" in body
        device = TOTPDevice.objects.get(user=user)
        assert not device.confirmed
        secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', body).group(1)
        assert secret.replace(" ", "") == base64.b32encode(device.bin_key).decode().rstrip("=")
        # Reloading the page keeps the secret the app was already set up with.
        assert secret in client.get(ENROL_URL).content.decode()
        assert TOTPDevice.objects.filter(user=user).count() == 1

        response = post_code(
            client, wrong_code(device), url=ENROL_URL, enrolment_code=enrolment_code
        )
        assert WRONG_CODE in response.content.decode()
        assert not is_logged_in(client)
        device.refresh_from_db()
        assert not device.confirmed

        traveller.shift(datetime.timedelta(seconds=2))  # past django-otp's 1 s throttle
        # Typed in lower case and without the dash, the code is the same code.
        typed = enrolment_code.replace("-", "").lower()
        response = post_code(client, totp_code(device), url=ENROL_URL, enrolment_code=typed)
        assert response.status_code == 302
        assert response["Location"] == HOME_URL
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(HOME_URL).status_code == 200
    user.refresh_from_db()
    assert (user.enrolment_code, user.enrolment_code_expires_at) == ("", None)  # used up

    # An administrator resets the second factor (lost phone): enrolment again, with the
    # new code shown once to the administrator.
    admin = client_for(world.admin)
    response = admin.post(reverse("people:staff_reset_second_factor", args=[world.owner.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new_code = response.context["enrolment_code"]
    assert new_code in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AuditEvent.all_objects.order_by("-seq").first()
    assert (event.action, event.object_id) == ("reset_second_factor", str(world.owner.pk))
    client = Client()
    response = post_password(client, user.username)
    assert response["Location"] == ENROL_URL
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=user)
    response = post_code(client, totp_code(device), url=ENROL_URL, enrolment_code=new_code)
    assert response["Location"] == HOME_URL


def test_reset_second_factor_requires_an_administrator(world, client_for):
    device = factories.confirmed_device(world.owner.user)
    url = reverse("people:staff_reset_second_factor", args=[world.owner.pk])
    assert client_for(world.outsider).post(url).status_code == 403
    assert client_for(world.admin).get(url).status_code == 405
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_enrolment_code_from_another_device_is_refused(world):
    user = world.owner.user
    enrolment_code = issue_enrolment_code(user)
    client = Client()
    post_password(client, user.username)
    client.get(ENROL_URL)
    other = TOTPDevice.objects.create(user=factories.UserFactory(), name="annen", confirmed=True)
    response = post_code(client, totp_code(other), url=ENROL_URL, enrolment_code=enrolment_code)
    assert response.status_code == 200
    assert not is_logged_in(client)
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_pending_second_step_expires_after_300_seconds(world):
    user = world.owner.user
    device = factories.confirmed_device(user)
    with time_machine.travel(_now(), tick=False) as traveller:
        client = Client()
        post_password(client, user.username)
        traveller.shift(datetime.timedelta(seconds=290))
        assert client.get(CODE_URL).status_code == 200
        traveller.shift(datetime.timedelta(seconds=11))
        response = post_code(client, totp_code(device))
        assert response.status_code == 302
        assert response["Location"] == LOGIN_URL
        assert not is_logged_in(client)
        assert client.get(HOME_URL)["Location"].startswith(LOGIN_URL)
    device.refresh_from_db()
    assert device.last_t == -1  # the code was never even checked


@pytest.mark.parametrize(
    ("bypass", "is_demo", "expected"),
    [(True, True, HOME_URL), (False, True, CODE_URL), (True, False, CODE_URL)],
    ids=["demo-user-bypass-on", "demo-user-bypass-off", "ordinary-user-bypass-on"],
)
def test_demo_bypass(world, settings, bypass, is_demo, expected):
    settings.MESTRING_DEMO_2FA_BYPASS = bypass
    user = world.owner.user
    user.is_demo = is_demo
    user.save()
    factories.confirmed_device(user)
    client = Client()
    response = post_password(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == expected
    if expected == HOME_URL:
        assert client.session[SECOND_FACTOR] == DEMO_BYPASS
        assert client.get(HOME_URL).status_code == 200
    else:
        assert not is_logged_in(client)
        assert client.get(HOME_URL)["Location"].startswith(LOGIN_URL)


def _unverified_session(kind: str, world: object, settings: object, client_for: object) -> Client:
    """A logged-in client whose session lacks a valid second factor, in several ways."""
    user = world.owner.user
    client = Client(raise_request_exception=False)
    if kind == "force-login-without-otp":
        client.force_login(user)
    elif kind == "demo-marker-for-ordinary-user":
        settings.MESTRING_DEMO_2FA_BYPASS = True
        client.force_login(user)
        session = client.session
        session[SECOND_FACTOR] = DEMO_BYPASS
        session.save()
    elif kind == "demo-session-after-bypass-off":
        settings.MESTRING_DEMO_2FA_BYPASS = True
        user.is_demo = True
        user.save()
        assert post_password(client, user.username)["Location"] == HOME_URL
        assert client.get(HOME_URL).status_code == 200
        settings.MESTRING_DEMO_2FA_BYPASS = False
    elif kind == "device-reset-by-admin":
        login(client, world.owner)
        assert client.get(HOME_URL).status_code == 200
        url = reverse("people:staff_reset_second_factor", args=[world.owner.pk])
        assert client_for(world.admin).post(url).status_code == 200
    assert is_logged_in(client)
    return client


UNVERIFIED = [
    "force-login-without-otp",
    "demo-marker-for-ordinary-user",
    "demo-session-after-bypass-off",
    "device-reset-by-admin",
]


@pytest.mark.parametrize("kind", UNVERIFIED)
def test_session_without_verified_second_factor_is_ended(world, settings, client_for, kind):
    client = _unverified_session(kind, world, settings, client_for)
    key = client.cookies["sessionid"].value
    response = client.get(HOME_URL)
    assert response.status_code != 200
    assert world.owner.user.get_full_name() not in response.content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    assert not is_logged_in(client)


@pytest.mark.parametrize("kind", UNVERIFIED)
def test_session_without_verified_second_factor_goes_to_login(world, settings, client_for, kind):
    client = _unverified_session(kind, world, settings, client_for)
    response = client.get(HOME_URL, follow=True)
    assert response.redirect_chain[0] == (LOGIN_URL, 302)
    assert response.status_code == 200
    assert "Logg inn med kode fra autentiseringsappen." in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_logout_is_post_only_and_ends_the_session_on_the_server(world):
    client = login(Client(), world.owner)
    key = client.cookies["sessionid"].value
    assert client.get(HOME_URL).status_code == 200

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(HOME_URL).status_code == 200  # GET did not log out

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(HOME_URL)["Location"].startswith(LOGIN_URL)

    # Replaying the old session cookie does not bring the session back.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(HOME_URL)["Location"].startswith(LOGIN_URL)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("https://evil.example/", HOME_URL),
        ("//evil.example/", HOME_URL),
        ("https:///evil.example/", HOME_URL),
        ("/personer/", "/personer/"),
    ],
)
def test_next_after_login_stays_on_site(world, next_url, expected):
    user = world.owner.user
    device = factories.confirmed_device(user)
    client = Client()
    response = post_password(client, user.username, next_url=next_url)
    assert response["Location"] == CODE_URL
    response = post_code(client, totp_code(device))
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "evil.example" not in response["Location"]


@pytest.mark.attack
def test_lock_out_does_not_reveal_which_usernames_exist(world, settings):
    """(L8) The password step answers an unknown username, a wrong password, the attempt
    that locks the account and a locked account with the same message, and still locks."""
    user = world.owner.user
    factories.confirmed_device(user)
    client = Client()
    limit = settings.MESTRING_LOGIN_MAX_FAILURES
    answers = [post_password(client, "finnes-ikke-i-det-hele-tatt", "feil-passord-helt-feil")]
    for _ in range(limit):  # the last of these locks the account
        answers.append(post_password(client, user.username, "feil-passord-helt-feil"))
    user.refresh_from_db()
    assert user.is_locked()
    answers.append(post_password(client, user.username))  # right password, locked
    answers.append(post_password(client, user.username, "feil-passord-helt-feil"))
    answers.append(post_password(client, "finnes-ikke-i-det-hele-tatt"))
    for response in answers:
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [GENERIC_ERROR]
        body = response.content.decode()
        assert "Kontoen er låst til" not in body
        assert "For mange mislykkede forsøk." not in body
    assert not is_logged_in(client)
    assert client.get(CODE_URL)["Location"] == LOGIN_URL


def _start_enrolment(user: object) -> tuple[Client, TOTPDevice]:
    client = Client()
    assert post_password(client, user.username)["Location"] == ENROL_URL
    assert client.get(ENROL_URL).status_code == 200
    return client, TOTPDevice.objects.get(user=user, confirmed=False)


@pytest.mark.attack
def test_the_password_alone_cannot_bind_an_authenticator(world, settings):
    """(L9) First-login enrolment needs the administrator's one-time enrolment code
    besides the password: without it, or with a wrong one, no authenticator is bound,
    and wrong codes count towards the lock-out."""
    user = world.owner.user
    issue_enrolment_code(user)  # the real user's code, which the attacker does not have
    client, device = _start_enrolment(user)
    with time_machine.travel(_now(), tick=False) as traveller:
        # No enrolment code at all: the form asks for it.
        response = post_code(client, totp_code(device), url=ENROL_URL)
        assert response.status_code == 200
        assert "Skriv inn registreringskoden du fikk av administrator." in (
            response.content.decode()
        )
        # Wrong enrolment codes, with a right app code, until the lock.
        for attempt in range(1, settings.MESTRING_LOGIN_MAX_FAILURES + 1):
            traveller.shift(datetime.timedelta(seconds=2))
            response = post_code(
                client, totp_code(device), url=ENROL_URL, enrolment_code="ABCD-2345"
            )
            if attempt < settings.MESTRING_LOGIN_MAX_FAILURES:
                assert response.status_code == 200
                assert "Registreringskoden stemmer ikke" in response.content.decode()
                user.refresh_from_db()
                assert user.failed_login_count == attempt
    assert response["Location"] == LOGIN_URL
    user.refresh_from_db()
    assert user.is_locked()
    assert not is_logged_in(client)
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.mark.attack
def test_a_user_without_an_enrolment_code_cannot_enrol(world):
    """(L9) A user for whom the administrator has issued no code (or whose code has
    expired or was used) is told to ask for one; nothing can be bound."""
    user = world.owner.user
    client = Client()
    assert post_password(client, user.username)["Location"] == ENROL_URL
    page = client.get(ENROL_URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "du har ingen gyldig kode" in body
    assert "totp-secret" not in body
    assert not TOTPDevice.objects.filter(user=user).exists()
    # An expired code is no code.
    code = issue_enrolment_code(user)
    assert "du har ingen gyldig kode" not in client.get(ENROL_URL).content.decode()
    get_user_model().objects.filter(pk=user.pk).update(
        enrolment_code_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert "du har ingen gyldig kode" in client.get(ENROL_URL).content.decode()
    user.refresh_from_db()
    code = issue_enrolment_code(user)
    # A used code cannot be used again (another login, after the first enrolment).
    client, device = _start_enrolment(user)
    post_code(client, totp_code(device), url=ENROL_URL, enrolment_code=code)
    device.refresh_from_db()
    assert device.confirmed
    TOTPDevice.objects.filter(user=user).delete()  # the phone is lost, but no new code
    user.refresh_from_db()
    assert user.enrolment_code == ""
    client = Client()
    post_password(client, user.username)
    assert "du har ingen gyldig kode" in client.get(ENROL_URL).content.decode()
    assert reset_second_factor(user) != code  # a new code, each time


def test_a_new_staff_member_enrols_with_the_code_shown_once_to_the_administrator(world, client_for):
    response = client_for(world.admin).post(
        reverse("people:staff_create"),
        {
            "username": "ny.ansatt",
            "first_name": "Nora",
            "last_name": "Ny",
            "profession": "sykepleier",
            "is_active": "on",
            "password": factories.PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = response.context["enrolment_code"]
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)
    assert code in response.content.decode()
    user = get_user_model().objects.get(username="ny.ansatt")
    assert code.replace("-", "") not in user.enrolment_code  # only the hash is kept
    client, device = _start_enrolment(user)
    response = post_code(client, totp_code(device), url=ENROL_URL, enrolment_code=code)
    assert response["Location"] == HOME_URL


def test_demo_users_enrol_without_an_enrolment_code(world, settings):
    settings.MESTRING_DEMO_2FA_BYPASS = False
    user = world.owner.user
    user.is_demo = True
    user.save(update_fields=["is_demo"])
    client, device = _start_enrolment(user)
    assert "enrolment_code" not in client.get(ENROL_URL).context["form"].fields
    response = post_code(client, totp_code(device), url=ENROL_URL)
    assert response["Location"] == HOME_URL
