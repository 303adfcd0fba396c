"""The public face of a municipality: its profile for citizens, and the user
organisations that register themselves and are published once staff approve them.

An approved organisation updates its own entry through a personal link sent by
e-mail. Only a SHA-256 hash of the link's random token is stored, with an expiry; a
new link replaces the old one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Staff, Unit
from mestring.tenancy.models import MunicipalityOwned


class OrganisationStatus(models.TextChoices):
    PENDING = "venter", _("Venter på godkjenning")
    APPROVED = "godkjent", _("Godkjent og publisert")
    REJECTED = "avvist", _("Avvist")


# Staff may take an approved entry down again, and approve a rejected one after all.
ORGANISATION_TRANSITIONS: dict[str, set[str]] = {
    OrganisationStatus.PENDING: {OrganisationStatus.APPROVED, OrganisationStatus.REJECTED},
    OrganisationStatus.APPROVED: {OrganisationStatus.REJECTED},
    OrganisationStatus.REJECTED: {OrganisationStatus.APPROVED},
}


class UserOrganisation(MunicipalityOwned, Stateful):
    status_transitions = ORGANISATION_TRANSITIONS
    status_history = "history"

    name = models.CharField(_("navn på organisasjonen"), max_length=150)
    contact_name = models.CharField(_("kontaktperson"), max_length=150)
    email = models.EmailField(_("e-post"), max_length=254)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    website = models.URLField(_("nettside"), max_length=300, blank=True)
    purpose = models.TextField(_("formål og tilbud"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("sendt inn"), default=timezone.now)
    updated_at = models.DateTimeField(_("sist endret"), default=timezone.now)
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    approved_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(_("avvist"), null=True, blank=True)
    rejection_reason = models.TextField(_("grunn til avvisning"), max_length=1000, blank=True)
    edit_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    edit_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    if TYPE_CHECKING:
        # Not a field: services.organisation_approve sets it to whether the e-mail with
        # the personal link went out, for the page to warn when it did not.
        link_sent: bool

    class Meta:
        ordering = ["name"]
        verbose_name = _("brukerorganisasjon")
        verbose_name_plural = _("brukerorganisasjoner")
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status == OrganisationStatus.REJECTED

    @property
    def may_be_approved(self) -> bool:
        return self.can_become(OrganisationStatus.APPROVED)

    @property
    def may_be_rejected(self) -> bool:
        return self.can_become(OrganisationStatus.REJECTED)


class OrganisationStatusChange(MunicipalityOwned, StatusHistory):
    organisation = models.ForeignKey(
        UserOrganisation, on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(
        _("fra status"), max_length=10, choices=OrganisationStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=10, choices=OrganisationStatus.choices)

    class Meta(StatusHistory.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class EventKind(models.TextChoices):
    COURSE = "kurs", _("Kurs")
    EVENT = "arrangement", _("Arrangement")


class OrganisationEvent(MunicipalityOwned):
    organisation = models.ForeignKey(
        UserOrganisation, on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("tittel"), max_length=150)
    kind = models.CharField(
        _("type"), max_length=12, choices=EventKind.choices, default=EventKind.EVENT
    )
    starts_on = models.DateField(_("dato"))
    place = models.CharField(_("sted"), max_length=200, blank=True)
    description = models.TextField(_("beskrivelse"), max_length=2000, blank=True)

    class Meta:
        ordering = ["starts_on", "title"]
        verbose_name = _("kurs eller arrangement")
        verbose_name_plural = _("kurs og arrangementer")

    def __str__(self) -> str:
        return self.title


class PublicProfile(MunicipalityOwned):
    """What the public service catalogue says about the municipality and whom to contact."""

    intro = models.TextField(_("innledning"), max_length=3000, blank=True)
    how_to_apply = models.TextField(
        _("slik søker du eller sender en melding om behov"), max_length=3000, blank=True
    )
    coordinating_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("koordinerende enhet"),
    )
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    address = models.CharField(_("besøksadresse"), max_length=200, blank=True)
    opening_hours = models.CharField(_("åpningstider"), max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("offentlig profil")
        verbose_name_plural = _("offentlige profiler")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="one_public_profile")]

    def __str__(self) -> str:
        return str(_("Offentlig profil"))
