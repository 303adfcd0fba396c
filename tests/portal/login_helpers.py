"""Helpers for the citizen login tests: a test RSA key and signed ID tokens, and the
whole login through the development provider with the Django test client."""

from __future__ import annotations

import time
from functools import cache
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

ISSUER = "https://idporten.test"
CLIENT_ID = "mestring"
NONCE = "nonce-123"


@cache
def rsa_key() -> RSAKey:
    key = RSAKey.generate_key(2048, private=True)
    key.ensure_kid()
    return key


@cache
def other_key() -> RSAKey:
    key = RSAKey.generate_key(2048, private=True)
    key.ensure_kid()
    return key


def key_set(key: RSAKey | None = None) -> KeySet:
    key = key or rsa_key()
    public = key.as_dict(private=False)
    public.update({"kid": key.kid, "alg": "RS256", "use": "sig"})
    return KeySet.import_key_set({"keys": [public]})


def claims(**overrides: object) -> dict:
    now = int(time.time())
    data = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "abc",
        "iat": now,
        "exp": now + 120,
        "nonce": NONCE,
        "acr": "idporten-loa-high",
        "pid": "01817012345",
        "name": "Kari Testesen",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def sign(data: dict, key: RSAKey | None = None, kid: str | None = None) -> str:
    key = key or rsa_key()
    return jwt.encode({"alg": "RS256", "kid": kid or key.kid}, data, key)


def dev_login(
    client: Client,
    *,
    kommune: str,
    som: str,
    niva: str = "hoyt",
    follow_callback: bool = True,
):
    """Start at the login button, pick `som` ("person:<pk>" / "relative:<pk>") on the
    development provider, and (by default) follow the redirect back to the callback.
    Returns the callback's response (or the provider's answer when not followed)."""
    start = client.get(reverse("portal:login_start"), {"kommune": kommune})
    assert start.status_code == 302, start.status_code
    authorize = urlsplit(start["Location"])
    assert authorize.path == reverse("portal:dev_oidc_authorize")
    params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    page = client.get(authorize.path, params)
    assert page.status_code == 200
    answer = client.post(authorize.path, {**params, "som": som, "niva": niva, "kommune": kommune})
    assert answer.status_code == 302, answer.status_code
    if not follow_callback:
        return answer
    back = urlsplit(answer["Location"])
    assert back.path == reverse("portal:callback")
    return client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
