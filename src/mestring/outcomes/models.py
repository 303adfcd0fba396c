"""Outcome instruments as data: SPPB, COPM, PSFS and the functional
variables, each observation with instrument, version, date and time point.

An observation keeps its items (the sub-tests, the person's activities or the
variables) and its total, computed by the service from the items, so reports and the
chart read one number per observation.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.people.models import Person, Staff
from mestring.tenancy.models import MunicipalityOwned


class Instrument(models.TextChoices):
    SPPB = "sppb", _("SPPB – Short Physical Performance Battery")
    COPM = "copm", _("COPM – Canadian Occupational Performance Measure")
    PSFS = "psfs", _("PSFS – Pasientspesifikk funksjonsskala")
    FUNCTION = "funksjon", _("Funksjonsvariabler (IPLOS)")


# Meaningful change per instrument unless the municipality sets its own.
DEFAULT_THRESHOLDS: dict[str, Decimal] = {
    Instrument.SPPB: Decimal("1"),
    Instrument.COPM: Decimal("2"),
    Instrument.PSFS: Decimal("2"),
    Instrument.FUNCTION: Decimal("1"),
}

# The version recorded when the user does not name another.
DEFAULT_VERSIONS: dict[str, str] = {
    Instrument.SPPB: "SPPB (Guralnik 1994)",
    Instrument.COPM: "COPM 5. utgave",
    Instrument.PSFS: "PSFS (Stratford 1995)",
    Instrument.FUNCTION: "IPLOS 2017",
}


class TimePoint(models.TextChoices):
    START = "start", _("Oppstart")
    MID = "midt", _("Underveis")
    END = "slutt", _("Avslutning")
    FOLLOW_UP = "oppfolging", _("Oppfølging")


class InstrumentThreshold(MunicipalityOwned):
    """The municipality's own threshold for a meaningful change on one instrument."""

    instrument = models.CharField(_("instrument"), max_length=10, choices=Instrument.choices)
    meaningful_change = models.DecimalField(
        _("meningsfull endring"), max_digits=4, decimal_places=1
    )

    class Meta:
        ordering = ["instrument"]
        verbose_name = _("terskel for meningsfull endring")
        verbose_name_plural = _("terskler for meningsfull endring")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "instrument"], name="threshold_once_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()}: {self.meaningful_change}"


class Observation(MunicipalityOwned):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="observations")
    # The episode or stay the measure belongs to, where there is one.
    episode = models.ForeignKey(
        "rehab.Episode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("forløp"),
    )
    instrument = models.CharField(_("instrument"), max_length=10, choices=Instrument.choices)
    version = models.CharField(_("versjon"), max_length=60)
    observed_on = models.DateField(_("dato"))
    time_point = models.CharField(_("tidspunkt"), max_length=12, choices=TimePoint.choices)
    # SPPB: points 0–12. COPM: mean performance. PSFS: mean score. Function: mean score
    # over the variables scored 1–5 (9, not relevant, left out).
    total = models.DecimalField(_("skår"), max_digits=5, decimal_places=2, null=True)
    # COPM: mean satisfaction.
    total_secondary = models.DecimalField(
        _("tilfredshet"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # The direction of the scale, stored with the score: PSFS and SPPB count up,
    # the functional variables count down (1 = manages alone).
    higher_is_better = models.BooleanField(_("høyere skår er bedre"), default=True)
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["observed_on", "pk"]
        verbose_name = _("måling")
        verbose_name_plural = _("målinger")
        indexes = [
            models.Index(fields=["municipality", "person", "instrument", "observed_on"]),
            models.Index(fields=["municipality", "episode", "instrument", "time_point"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.observed_on:%d.%m.%Y}"


class ObservationItem(MunicipalityOwned):
    """One part of an observation.

    SPPB: code balance / gait / chair with `points` 0–4 and, where timed, `seconds`.
    COPM: an activity (`label`) with `points` = performance and `points_secondary` =
    satisfaction, 1–10. PSFS: an activity with `points` 0–10. Function: `code` = the
    variable's code with `points` 1–5 or 9.
    """

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("kode"), max_length=40, blank=True)
    label = models.CharField(_("aktivitet"), max_length=200, blank=True)
    points = models.DecimalField(_("skår"), max_digits=4, decimal_places=1, null=True)
    points_secondary = models.DecimalField(
        _("tilfredshet"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    seconds = models.DecimalField(
        _("sekunder"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("del av måling")
        verbose_name_plural = _("deler av måling")

    def __str__(self) -> str:
        return f"{self.code or self.label}: {self.points}"
