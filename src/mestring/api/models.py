"""Personal API tokens: bound to one staff membership (user and municipality), with scopes.

Only a SHA-256 hash of the token is stored; the token itself is shown once.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.people.models import Staff
from mestring.tenancy.models import MunicipalityOwned

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# scope: label. Read and write per area.
SCOPES: dict[str, StrOrPromise] = {
    "persons:read": _("Personer: lese"),
    "persons:write": _("Personer: registrere"),
    "referrals:read": _("Meldinger om behov: lese"),
    "referrals:write": _("Meldinger om behov: registrere"),
    "cases:read": _("Saker og vedtak: lese"),
    "cases:write": _("Saker: registrere"),
    "plans:read": _("Individuelle planer, mål og tiltak: lese"),
    "plans:write": _("Individuelle planer: legge til og endre mål og tiltak"),
    "teams:read": _("Ansvarsgrupper og møter: lese"),
    "teams:write": _("Ansvarsgrupper og møter: registrere og endre"),
    "rehab:read": _("Rehabiliteringsforløp: lese"),
    "rehab:write": _("Rehabiliteringsforløp: registrere og endre"),
    "outcomes:read": _("Målinger (SPPB, COPM, PSFS): lese"),
    "outcomes:write": _("Målinger: registrere"),
    "stays:read": _("Institusjonsopphold: lese"),
    "stays:write": _("Institusjonsopphold: registrere og endre"),
    "devices:read": _("Hjelpemiddelutlån: lese"),
    "devices:write": _("Hjelpemiddelutlån: registrere og endre"),
}


class ApiToken(MunicipalityOwned):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("navn"), max_length=100)
    scopes = models.JSONField(_("tilganger"), default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    expires_at = models.DateTimeField(_("utløper"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")

    def __str__(self) -> str:
        return self.name

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now

    @property
    def scope_labels(self) -> list[str]:
        return [str(SCOPES.get(scope, scope)) for scope in self.scopes]
