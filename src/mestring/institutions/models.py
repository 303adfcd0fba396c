"""Institution units and their beds, stays, rehabilitation plans and purchased places.

An institution unit is an ordinary `people.Unit` (kind intern, or an external centre
where places are bought) that has `BedCapacity` rows: the number of beds can change
over time, and the row with the latest `valid_from` on or before a day applies.
A stay occupies a bed the nights from admission up to, not including, discharge.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Person, Staff, Unit
from mestring.tenancy.models import MunicipalityOwned


class StayType(models.TextChoices):
    REHABILITATION = "rehabilitering", _("Rehabilitering")
    SHORT_TERM = "korttid", _("Korttidsopphold")
    ROTATION = "rullering", _("Rulleringsopphold")
    LONG_TERM = "langtid", _("Langtidsopphold")
    RESPITE = "avlastning", _("Avlastning")
    PALLIATIVE = "lindrende", _("Lindrende behandling")
    ASSESSMENT = "utredning", _("Utredning")


class DischargeDestination(models.TextChoices):
    HOME = "hjem", _("Hjem")
    LONG_TERM_PLACE = "langtidsplass", _("Langtidsplass")
    HOSPITAL = "sykehus", _("Sykehus")
    DIED = "dod", _("Død")
    OTHER = "annet", _("Annet")


class BedCapacity(MunicipalityOwned):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bed_capacities")
    beds = models.PositiveSmallIntegerField(_("antall senger"))
    valid_from = models.DateField(_("gjelder fra"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit__name", "valid_from"]
        verbose_name = _("sengetall")
        verbose_name_plural = _("sengetall")
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="bed_capacity_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.beds} ({self.valid_from:%d.%m.%Y})"


class PurchaseAgreement(MunicipalityOwned):
    """Bed-days bought for one year at an external centre."""

    name = models.CharField(_("navn"), max_length=150)
    centre = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="purchase_agreements", verbose_name=_("senter")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    bed_days = models.PositiveIntegerField(_("kjøpte døgn"))
    price_per_day = models.DecimalField(_("pris per døgn (kr)"), max_digits=10, decimal_places=2)
    note = models.TextField(_("merknad"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("avtale om kjøpte plasser")
        verbose_name_plural = _("avtaler om kjøpte plasser")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "year"], name="agreement_name_year_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class Stay(MunicipalityOwned):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="stays")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="stays", verbose_name=_("enhet")
    )
    stay_type = models.CharField(_("type opphold"), max_length=20, choices=StayType.choices)
    admitted_on = models.DateField(_("innlagt"))
    discharged_on = models.DateField(_("utskrevet"), null=True, blank=True)
    discharged_to = models.CharField(
        _("utskrevet til"), max_length=20, choices=DischargeDestination.choices, blank=True
    )
    decision = models.ForeignKey(
        "casework.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("vedtak"),
    )
    agreement = models.ForeignKey(
        PurchaseAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("avtale om kjøpte plasser"),
    )
    note = models.TextField(_("merknad"), max_length=2000, blank=True)
    over_capacity = models.BooleanField(_("overbelegg"), default=False)
    # The unit's access to the person while the stay lasts; ended at discharge.
    care_relation = models.ForeignKey(
        "access.CareRelation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    admitted_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The day the decision behind the stay ended (stopped, changed to a refusal, or its
    # assignment to the unit ended) while the person was still in a bed. The stay is
    # not discharged by it: see `provision.stays_end_with_assignment`.
    decision_ended_on = models.DateField(_("vedtaket avsluttet"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-admitted_on", "-pk"]
        verbose_name = _("opphold")
        verbose_name_plural = _("opphold")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="stay_discharge_after_admission",
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "unit", "admitted_on"]),
            models.Index(fields=["municipality", "person", "admitted_on"]),
            # Who is in a bed on a day (the bed board): not discharged, or
            # discharged after the day, read from this index instead of every stay of
            # ten years.
            models.Index(fields=["municipality", "discharged_on"], name="stay_discharged_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stay_type_display()} {self.admitted_on:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        return self.discharged_on is None


class PlannedStayStatus(models.TextChoices):
    PLANNED = "planlagt", _("Planlagt")
    ADMITTED = "innskrevet", _("Skrevet inn")
    CANCELLED = "avlyst", _("Avlyst")


PLANNED_STAY_TRANSITIONS: dict[str, set[str]] = {
    PlannedStayStatus.PLANNED: {PlannedStayStatus.ADMITTED, PlannedStayStatus.CANCELLED},
    PlannedStayStatus.ADMITTED: set(),
    PlannedStayStatus.CANCELLED: set(),
}


class PlannedStay(MunicipalityOwned, Stateful):
    """A stay the allocation office has assigned to the unit and that has not begun
    (planlagt innleggelse), linked to the decision.

    Kept apart from `Stay` on purpose: a `Stay` is a person in a bed from `admitted_on`
    (never empty), and every count of beds reads stays by that date — the bed board,
    the occupancy and purchased-places reports, the free-bed check, the API, the
    benchmark's SQL and the retention rules. A planned arrival in its own row is
    counted by none of them without any of them having to remember to leave it out.
    «Skriv inn» makes the ordinary stay through `services.stay_admit` and links it here
    (`stay`); a plan whose assignment ends before that is cancelled.
    """

    status_transitions = PLANNED_STAY_TRANSITIONS
    status_history = "status_changes"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="planned_stays")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="planned_stays", verbose_name=_("enhet")
    )
    stay_type = models.CharField(_("type opphold"), max_length=20, choices=StayType.choices)
    expected_on = models.DateField(_("planlagt innleggelse"))
    decision = models.ForeignKey(
        "casework.Decision",
        on_delete=models.PROTECT,
        related_name="planned_stays",
        verbose_name=_("vedtak"),
    )
    # The assignment that made the plan: ending it cancels the plan. (A changed decision
    # moves its assignments to the new one; the plan follows the assignment.)
    assignment = models.ForeignKey(
        "catalogue.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_stays",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlannedStayStatus.choices,
        default=PlannedStayStatus.PLANNED,
    )
    stay = models.OneToOneField(
        Stay, on_delete=models.PROTECT, null=True, blank=True, related_name="plan"
    )
    cancelled_on = models.DateField(_("avlyst"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expected_on", "pk"]
        verbose_name = _("planlagt innleggelse")
        verbose_name_plural = _("planlagte innleggelser")
        indexes = [models.Index(fields=["municipality", "status", "expected_on"])]

    def __str__(self) -> str:
        return f"{self.get_stay_type_display()} {self.expected_on:%d.%m.%Y}"

    @property
    def is_planned(self) -> bool:
        return self.status == PlannedStayStatus.PLANNED


class PlannedStayStatusChange(MunicipalityOwned, StatusHistory):
    planned_stay = models.ForeignKey(
        PlannedStay, on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta:
        ordering = ["changed_at", "pk"]


class RehabilitationPlan(MunicipalityOwned):
    stay = models.OneToOneField(Stay, on_delete=models.CASCADE, related_name="rehab_plan")
    goals = models.TextField(
        _("mål"), max_length=3000, help_text=_("Med personens egne ord, ett mål per linje.")
    )
    daily_training = models.TextField(_("daglig trening"), max_length=3000, blank=True)
    physio_minutes_per_day = models.PositiveSmallIntegerField(
        _("minutter fysioterapi per dag"), null=True, blank=True
    )
    responsible = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarlig"),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rehabiliteringsplan")
        verbose_name_plural = _("rehabiliteringsplaner")

    def __str__(self) -> str:
        return f"{_('Rehabiliteringsplan')} {self.stay}"

    @property
    def goal_lines(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]
