"""The login against a real HTTP server: the relying party fetches the discovery
document, the JWKS and the token over HTTP from the development provider on the live
server, configured as an ordinary external issuer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.portal import oidc
from mestring.portal.session import SESSION_KEY
from tests.portal.login_helpers import dev_login

HOME = "/min-side/"


@pytest.fixture
def external_issuer(live_server, settings):
    settings.MESTRING_DEV_OIDC = True
    settings.MESTRING_OIDC_ISSUER = f"{live_server.url}/dev-oidc"
    oidc.clear_cache()
    yield settings.MESTRING_OIDC_ISSUER
    oidc.clear_cache()


def test_uses_http_for_a_configured_issuer(external_issuer):
    assert isinstance(oidc.transport_for(external_issuer), oidc.HttpTransport)
    config = oidc.discover(external_issuer, oidc.HttpTransport())
    assert config.token_endpoint == f"{external_issuer}/token"
    keys = oidc.provider_keys(config, oidc.HttpTransport())
    assert keys.keys


def test_full_login_over_http(client, world, external_issuer):
    start = client.get(reverse("portal:login_start"), {"kommune": "9001"})
    assert start["Location"].startswith(f"{external_issuer}/authorize?")
    response = dev_login(client, kommune="9001", som=f"person:{world.person.pk}")
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.session[SESSION_KEY]["acting_for_id"] == world.person.pk


def test_low_assurance_refused_over_http(client, world, external_issuer):
    response = dev_login(client, kommune="9001", som=f"person:{world.person.pk}", niva="betydelig")
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_unreachable_provider_is_a_clear_message(client, world, settings):
    settings.MESTRING_OIDC_ISSUER = "http://127.0.0.1:9/finnes-ikke"
    oidc.clear_cache()
    response = client.get(reverse("portal:login_start"), {"kommune": "9001"})
    assert response.status_code == 503
    assert "Innloggingen kunne ikke fullføres" in response.text
