"""(M7) The citizen's session on Min side ends after a time without activity
(MESTRING_CITIZEN_IDLE_MINUTES, 15 by default); the staff's timeouts are their own."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mestring.portal.session import SESSION_KEY
from tests.conftest import login
from tests.portal.pages_helpers import citizen_client

pytestmark = pytest.mark.django_db

MINUTES = datetime.timedelta(minutes=1)
MESSAGE = "Du ble logget ut av Min side fordi du ikke hadde vært aktiv på 15 minutter."


@pytest.fixture
def traveller():
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as t:
        yield t


def _logged_in(world) -> Client:
    client = citizen_client(world.person)
    assert client.get(reverse("portal:home")).status_code == 200
    return client


@pytest.mark.attack
def test_idle_citizen_is_logged_out_after_the_timeout(world, traveller):
    """(M7) 16 minutes without a request: the citizen session is gone, the browser is
    sent to the login page of the municipality with a Norwegian message saying why."""
    client = _logged_in(world)
    traveller.shift(14 * MINUTES)
    assert client.get(reverse("portal:plan")).status_code == 200
    traveller.shift(16 * MINUTES)
    response = client.get(reverse("portal:plan"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?kommune=9001"
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert MESSAGE in page
    # Coming back later, or travelling back in time, does not revive it.
    traveller.shift(-20 * MINUTES)
    again = client.get(reverse("portal:plan"))
    assert again.status_code == 302 and again["Location"] == reverse("portal:login")


@pytest.mark.attack
def test_a_write_after_the_timeout_is_not_done(world, traveller):
    """(M7) A form posted after the idle limit is not carried out, nor audited as the
    citizen's."""
    from mestring.portal.models import Message

    client = _logged_in(world)
    traveller.shift(20 * MINUTES)
    response = client.post(reverse("portal:messages"), {"body": "Hei"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))
    assert not Message.all_objects.exists()


def test_activity_keeps_the_session_alive(world, traveller):
    from mestring.portal.session import LAST_ACTIVE_KEY

    client = _logged_in(world)
    for _ in range(6):  # an hour in all, each step under the limit
        traveller.shift(10 * MINUTES)
        assert client.get(reverse("portal:home")).status_code == 200
    assert SESSION_KEY in client.session
    assert client.session[LAST_ACTIVE_KEY] == pytest.approx(
        datetime.datetime.now(tz=datetime.UTC).timestamp()
    )


def test_the_login_stamps_the_activity(world, settings, traveller):
    from mestring.portal import oidc
    from tests.portal.login_helpers import dev_login

    settings.MESTRING_DEV_OIDC = True
    settings.MESTRING_OIDC_ISSUER = ""
    oidc.clear_cache()
    try:
        client = Client()
        dev_login(client, kommune="9001", som=f"person:{world.person.pk}")
        traveller.shift(14 * MINUTES)
        assert client.get(reverse("portal:home")).status_code == 200
        traveller.shift(16 * MINUTES)
        assert client.get(reverse("portal:home")).status_code == 302
    finally:
        oidc.clear_cache()


def test_the_limit_is_a_setting(world, settings, traveller):
    settings.MESTRING_CITIZEN_IDLE_SECONDS = 5 * 60
    client = _logged_in(world)
    traveller.shift(6 * MINUTES)
    response = client.get(reverse("portal:home"), follow=True)
    assert "ikke hadde vært aktiv på 5 minutter" in response.content.decode()


def test_the_limit_is_read_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MESTRING_")}
    env.pop("DATABASE_URL", None)
    env.update(
        MESTRING_DATA_DIR=str(tmp_path),
        MESTRING_CITIZEN_IDLE_MINUTES="7",
        DJANGO_SETTINGS_MODULE="mestring.settings",
        PYTHONWARNINGS="ignore",
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.MESTRING_CITIZEN_IDLE_SECONDS, "
        "settings.MESTRING_SESSION_IDLE_SECONDS]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [7 * 60, 30 * 60]


def test_staff_sessions_keep_their_own_limit(world, traveller):
    """Staff have their own idle limit (30 minutes); the citizen's does not touch them."""
    client = login(Client(), world.owner)
    assert client.get("/").status_code == 200
    traveller.shift(20 * MINUTES)
    assert client.get("/").status_code == 200


def test_an_active_citizen_is_logged_out_after_the_absolute_limit(world, traveller):
    """A session in use all the time still ends after MESTRING_CITIZEN_ABSOLUTE_HOURS
    (4 by default), with a message saying why."""
    client = _logged_in(world)
    for _step in range(23):  # 23 × 10 minutes = 3 h 50 min, never idle
        traveller.shift(10 * MINUTES)
        assert client.get(reverse("portal:plan")).status_code == 200
    traveller.shift(11 * MINUTES)
    response = client.get(reverse("portal:plan"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?kommune=9001"
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "fordi du hadde vært innlogget i 4 timer" in page
