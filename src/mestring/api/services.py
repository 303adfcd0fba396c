"""Creating, revoking and checking personal API tokens. Each write is audited."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose
from mestring.api.models import SCOPES, ApiToken
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.people.models import Staff

TOKEN_PREFIX = "mst_"  # noqa: S105 (a prefix, not a secret)
# How often last_used_at is written at most (one UPDATE per token per minute).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenRuleError(RuleBroken):
    """A token request the rules do not allow; the message is for the user."""

    code = "token_rule"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    raw: str


def token_create(
    *,
    actor: Actor,
    staff: Staff,
    name: str,
    scopes: list[str],
    expires_at: datetime.datetime | None = None,
) -> CreatedToken:
    """A new token for the staff member; the raw token is returned once, never stored."""
    name = name.strip()
    if not name:
        raise TokenRuleError(_("Gi nøkkelen et navn."))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise TokenRuleError(_("Ukjent tilgang: %(scopes)s.") % {"scopes": ", ".join(unknown)})
    if not scopes:
        raise TokenRuleError(_("Velg minst én tilgang."))
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenRuleError(_("Utløpstidspunktet må være fram i tid."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            staff=staff,
            name=name[:100],
            scopes=[scope for scope in SCOPES if scope in scopes],
            token_hash=hash_token(raw),
            prefix=raw[: len(TOKEN_PREFIX) + 4],
            expires_at=expires_at,
        )
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="api_token",
            object_id=token.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return CreatedToken(token=token, raw=raw)


def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action=AuditAction.REVOKE,
            object_type="api_token",
            object_id=token.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return token


def token_for(raw: str) -> ApiToken | None:
    """The usable token with this value (any municipality), or None.

    Unknown, revoked and expired tokens, and tokens of an inactive staff member or of
    an inactive or locked user, are all None: the caller gives the same answer for each.
    A lock (too many failed logins) stops the account's tokens too, until it ends or an
    administrator lifts it.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.all_objects.select_related("staff__user", "staff__municipality")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if token is None or not token.is_usable():
        return None
    user = token.staff.user
    if not token.staff.is_active or not user.is_active or user.is_locked():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.all_objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
