"""The municipal action plan (tiltaksplan): a plan version with its goals and numbered
actions, each action's status per year, and the history of status changes.

A plan is revised every four years: the revision is a new plan version that copies the
goals and the open actions; the old version is archived and kept read-only.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Unit
from mestring.tenancy.models import MunicipalityOwned


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Gjeldende")
    ARCHIVED = "archived", _("Arkivert")


# A version is active until a revision archives it; an archived version stays archived.
PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.ACTIVE: {PlanStatus.ARCHIVED},
    PlanStatus.ARCHIVED: set(),
}


class Financing(models.TextChoices):
    RESTRUCTURING = "omstilling", _("Omstilling drift")
    EXTERNAL = "ekstern_finansiering", _("Ekstern finansiering")
    BUDGET = "okt_budsjettramme", _("Økt budsjettramme")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "ikke_startet", _("Ikke startet")
    IN_PROGRESS = "pagar", _("Pågår")
    DONE = "gjennomfort", _("Gjennomført")
    POSTPONED = "utsatt", _("Utsatt")
    CANCELLED = "avlyst", _("Avlyst")


# Which status may follow which. Done and cancelled can be reopened (to in progress),
# since a plan is a living document; everything else moves freely.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    ActionStatus.NOT_STARTED: {"pagar", "gjennomfort", "utsatt", "avlyst"},
    ActionStatus.IN_PROGRESS: {"ikke_startet", "gjennomfort", "utsatt", "avlyst"},
    ActionStatus.POSTPONED: {"ikke_startet", "pagar", "gjennomfort", "avlyst"},
    ActionStatus.DONE: {"pagar"},
    ActionStatus.CANCELLED: {"pagar", "ikke_startet"},
}
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


class MunicipalPlan(MunicipalityOwned, Stateful):
    status_transitions = PLAN_TRANSITIONS
    status_history = "history"

    title = models.CharField(_("tittel"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("fra år"))
    end_year = models.PositiveSmallIntegerField(_("til år"))
    adopted_on = models.DateField(_("vedtatt"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("forrige versjon"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_year", "-pk"]
        verbose_name = _("tiltaksplan")
        verbose_name_plural = _("tiltaksplaner")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(status="active"),
                name="one_active_action_plan",
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="action_plan_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"

    @property
    def is_active(self) -> bool:
        return self.status == PlanStatus.ACTIVE

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class MunicipalPlanStatusChange(MunicipalityOwned, StatusHistory):
    plan = models.ForeignKey(MunicipalPlan, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=20, choices=PlanStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=20, choices=PlanStatus.choices)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("statusendring for plan")
        verbose_name_plural = _("statusendringer for plan")


class PlanGoal(MunicipalityOwned):
    plan = models.ForeignKey(MunicipalPlan, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("mål"), max_length=1000)

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_goal_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Action(MunicipalityOwned):
    plan = models.ForeignKey(MunicipalPlan, on_delete=models.CASCADE, related_name="actions")
    number = models.CharField(_("nummer"), max_length=10)
    # For ordering "1.10" after "1.9": the number as a tuple of zero-padded parts.
    sort_key = models.CharField(max_length=60, editable=False, default="")
    title = models.CharField(_("tiltak"), max_length=200)
    description = models.TextField(_("beskrivelse"), max_length=5000, blank=True)
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarlig enhet"),
    )
    responsible_text = models.CharField(_("ansvar (fritekst)"), max_length=150, blank=True)
    from_year = models.PositiveSmallIntegerField(_("fra år"))
    to_year = models.PositiveSmallIntegerField(_("til år"))
    cost_nok = models.PositiveIntegerField(_("kostnad (kr)"), null=True, blank=True)
    financing = models.CharField(
        _("finansiering"), max_length=30, choices=Financing.choices, blank=True
    )
    goals = models.ManyToManyField(PlanGoal, blank=True, related_name="actions")
    evaluation_on = models.DateField(_("evalueringsdato"), null=True, blank=True)
    evaluation_result = models.TextField(_("resultat av evaluering"), max_length=5000, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["sort_key", "pk"]
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_number_once"),
            models.CheckConstraint(
                condition=models.Q(to_year__gte=models.F("from_year")),
                name="action_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = number_sort_key(self.number)
        if kwargs.get("update_fields") is not None and "number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)

    @property
    def responsible(self) -> str:
        return self.responsible_unit.name if self.responsible_unit else self.responsible_text

    @property
    def years_label(self) -> str:
        if self.from_year == self.to_year:
            return str(self.from_year)
        return f"{self.from_year}–{self.to_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.from_year, self.to_year + 1))


def number_sort_key(number: str) -> str:
    parts = []
    for part in str(number).split("."):
        part = part.strip()
        parts.append(part.zfill(5) if part.isdigit() else part[:10])
    return ".".join(parts)[:60]


class ActionYearStatus(MunicipalityOwned, Stateful):
    status_transitions = STATUS_TRANSITIONS
    status_history = "history"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="year_statuses")
    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year"]
        verbose_name = _("status for året")
        verbose_name_plural = _("status per år")
        constraints = [
            models.UniqueConstraint(fields=["action", "year"], name="action_status_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.action.number} {self.year}: {self.get_status_display()}"


class ActionStatusChange(MunicipalityOwned, StatusHistory):
    """History: every change of an action's status for a year. A change of the note
    alone is a row too, with the same status before and after."""

    # The year's status row that changed; `action` and `year` repeat it for the
    # action's history page, which lists every year.
    year_status = models.ForeignKey(
        ActionYearStatus, on_delete=models.CASCADE, related_name="history"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_changes")
    year = models.PositiveSmallIntegerField(_("år"))
    from_status = models.CharField(_("fra status"), max_length=20, choices=ActionStatus.choices)
    to_status = models.CharField(_("til status"), max_length=20, choices=ActionStatus.choices)
    reason = models.CharField(_("merknad"), max_length=500, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")
