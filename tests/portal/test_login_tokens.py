"""ID token validation: signature, issuer, audience, time, nonce, assurance level and
the identity claim, with real tokens signed by a test RSA key."""

from __future__ import annotations

import time

import pytest

from mestring.portal import oidc
from tests.portal.login_helpers import (
    CLIENT_ID,
    ISSUER,
    NONCE,
    claims,
    key_set,
    other_key,
    rsa_key,
    sign,
)


def validate(token: str, **kwargs: object) -> oidc.Identity:
    options = {
        "keys": key_set(),
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "nonce": NONCE,
        "min_acr": "idporten-loa-high",
        "id_claim": "pid",
    }
    options.update(kwargs)
    return oidc.validate_id_token(token, **options)


def test_good_token_gives_the_identity():
    identity = validate(sign(claims()))
    assert identity == oidc.Identity(
        national_id="01817012345", name="Kari Testesen", acr="idporten-loa-high"
    )


def test_name_from_given_and_family_name():
    token = sign(claims(name=None, given_name="Ola", family_name="Nordmann"))
    assert validate(token).name == "Ola Nordmann"


def test_wrong_signature_is_refused():
    # Signed by another key that claims the trusted key's kid.
    token = sign(claims(), key=other_key(), kid=rsa_key().kid)
    with pytest.raises(oidc.OidcError) as caught:
        validate(token)
    assert caught.value.code == "bad_signature"


def test_tampered_payload_is_refused():
    header, payload, signature = sign(claims()).split(".")
    forged = sign(claims(pid="01017099999")).split(".")[1]
    with pytest.raises(oidc.OidcError):
        validate(f"{header}.{forged[:-2]}{payload[-2:]}.{signature}")
    with pytest.raises(oidc.OidcError):
        validate(f"{header}.{forged}.{signature}")


@pytest.mark.parametrize(
    "override",
    [
        {"aud": "en-annen-klient"},
        {"iss": "https://falsk.example"},
        {"nonce": "en-annen"},
        {"nonce": None},
        {"exp": int(time.time()) - 3600},
        {"iat": int(time.time()) + 3600, "exp": int(time.time()) + 7200},
        {"iat": None},
    ],
    ids=[
        "wrong-audience",
        "wrong-issuer",
        "wrong-nonce",
        "no-nonce",
        "expired",
        "future",
        "no-iat",
    ],
)
def test_bad_claims_are_refused(override):
    with pytest.raises(oidc.OidcError) as caught:
        validate(sign(claims(**override)))
    assert not isinstance(caught.value, oidc.AssuranceTooLow)


def test_small_clock_difference_is_accepted():
    now = int(time.time())
    validate(sign(claims(exp=now - 30, iat=now - 200)))


@pytest.mark.parametrize("acr", ["idporten-loa-substantial", "Level3", "", None, "noe-annet"])
def test_low_or_missing_assurance_is_refused(acr):
    with pytest.raises(oidc.AssuranceTooLow) as caught:
        validate(sign(claims(acr=acr)))
    assert "høyt sikkerhetsnivå" in str(caught.value.message)


@pytest.mark.parametrize("acr", ["idporten-loa-high", "Level4"])
def test_high_assurance_is_accepted(acr):
    assert validate(sign(claims(acr=acr))).acr == acr


def test_substantial_accepted_when_that_is_the_minimum():
    token = sign(claims(acr="idporten-loa-substantial"))
    assert validate(token, min_acr="idporten-loa-substantial").national_id == "01817012345"
    assert validate(sign(claims(acr="Level4")), min_acr="Level3")


def test_missing_identity_number_is_refused():
    with pytest.raises(oidc.OidcError) as caught:
        validate(sign(claims(pid=None)))
    assert caught.value.code == "no_id"


def test_identity_claim_is_configurable():
    token = sign(claims(pid=None, fnr="01817012345"))
    assert validate(token, id_claim="fnr").national_id == "01817012345"


def test_assurance_order():
    assert oidc.acr_sufficient("idporten-loa-high", "idporten-loa-substantial")
    assert oidc.acr_sufficient("Level4", "idporten-loa-high")
    assert not oidc.acr_sufficient("Level3", "idporten-loa-high")
    assert not oidc.acr_sufficient("", "idporten-loa-substantial")


def test_pkce_challenge_matches_rfc_7636_example():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert oidc.pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
