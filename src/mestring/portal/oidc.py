"""OpenID Connect relying party for the citizen login (ID-porten in production).

Authorization-code flow with `state`, `nonce` and PKCE (S256) kept in the session, the
code exchanged at the token endpoint (client_secret_post, or none without a secret),
and the ID token checked: RS256 signature against the provider's JWKS, `iss`, `aud`,
`exp`/`iat` with a small leeway, `nonce`, and the assurance level (`acr`), which must
reach `settings.MESTRING_OIDC_MIN_ACR`. The identity number comes from the claim
`settings.MESTRING_OIDC_ID_CLAIM` (ID-porten: `pid`).

Without `MESTRING_OIDC_ISSUER` the built-in development provider (devprovider.py) at the
site's own origin is used; the relying party then talks to it in-process, so that the
demo also works where the server cannot reach its own public address.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from mestring.portal import devprovider
from mestring.portal.oidc_common import DEV_ISSUER_PATH, PENDING_KEY, pkce_challenge

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PENDING_MAX_AGE = 15 * 60  # seconds a started login may take
LEEWAY = 60  # seconds of clock difference accepted for exp/iat
CACHE_SECONDS = 3600  # discovery document and JWKS
HTTP_TIMEOUT = 10

# Assurance levels, in order. The older ID-porten names are accepted beside the new.
ASSURANCE_RANK: dict[str, int] = {
    "Level3": 1,
    "idporten-loa-substantial": 1,
    "Level4": 2,
    "idporten-loa-high": 2,
}


class OidcError(Exception):
    """The login could not be completed; `message` is for the citizen, `code` for logs."""

    def __init__(self, code: str, message: StrOrPromise | None = None) -> None:
        self.code = code
        self.message = message or _("Innloggingen kunne ikke fullføres. Prøv å logge inn på nytt.")
        super().__init__(code)


class OidcNotConfigured(OidcError):
    def __init__(self) -> None:
        super().__init__(
            "not_configured",
            _("Innlogging for innbyggere er ikke satt opp her. Kontakt kommunen."),
        )


class AssuranceTooLow(OidcError):
    """The token was valid, but its assurance level is below the minimum."""

    def __init__(self, acr: str) -> None:
        self.acr = acr
        super().__init__(
            "acr_too_low",
            _(
                "Innloggingen må være på høyt sikkerhetsnivå. Logg inn på nytt med "
                "BankID, Buypass eller Commfides."
            ),
        )


@dataclass(frozen=True)
class Identity:
    national_id: str
    name: str
    acr: str


@dataclass(frozen=True)
class ProviderConfig:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    token_auth_methods: tuple[str, ...]


# --- Talking to the provider


class Transport(Protocol):
    def get_json(self, url: str) -> dict[str, Any]: ...

    def post_form(self, url: str, data: dict[str, str]) -> dict[str, Any]: ...


class HttpTransport:
    """urllib; every failure becomes an OidcError (never a 500)."""

    def _open(self, request: urllib.request.Request) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310 - http(s) only, see _require_http  # nosec B310
                body = response.read(1_000_000)
        except urllib.error.HTTPError as exc:
            raise OidcError(f"http_{exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OidcError("unreachable") from exc
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise OidcError("bad_json") from exc
        if not isinstance(data, dict):
            raise OidcError("bad_json")
        return data

    def get_json(self, url: str) -> dict[str, Any]:
        _require_http(url)
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        return self._open(request)

    def post_form(self, url: str, data: dict[str, str]) -> dict[str, Any]:
        _require_http(url)
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url,
            data=body,
            method="POST",
            headers={
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        return self._open(request)


def _require_http(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise OidcError("bad_url")


def issuer_for(request: HttpRequest) -> str:
    configured = settings.MESTRING_OIDC_ISSUER.strip().rstrip("/")
    if configured:
        return configured
    if not settings.MESTRING_DEV_OIDC:
        raise OidcNotConfigured()
    return request.build_absolute_uri(DEV_ISSUER_PATH).rstrip("/")


class LocalTransport:
    """The relying party's transport when the development provider is its own site."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer

    def get_json(self, url: str) -> dict[str, Any]:
        _enabled_or_error()
        if url == f"{self.issuer}/.well-known/openid-configuration":
            return devprovider.discovery_document(self.issuer)
        if url == f"{self.issuer}/jwks":
            return devprovider.jwks_document()
        raise OidcError("bad_url")

    def post_form(self, url: str, data: dict[str, str]) -> dict[str, Any]:
        _enabled_or_error()
        if url != f"{self.issuer}/token":
            raise OidcError("bad_url")
        try:
            return devprovider.exchange_code(self.issuer, data)
        except devprovider.TokenError as exc:
            raise OidcError(f"token_{exc.error}") from exc


def _enabled_or_error() -> None:
    if not settings.MESTRING_DEV_OIDC:
        raise OidcNotConfigured()


def transport_for(issuer: str) -> Transport:
    if not settings.MESTRING_OIDC_ISSUER.strip() and settings.MESTRING_DEV_OIDC:
        return LocalTransport(issuer)
    return HttpTransport()


# --- Discovery and keys, cached per issuer

_cache: dict[tuple[str, str], tuple[float, Any]] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _cached(kind: str, key: str, load: Any, *, refresh: bool = False) -> Any:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get((kind, key))
    if hit and hit[0] > now and not refresh:
        return hit[1]
    value = load()
    with _cache_lock:
        _cache[(kind, key)] = (now + CACHE_SECONDS, value)
    return value


def discover(issuer: str, transport: Transport) -> ProviderConfig:
    def load() -> ProviderConfig:
        doc = transport.get_json(f"{issuer}/.well-known/openid-configuration")
        try:
            config = ProviderConfig(
                issuer=str(doc["issuer"]).rstrip("/"),
                authorization_endpoint=str(doc["authorization_endpoint"]),
                token_endpoint=str(doc["token_endpoint"]),
                jwks_uri=str(doc["jwks_uri"]),
                token_auth_methods=tuple(
                    doc.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
                ),
            )
        except (KeyError, TypeError) as exc:
            raise OidcError("bad_discovery") from exc
        if config.issuer != issuer.rstrip("/"):
            raise OidcError("issuer_mismatch")
        return config

    return _cached("discovery", issuer, load)


def provider_keys(config: ProviderConfig, transport: Transport, *, refresh: bool = False) -> KeySet:
    def load() -> KeySet:
        try:
            # Only the key list is read; a document without one is a KeyError.
            return KeySet.import_key_set({"keys": transport.get_json(config.jwks_uri)["keys"]})
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise OidcError("bad_jwks") from exc

    return _cached("jwks", config.jwks_uri, load, refresh=refresh)


# --- Validating the ID token


def acr_sufficient(acr: str, minimum: str) -> bool:
    wanted = ASSURANCE_RANK.get(minimum)
    if wanted is None:  # an unknown minimum: only that exact level will do
        return bool(acr) and acr == minimum
    rank = ASSURANCE_RANK.get(acr)
    return rank is not None and rank >= wanted


def _display_name(claims: dict[str, Any]) -> str:
    name = str(claims.get("name") or "").strip()
    if not name:
        parts = [str(claims.get("given_name") or ""), str(claims.get("family_name") or "")]
        name = " ".join(p.strip() for p in parts if p.strip())
    return name[:200]


def validate_id_token(
    token: str,
    *,
    keys: KeySet,
    issuer: str,
    client_id: str,
    nonce: str,
    min_acr: str | None = None,
    id_claim: str | None = None,
    now: int | None = None,
) -> Identity:
    """Check an ID token and return who logged in. Raises OidcError / AssuranceTooLow."""
    min_acr = min_acr if min_acr is not None else settings.MESTRING_OIDC_MIN_ACR
    id_claim = id_claim or settings.MESTRING_OIDC_ID_CLAIM
    try:
        decoded = jwt.decode(token, keys, algorithms=["RS256"])
    except (JoseError, ValueError, TypeError) as exc:
        raise OidcError("bad_signature") from exc
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=LEEWAY,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OidcError(f"bad_claims:{getattr(exc, 'error', 'invalid')}") from exc
    current = now if now is not None else int(time.time())
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or iat > current + LEEWAY:
        raise OidcError("bad_claims:iat")
    aud = claims.get("aud")
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != client_id:
        raise OidcError("bad_claims:azp")
    acr = str(claims.get("acr") or "")
    if not acr_sufficient(acr, min_acr):
        raise AssuranceTooLow(acr)
    national_id = str(claims.get(id_claim) or "").strip()
    if not national_id:
        raise OidcError("no_id")
    return Identity(national_id=national_id, name=_display_name(claims), acr=acr)


# --- The flow


def start_login(request: HttpRequest, *, municipality_id: int) -> str:
    """Remember state, nonce and the PKCE verifier; return the provider's login address."""
    issuer = issuer_for(request)
    config = discover(issuer, transport_for(issuer))
    redirect_uri = request.build_absolute_uri(reverse("portal:callback"))
    # What the callback needs, kept in the session (JSON) until it comes.
    pending: dict[str, Any] = {
        "state": secrets.token_urlsafe(24),
        "nonce": secrets.token_urlsafe(24),
        "verifier": secrets.token_urlsafe(48),
        "issuer": issuer,
        "redirect_uri": redirect_uri,
        "municipality_id": municipality_id,
        "started": time.time(),
    }
    request.session[PENDING_KEY] = pending
    params = {
        "response_type": "code",
        "client_id": settings.MESTRING_OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": "openid profile",
        "state": pending["state"],
        "nonce": pending["nonce"],
        "code_challenge": pkce_challenge(pending["verifier"]),
        "code_challenge_method": "S256",
        "acr_values": settings.MESTRING_OIDC_MIN_ACR,
        "ui_locales": "nb",
    }
    separator = "&" if "?" in config.authorization_endpoint else "?"
    return f"{config.authorization_endpoint}{separator}{urllib.parse.urlencode(params)}"


def pending_login(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("started", 0)) > PENDING_MAX_AGE:
        return None
    return pending


def finish_login(request: HttpRequest) -> tuple[Identity, dict[str, Any]]:
    """Check the provider's answer to the callback; returns who logged in and the
    pending login (with municipality_id). The pending state is used up either way."""
    pending = pending_login(request)
    request.session.pop(PENDING_KEY, None)
    state = request.GET.get("state", "")
    if pending is None or not state or not secrets.compare_digest(state, pending["state"]):
        raise OidcError("bad_state")
    if request.GET.get("error"):
        raise OidcError(
            "provider_error",
            _("Innloggingen ble avbrutt. Du kan prøve igjen når du vil."),
        )
    code = request.GET.get("code", "")
    if not code:
        raise OidcError("no_code")
    issuer = pending["issuer"]
    transport = transport_for(issuer)
    config = discover(issuer, transport)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending["redirect_uri"],
        "client_id": settings.MESTRING_OIDC_CLIENT_ID,
        "code_verifier": pending["verifier"],
    }
    if settings.MESTRING_OIDC_CLIENT_SECRET:
        form["client_secret"] = settings.MESTRING_OIDC_CLIENT_SECRET
    answer = transport.post_form(config.token_endpoint, form)
    id_token = answer.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise OidcError("no_id_token")

    def check(keys: KeySet) -> Identity:
        return validate_id_token(
            id_token,
            keys=keys,
            issuer=config.issuer,
            client_id=settings.MESTRING_OIDC_CLIENT_ID,
            nonce=pending["nonce"],
        )

    try:
        identity = check(provider_keys(config, transport))
    except OidcError as exc:
        if exc.code != "bad_signature":
            raise
        identity = check(provider_keys(config, transport, refresh=True))  # keys rotated
    return identity, pending
