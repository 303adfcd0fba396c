"""Idle (30 min) and absolute (10 h) session timeouts, enforced by SessionTimeoutMiddleware."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from tests.accounts.helpers import (
    HOME_URL,
    LOGIN_URL,
    is_logged_in,
)
from tests.conftest import login

pytestmark = pytest.mark.django_db

IDLE_MESSAGE = "Du ble logget ut fordi du ikke hadde vært aktiv på en stund."
ABSOLUTE_MESSAGE = "Du ble logget ut fordi økten var for gammel. Logg inn på nytt."
MINUTES = datetime.timedelta(minutes=1)


@pytest.fixture
def traveller():
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as t:
        yield t


def _logged_in(world: object) -> Client:
    client = login(Client(raise_request_exception=False), world.owner)
    assert client.get(HOME_URL).status_code == 200
    return client


def test_request_every_20_minutes_keeps_the_session_alive(world, traveller):
    client = _logged_in(world)
    for _ in range(4):  # 80 minutes in all, well past the 30-minute idle limit
        traveller.shift(20 * MINUTES)
        response = client.get(HOME_URL)
        assert response.status_code == 200
    assert is_logged_in(client)


def test_idle_session_is_ended_after_31_minutes(world, traveller):
    client = _logged_in(world)
    traveller.shift(29 * MINUTES)
    assert client.get(HOME_URL).status_code == 200
    traveller.shift(31 * MINUTES)
    response = client.get(HOME_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert not is_logged_in(client)
    # Going back in time does not revive it: the session is gone for good.
    traveller.shift(-30 * MINUTES)
    assert client.get(HOME_URL)["Location"].startswith(LOGIN_URL)


def test_idle_timeout_tells_the_user_why(world, traveller):
    client = _logged_in(world)
    traveller.shift(31 * MINUTES)
    response = client.get(HOME_URL, follow=True)
    assert response.redirect_chain[0] == (LOGIN_URL, 302)
    assert IDLE_MESSAGE in response.content.decode()


def _active_until_just_before_absolute_limit(world: object, traveller: object) -> Client:
    client = _logged_in(world)
    for _ in range(30):  # every 20 minutes for 10 hours: 00:20 ... 10:00
        traveller.shift(20 * MINUTES)
        assert client.get(HOME_URL).status_code == 200
    return client


def test_absolute_timeout_ends_an_active_session_after_10_hours(world, traveller):
    client = _active_until_just_before_absolute_limit(world, traveller)
    key = client.cookies["sessionid"].value
    traveller.shift(1 * MINUTES)  # 10 h 01 min after login, 1 minute after the last request
    response = client.get(HOME_URL)
    assert response.status_code != 200
    assert not Session.objects.filter(session_key=key).exists()
    assert not is_logged_in(client)
    assert client.get(HOME_URL)["Location"].startswith(LOGIN_URL)


def test_absolute_timeout_redirects_to_login_with_message(world, traveller):
    client = _active_until_just_before_absolute_limit(world, traveller)
    traveller.shift(1 * MINUTES)
    response = client.get(HOME_URL, follow=True)
    assert response.redirect_chain[0] == (LOGIN_URL, 302)
    assert ABSOLUTE_MESSAGE in response.content.decode()
