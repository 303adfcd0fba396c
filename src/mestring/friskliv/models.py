"""Frisklivsresept: a referral to the municipality's frisklivssentral for a period
(usually 12 weeks) of guided activity, which starts with a health conversation and
ends completed or not."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Person, Staff
from mestring.tenancy.models import MunicipalityOwned

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReferrerKind(models.TextChoices):
    GP = "fastlege", _("Fastlege")
    HOSPITAL = "sykehus", _("Sykehus")
    NAV = "nav", _("NAV")
    HOME_CARE = "hjemmetjeneste", _("Hjemmetjeneste")
    SELF = "selvhenvist", _("Selvhenvist")
    OTHER = "annet", _("Annet")


class Reason(models.TextChoices):
    MUSCULOSKELETAL = "muskel_skjelett", _("Muskel/skjelett")
    OVERWEIGHT = "overvekt", _("Overvekt")
    INACTIVITY = "inaktivitet", _("Inaktivitet")
    MENTAL = "psykisk", _("Psykiske plager")
    SLEEP = "sovn", _("Søvnvansker")
    TOBACCO = "royk_snus", _("Røyk/snus")
    DIET = "kosthold", _("Kosthold")
    OTHER = "annet", _("Annet")


class PrescriptionStatus(models.TextChoices):
    REFERRED = "henvist", _("Henvist")
    RUNNING = "pagaende", _("Pågår")
    ENDED = "avsluttet", _("Avsluttet")


# Referred → running (the health conversation) → ended; a referral can also end
# without starting (the person never came).
TRANSITIONS: dict[str, set[str]] = {
    PrescriptionStatus.REFERRED: {PrescriptionStatus.RUNNING, PrescriptionStatus.ENDED},
    PrescriptionStatus.RUNNING: {PrescriptionStatus.ENDED},
    PrescriptionStatus.ENDED: set(),
}


class Prescription(MunicipalityOwned, Stateful):
    status_transitions = TRANSITIONS
    status_history = "status_changes"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="prescriptions")
    referral_date = models.DateField(_("henvist dato"))
    referrer_kind = models.CharField(
        _("henviser"), max_length=20, choices=ReferrerKind.choices, blank=True
    )
    referrer_name = models.CharField(_("navn på henviser"), max_length=150, blank=True)
    reason = models.CharField(_("årsak"), max_length=20, choices=Reason.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PrescriptionStatus.choices,
        default=PrescriptionStatus.REFERRED,
    )
    start_date = models.DateField(_("helsesamtale / periodestart"), null=True, blank=True)
    period_weeks = models.PositiveSmallIntegerField(_("periode i uker"), default=12)
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)
    # None while running, or when unknown (imported without an answer).
    completed = models.BooleanField(_("gjennomført"), null=True, blank=True)
    end_note = models.TextField(_("merknad ved avslutning"), max_length=2000, blank=True)
    contact = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kontaktperson"),
    )
    # The care relation the contact got with the prescription; ended when it ends.
    care_relation = models.ForeignKey(
        "access.CareRelation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referral_date", "-pk"]
        verbose_name = _("frisklivsresept")
        verbose_name_plural = _("frisklivsresepter")
        indexes = [
            models.Index(fields=["municipality", "referral_date"]),
            models.Index(fields=["municipality", "status"]),
        ]

    def __str__(self) -> str:
        return f"{_('Frisklivsresept')} {self.referral_date:%d.%m.%Y}"

    @property
    def planned_end(self) -> datetime.date | None:
        if self.start_date is None:
            return None
        return self.start_date + datetime.timedelta(weeks=self.period_weeks)

    @property
    def is_open(self) -> bool:
        return self.status != PrescriptionStatus.ENDED


class PrescriptionStatusChange(MunicipalityOwned, StatusHistory):
    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    @property
    def from_label(self) -> StrOrPromise:
        return PrescriptionStatus(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> StrOrPromise:
        return PrescriptionStatus(self.to_status).label
