"""What both ends of the citizen login share: the relying party (oidc.py) and the
development provider (devprovider.py), which must not import each other both ways."""

from __future__ import annotations

import base64
import hashlib

PENDING_KEY = "portal_oidc"  # the session key of a login under way
DEV_ISSUER_PATH = "/dev-oidc"  # where the development provider answers, on the site itself


def pkce_challenge(verifier: str) -> str:
    """PKCE's S256 challenge (RFC 7636): the relying party sends it, the provider checks it."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
