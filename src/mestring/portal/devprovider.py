"""A development OpenID Connect provider: log in as a demo person or relative.

Only for the demo and tests. Every view answers 404 unless `settings.MESTRING_DEV_OIDC`
is on, and production refuses to start with it on (settings.py). It offers discovery,
JWKS, an authorize page (pick a person with an identity number and an assurance level)
and a token endpoint that checks the PKCE verifier, client id and redirect address and
signs an ID token with its own RSA key. The key is made once and kept in the data
directory (never in the repository). Codes are signed, live 60 seconds and are used once.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import urllib.parse
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from joserfc import jwt
from joserfc.jwk import RSAKey

from mestring.people.models import Person, Relative
from mestring.portal.oidc_common import DEV_ISSUER_PATH, PENDING_KEY, pkce_challenge
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality

CODE_SALT = "mestring.portal.dev-oidc.code"
CODE_MAX_AGE = 60
TOKEN_LIFETIME = 300
KEY_FILE = "dev-oidc-signing-key.pem"
ACR_CHOICES = {"hoyt": "idporten-loa-high", "betydelig": "idporten-loa-substantial"}
LIST_LIMIT = 40

_key_lock = threading.Lock()
_key: RSAKey | None = None


def signing_key() -> RSAKey:
    """The provider's key: from the data directory, or made now (and saved there)."""
    global _key
    with _key_lock:
        if _key is not None:
            return _key
        path = settings.DATA_DIR / KEY_FILE
        key = None
        try:
            key = RSAKey.import_key(path.read_bytes())
        except (OSError, ValueError):
            key = None
        if key is None:
            key = RSAKey.generate_key(2048, private=True)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch(mode=0o600, exist_ok=True)
                path.write_bytes(key.as_pem(private=True))
            except OSError:
                pass  # kept for this process only
        key.ensure_kid()
        _key = key
        return key


def _enabled() -> None:
    if not settings.MESTRING_DEV_OIDC:
        raise Http404


# --- The documents, also used in-process by the relying party (oidc.LocalTransport)


def discovery_document(issuer: str) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "jwks_uri": f"{issuer}/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": list(ACR_CHOICES.values()),
        "claims_supported": ["pid", "name", "acr", "nonce", "sub"],
    }


def jwks_document() -> dict[str, Any]:
    key = signing_key()
    public = {**key.as_dict(private=False), "use": "sig", "alg": "RS256", "kid": key.kid}
    return {"keys": [public]}


class TokenError(Exception):
    def __init__(self, error: str) -> None:
        self.error = error
        super().__init__(error)


def issue_code(*, national_id: str, name: str, acr: str, request_params: dict[str, str]) -> str:
    payload = {
        "jti": secrets.token_urlsafe(16),
        "pid": national_id,
        "name": name,
        "acr": acr,
        "nonce": request_params["nonce"],
        "client_id": request_params["client_id"],
        "redirect_uri": request_params["redirect_uri"],
        "challenge": request_params["code_challenge"],
    }
    return signing.dumps(payload, salt=CODE_SALT, compress=True)


def exchange_code(issuer: str, form: dict[str, str]) -> dict[str, Any]:
    """The token endpoint's work; raises TokenError with an OAuth error code."""
    if form.get("grant_type") != "authorization_code":
        raise TokenError("unsupported_grant_type")
    if form.get("client_id") != settings.MESTRING_OIDC_CLIENT_ID:
        raise TokenError("invalid_client")
    secret = settings.MESTRING_OIDC_CLIENT_SECRET
    if secret and not secrets.compare_digest(form.get("client_secret", ""), secret):
        raise TokenError("invalid_client")
    try:
        payload = signing.loads(form.get("code", ""), salt=CODE_SALT, max_age=CODE_MAX_AGE)
    except signing.BadSignature as exc:  # also SignatureExpired
        raise TokenError("invalid_grant") from exc
    if payload["client_id"] != form.get("client_id"):
        raise TokenError("invalid_grant")
    if payload["redirect_uri"] != form.get("redirect_uri"):
        raise TokenError("invalid_grant")
    verifier = form.get("code_verifier", "")
    if not verifier or not secrets.compare_digest(pkce_challenge(verifier), payload["challenge"]):
        raise TokenError("invalid_grant")
    # Used once: the first exchange claims the code's id.
    if not cache.add(f"dev-oidc-code:{payload['jti']}", 1, CODE_MAX_AGE * 2):
        raise TokenError("invalid_grant")
    key = signing_key()
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": payload["client_id"],
        "sub": hashlib.sha256(f"{issuer}:{payload['pid']}".encode()).hexdigest()[:32],
        "pid": payload["pid"],
        "name": payload["name"],
        "acr": payload["acr"],
        "amr": ["dev"],
        "nonce": payload["nonce"],
        "iat": now,
        "auth_time": now,
        "exp": now + TOKEN_LIFETIME,
    }
    id_token = jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)
    return {
        "access_token": secrets.token_urlsafe(24),
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME,
        "id_token": id_token,
    }


# --- Views


def _issuer(request: HttpRequest) -> str:
    return request.build_absolute_uri(DEV_ISSUER_PATH).rstrip("/")


@require_GET
def discovery(request: HttpRequest) -> HttpResponse:
    _enabled()
    return JsonResponse(discovery_document(_issuer(request)))


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    _enabled()
    return JsonResponse(jwks_document())


AUTHORIZE_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)


def _authorize_problem(request: HttpRequest, params: dict[str, str]) -> str:
    if params.get("response_type") != "code":
        return _("Ukjent response_type (bare «code» støttes).")
    if params.get("client_id") != settings.MESTRING_OIDC_CLIENT_ID:
        return _("Ukjent klient.")
    origin = request.build_absolute_uri("/")
    if not params.get("redirect_uri", "").startswith(origin):
        return _("Tilbakeadressen må være på dette nettstedet.")
    if "openid" not in params.get("scope", "").split():
        return _("Scope må inneholde «openid».")
    if not params.get("state") or not params.get("nonce"):
        return _("state og nonce mangler.")
    if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        return _("PKCE (S256) mangler.")
    return ""


def _municipality_for(request: HttpRequest) -> Municipality | None:
    number = request.GET.get("kommune") or request.POST.get("kommune")
    if number:
        found = Municipality.objects.filter(number=number).first()
        if found:
            return found
    pending = request.session.get(PENDING_KEY) or {}
    municipality_id = pending.get("municipality_id") if isinstance(pending, dict) else None
    if municipality_id:
        found = Municipality.objects.filter(pk=municipality_id).first()
        if found:
            return found
    return Municipality.objects.order_by("number").first()


def _identities(municipality: Municipality) -> tuple[list[dict], list[dict]]:
    """Relatives and persons with an identity number in the municipality, for the list."""
    with activate(municipality):
        relatives = []
        seen: set[str] = set()
        for relative in (
            Relative.objects.exclude(national_id="")
            .select_related("person")
            .order_by("name", "pk")[:LIST_LIMIT]
        ):
            if relative.national_id in seen:
                continue
            seen.add(relative.national_id)
            relatives.append(
                {
                    "ref": f"relative:{relative.pk}",
                    "name": relative.name,
                    "about": _("%(relation)s til %(person)s%(basis)s")
                    % {
                        "relation": relative.get_relation_display(),
                        "person": relative.person.full_name,
                        "basis": f" ({relative.get_acting_basis_display().lower()})"
                        if relative.acting_basis
                        else "",
                    },
                }
            )
        persons = [
            {
                "ref": f"person:{person.pk}",
                "name": person.full_name,
                "about": _("født %(date)s") % {"date": person.birth_date.strftime("%d.%m.%Y")},
            }
            for person in Person.objects.exclude(national_id="")
            .exclude(national_id__in=seen)  # already listed as a relative
            .order_by("family_name", "given_name", "pk")[:LIST_LIMIT]
        ]
    return relatives, persons


def _resolve(municipality: Municipality, ref: str) -> tuple[str, str] | None:
    kind, _sep, pk = ref.partition(":")
    if not pk.isdigit():
        return None
    with activate(municipality):
        if kind == "person":
            person = Person.objects.exclude(national_id="").filter(pk=int(pk)).first()
            if person:
                return person.national_id, person.full_name
        if kind == "relative":
            relative = Relative.objects.exclude(national_id="").filter(pk=int(pk)).first()
            if relative:
                return relative.national_id, relative.name
    return None


@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    _enabled()
    source = request.POST if request.method == "POST" else request.GET
    params = {name: source.get(name, "") for name in AUTHORIZE_PARAMS}
    problem = _authorize_problem(request, params)
    if problem:
        return render(request, "portal/auth/dev_authorize.html", {"problem": problem}, status=400)
    municipality = _municipality_for(request)
    redirect_uri = params["redirect_uri"]

    def back(**answer: str) -> HttpResponse:
        query = urllib.parse.urlencode({**answer, "state": params["state"]})
        separator = "&" if "?" in redirect_uri else "?"
        return HttpResponseRedirect(f"{redirect_uri}{separator}{query}")

    error = ""
    if request.method == "POST":
        if "avbryt" in request.POST:
            return back(error="access_denied")
        acr = ACR_CHOICES.get(request.POST.get("niva", ""), "")
        who = _resolve(municipality, request.POST.get("som", "")) if municipality else None
        if acr and who:
            code = issue_code(national_id=who[0], name=who[1], acr=acr, request_params=params)
            return back(code=code)
        error = _("Velg sikkerhetsnivå og hvem du vil logge inn som.")
    relatives, persons = _identities(municipality) if municipality else ([], [])
    context = {
        "params": params,
        "municipality": municipality,
        "relatives": relatives,
        "persons": persons,
        "level": request.POST.get("niva", "hoyt"),
        "error": error,
    }
    return render(request, "portal/auth/dev_authorize.html", context, status=400 if error else 200)


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    _enabled()
    try:
        answer = exchange_code(_issuer(request), request.POST.dict())
    except TokenError as exc:
        status = 401 if exc.error == "invalid_client" else 400
        return JsonResponse({"error": exc.error}, status=status)
    response = JsonResponse(answer)
    response["Cache-Control"] = "no-store"
    return response
