"""(L1) Who is named in the person's own access log on Min side: the person's own
logins and pages as the person, a relative's as that relative, never the other way."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from mestring.portal import oidc
from tests.portal.login_helpers import dev_login
from tests.portal.pages_helpers import citizen_client, make_attorney

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dev_provider(settings):
    settings.MESTRING_DEV_OIDC = True
    settings.MESTRING_OIDC_ISSUER = ""
    settings.MESTRING_OIDC_MIN_ACR = "idporten-loa-high"
    oidc.clear_cache()
    yield
    oidc.clear_cache()


def _rows(html: str) -> list[str]:
    """The access log's table rows as plain text, one per event."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


@pytest.mark.attack
def test_own_login_is_labelled_as_the_person_herself(world):
    """(L1) A person's own login appears as "Du selv", not as a relative on her behalf."""
    client = Client()
    dev_login(client, kommune="9001", som=f"person:{world.person.pk}")
    rows = _rows(client.get(reverse("portal:access_log")).content.decode())
    login_rows = [row for row in rows if "Logget inn" in row]
    assert len(login_rows) == 1, rows
    row = login_rows[0]
    assert "Du selv" in row
    assert "Pårørende" not in row and "På vegne av" not in row
    assert "innbygger-innlogging" not in row and "login" not in row


@pytest.mark.attack
def test_relatives_login_and_pages_are_labelled_as_the_relative(world):
    """(L1) A relative's login and views are named as the relative acting on the
    person's behalf; the person's own views stay "Du selv"."""
    attorney = make_attorney(world.person, name="Fred Fullmektig")
    relative_client = Client()
    dev_login(relative_client, kommune="9001", som=f"relative:{attorney.pk}")
    relative_client.get(reverse("portal:plan"))
    own = citizen_client(world.person)
    own.get(reverse("portal:plan"))
    rows = _rows(own.get(reverse("portal:access_log")).content.decode())
    relative_rows = [row for row in rows if "Fred Fullmektig" in row]
    assert relative_rows and any("Logget inn" in row for row in relative_rows), rows
    for row in relative_rows:
        assert "Pårørende" in row and "På vegne av deg (fullmakt)" in row
        assert "Du selv" not in row
    own_rows = [row for row in rows if "Du selv" in row]
    assert own_rows
    for row in own_rows:
        assert "Pårørende" not in row and "På vegne av" not in row
