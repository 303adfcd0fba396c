"""The municipality's service catalogue, who provides each service with what capacity,
and assignment or waiting list once a service is granted."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.people.models import Unit
from mestring.tenancy.models import MunicipalityOwned


class CapacityKind(models.TextChoices):
    PLACES = "plasser", _("Plasser")
    HOURS = "timer_per_uke", _("Timer per uke")
    NONE = "ingen", _("Ingen fast kapasitet")


class Service(MunicipalityOwned):
    code = models.SlugField(_("kode"), max_length=50)
    name = models.CharField(_("navn"), max_length=150)
    description = models.TextField(_("beskrivelse"), max_length=5000, blank=True)
    how_to_apply = models.TextField(_("slik søker du"), max_length=3000, blank=True)
    pyramid_level = models.PositiveSmallIntegerField(
        _("nivå i rehabiliteringspyramiden"),
        null=True,
        blank=True,
        choices=[(n, str(n)) for n in range(1, 6)],
    )
    national_code = models.CharField(
        _("nasjonal tjenestekode"),
        max_length=10,
        blank=True,
        help_text=_("For eksempel 19 for tidsavgrenset opphold for habilitering/rehabilitering."),
    )
    capacity_kind = models.CharField(
        _("kapasitet måles i"),
        max_length=20,
        choices=CapacityKind.choices,
        default=CapacityKind.NONE,
    )
    nationally_reported = models.BooleanField(
        _("rapporteres nasjonalt (krever kartlegging før vedtak)"), default=True
    )
    is_active = models.BooleanField(_("i bruk"), default=True)
    units = models.ManyToManyField(
        Unit, through="ServiceProvider", related_name="services", verbose_name=_("utføres av")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tjeneste")
        verbose_name_plural = _("tjenester")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="service_code_unique")
        ]

    @property
    def counts_hours(self) -> bool:
        """Capacity is hours per week, so a decision on it must say how many."""
        return self.capacity_kind == CapacityKind.HOURS

    def __str__(self) -> str:
        return self.name


class ServiceProvider(MunicipalityOwned):
    """A unit that provides a service, and its capacity for it (places or hours/week)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="providers")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="provided_services")
    capacity = models.DecimalField(
        _("kapasitet"), max_digits=8, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["service", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["service", "unit"], name="service_provider_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.unit}"


class Assignment(MunicipalityOwned):
    """A granted decision given to a provider unit (tildeling)."""

    decision = models.ForeignKey(
        "casework.Decision", on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Why the decision was assigned ahead of others waiting for the same service.
    skip_reason = models.CharField(_("tildelt foran ventelisten fordi"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("tildeling")
        verbose_name_plural = _("tildelinger")
        indexes = [models.Index(fields=["municipality", "unit", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.decision_id} → {self.unit}"


class WaitingPriority(models.IntegerChoices):
    HIGH = 1, _("Høy")
    NORMAL = 2, _("Normal")
    LOW = 3, _("Lav")


class RemovalReason(models.TextChoices):
    ASSIGNED = "tildelt", _("Har fått tjenesten")
    NO_LONGER_NEEDED = "ikke_behov", _("Har ikke lenger behov")
    DECLINED = "takket_nei", _("Takket nei")
    MOVED = "flyttet", _("Flyttet fra kommunen")
    DIED = "dod", _("Døde")
    OTHER = "annet", _("Annet")


class WaitingListEntry(MunicipalityOwned):
    decision = models.ForeignKey(
        "casework.Decision", on_delete=models.PROTECT, related_name="waiting_entries"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="waiting")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="waiting"
    )
    priority = models.PositiveSmallIntegerField(
        _("prioritet"), choices=WaitingPriority.choices, default=WaitingPriority.NORMAL
    )
    added_on = models.DateField(_("satt på venteliste"))
    removed_on = models.DateField(_("tatt av ventelisten"), null=True, blank=True)
    removal_reason = models.CharField(
        _("grunn"), max_length=20, choices=RemovalReason.choices, blank=True
    )
    removal_note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        ordering = ["priority", "added_on", "pk"]
        verbose_name = _("venteliste")
        verbose_name_plural = _("venteliste")
        constraints = [
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(removed_on__isnull=True),
                name="one_open_waiting_entry_per_decision",
            )
        ]
        indexes = [models.Index(fields=["municipality", "service", "removed_on"])]

    def __str__(self) -> str:
        return f"{self.service} ({self.added_on:%d.%m.%Y})"
