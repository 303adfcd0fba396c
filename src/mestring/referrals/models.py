"""Messages of need (meldinger) and their triage (pyramid level, who is responsible)."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Person, Staff, Unit
from mestring.referrals.choices import CarePlace, Urgency
from mestring.referrals.rules import due_on
from mestring.tenancy.models import MunicipalityOwned


class ReferralSource(models.TextChoices):
    GP = "fastlege", _("Fastlege")
    HOSPITAL = "helseforetak", _("Helseforetak / sykehus")
    HOME_CARE = "hjemmetjeneste", _("Hjemmetjenesten")
    HEALTH_STATION = "helsestasjon", _("Helsestasjon / skolehelsetjeneste")
    SCHOOL = "skole_ppt", _("Skole / PPT")
    NAV = "nav", _("NAV")
    PERSON = "personen", _("Personen selv")
    RELATIVE = "parorende", _("Pårørende")
    OTHER = "annet", _("Annet")


class ReferralStatus(models.TextChoices):
    RECEIVED = "mottatt", _("Mottatt")
    ASSESSING = "under_vurdering", _("Under vurdering")
    CASE_OPENED = "sak_opprettet", _("Sak opprettet")
    FORWARDED = "videresendt", _("Videresendt")
    CLOSED = "avsluttet", _("Avsluttet")


# Allowed status changes; the last three are final.
REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.RECEIVED: {
        ReferralStatus.ASSESSING,
        ReferralStatus.CASE_OPENED,
        ReferralStatus.FORWARDED,
        ReferralStatus.CLOSED,
    },
    ReferralStatus.ASSESSING: {
        ReferralStatus.CASE_OPENED,
        ReferralStatus.FORWARDED,
        ReferralStatus.CLOSED,
    },
}
OPEN_REFERRAL_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.ASSESSING)


class PyramidLevel(models.IntegerChoices):
    """The rehabilitation pyramid: from prevention (1) to the specialist health service (5)."""

    PREVENTION = 1, _("1 Forebygging og egenmestring")
    LOW_THRESHOLD = 2, _("2 Lavterskeltilbud og hverdagsrehabilitering")
    MUNICIPAL_REHAB = 3, _("3 Kommunal rehabilitering")
    COMPLEX_MUNICIPAL = 4, _("4 Sammensatt rehabilitering i kommunen og i samarbeid")
    SPECIALIST = 5, _("5 Spesialisthelsetjenesten")


factor_validators = [MinValueValidator(1), MaxValueValidator(5)]


class Referral(MunicipalityOwned, Stateful):
    status_transitions = REFERRAL_TRANSITIONS
    status_history = "history"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(_("fra"), max_length=20, choices=ReferralSource.choices)
    source_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avsender (enhet)"),
    )
    received_on = models.DateField(_("mottatt"))
    description = models.TextField(_("beskrivelse av behovet"), max_length=5000)
    urgency = models.CharField(
        _("hastegrad"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    status_reason = models.CharField(_("begrunnelse"), max_length=500, blank=True)
    forwarded_to = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, related_name="+")
    # Who handles the message: taken from the inbox or given by a colleague. The handler
    # sees the message (not the record) while it is open.
    handler = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandles av"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Triage: where in the pyramid, and who should meet the need (IS-1947's three factors,
    # each 1 = clearly municipal … 5 = clearly specialist).
    pyramid_level = models.PositiveSmallIntegerField(
        _("nivå i rehabiliteringspyramiden"), choices=PyramidLevel.choices, null=True, blank=True
    )
    competence_score = models.PositiveSmallIntegerField(
        _("behov for spesialisert kompetanse"), null=True, blank=True, validators=factor_validators
    )
    complexity_score = models.PositiveSmallIntegerField(
        _("kompleksitet"), null=True, blank=True, validators=factor_validators
    )
    intensity_score = models.PositiveSmallIntegerField(
        _("behov for intensitet"), null=True, blank=True, validators=factor_validators
    )
    suggested_place = models.CharField(max_length=12, choices=CarePlace.choices, blank=True)
    care_place = models.CharField(
        _("hvor behovet bør møtes"), max_length=12, choices=CarePlace.choices, blank=True
    )
    triaged_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("melding om behov")
        verbose_name_plural = _("meldinger om behov")
        indexes = [models.Index(fields=["municipality", "status", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_on:%d.%m.%Y}"

    @property
    def place_overruled(self) -> bool:
        return bool(self.care_place) and self.care_place != self.suggested_place

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def is_new(self) -> bool:
        """Received and not looked at yet."""
        return self.status == ReferralStatus.RECEIVED

    @property
    def due_on(self) -> datetime.date:
        return due_on(self.received_on, self.urgency)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.due_on

    @property
    def overdue(self) -> bool:
        """For templates: overdue today."""
        return self.is_overdue()


class ReferralStatusChange(MunicipalityOwned, StatusHistory):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=20, choices=ReferralStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=20, choices=ReferralStatus.choices)

    class Meta(StatusHistory.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
