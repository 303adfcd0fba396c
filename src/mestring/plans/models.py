"""Coordinators, individual plans (individuell plan), goals, measures, evaluations.

A plan cannot exist without a consent (access.Consent of kind individual plan). Every
save of the plan makes a revision row with a snapshot, so any two versions can be
compared. `version` is the optimistic lock that keeps two editors from overwriting
each other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.access.models import Consent
from mestring.casework.models import Decision
from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Person, Relative, Staff, Unit
from mestring.tenancy.models import MunicipalityOwned


class CoordinatorProfile(MunicipalityOwned):
    """A staff member in the municipality's pool of coordinators."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="coordinator_profiles")
    is_active = models.BooleanField(_("aktiv som koordinator"), default=True)
    joined_on = models.DateField(_("med i koordinatorgruppen fra"), default=timezone.localdate)
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("koordinator")
        verbose_name_plural = _("koordinatorer")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "staff"], name="coordinator_once")
        ]

    def __str__(self) -> str:
        return str(self.staff)


class CoordinatorTraining(MunicipalityOwned):
    coordinator = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.CharField(_("kurs"), max_length=200)
    completed_on = models.DateField(_("dato"))

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = _("opplæring")
        verbose_name_plural = _("opplæring")

    def __str__(self) -> str:
        return self.course


class SupervisionSession(MunicipalityOwned):
    coordinator = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="supervisions"
    )
    held_on = models.DateField(_("dato"))
    topic = models.CharField(_("tema"), max_length=200)
    supervisor = models.CharField(_("veileder"), max_length=200, blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("veiledning")
        verbose_name_plural = _("veiledninger")

    def __str__(self) -> str:
        return self.topic


class CoordinatorAssignment(MunicipalityOwned):
    """A person's coordinator; also when the person declines an individual plan."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="coordinator_assignments"
    )
    coordinator = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="assignments")
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_wish = models.CharField(
        _("personens ønske"),
        max_length=500,
        blank=True,
        help_text=_("Hva personen ønsker av koordinatoren, med egne ord."),
    )
    declined_individual_plan = models.BooleanField(
        _("personen har takket nei til individuell plan"), default=False
    )
    started_on = models.DateField(_("fra"))
    ended_on = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("koordinatoroppnevning")
        verbose_name_plural = _("koordinatoroppnevninger")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_current_coordinator_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} → {self.person_id}"


class PlanStatus(models.TextChoices):
    ACTIVE = "aktiv", _("Aktiv")
    CLOSED = "avsluttet", _("Avsluttet")


# A plan is closed once; a new plan is made instead of reopening one.
PLAN_TRANSITIONS: dict[str, set[str]] = {PlanStatus.ACTIVE: {PlanStatus.CLOSED}}


class IndividualPlan(MunicipalityOwned, Stateful):
    status_transitions = PLAN_TRANSITIONS
    status_history = "history"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="plans")
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="plans", verbose_name=_("samtykke")
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarlig enhet")
    )
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    start_date = models.DateField(_("planen gjelder fra"))
    end_date = models.DateField(_("planen gjelder til"), null=True, blank=True)
    next_revision_on = models.DateField(_("neste revisjon"), null=True, blank=True)
    what_matters = models.TextField(
        _("Hva er viktig for deg?"),
        max_length=5000,
        blank=True,
        help_text=_("Med personens egne ord."),
    )
    resources_and_needs = models.TextField(_("ressurser og behov"), max_length=5000, blank=True)
    person_contribution = models.TextField(
        _("hva personen selv bidrar med"), max_length=3000, blank=True
    )
    relatives_contribution = models.TextField(
        _("hva pårørende bidrar med"), max_length=3000, blank=True
    )
    cooperation = models.TextField(
        _("samarbeid med andre etater og nivåer"), max_length=3000, blank=True
    )
    closed_on = models.DateField(_("avsluttet"), null=True, blank=True)
    closing_note = models.CharField(_("grunn til avslutning"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("individuell plan")
        verbose_name_plural = _("individuelle planer")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="aktiv"),
                name="one_active_plan_per_person",
            )
        ]
        indexes = [models.Index(fields=["municipality", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{_('Individuell plan')} {self.start_date:%d.%m.%Y}"

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.CLOSED


class PlanStatusChange(MunicipalityOwned, StatusHistory):
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=12, choices=PlanStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=12, choices=PlanStatus.choices)

    class Meta(StatusHistory.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PlanParticipant(MunicipalityOwned):
    """Who takes part in the plan, and what they contribute."""

    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="participants")
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    relative = models.ForeignKey(
        Relative, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("rolle"), max_length=150)
    contribution = models.TextField(_("bidrar med"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("deltaker")
        verbose_name_plural = _("deltakere")

    def __str__(self) -> str:
        return str(self.staff or self.unit or self.relative)


class GoalStatus(models.TextChoices):
    PROPOSED = "foreslatt", _("Foreslått")
    ACTIVE = "aktiv", _("Aktiv")
    ENDED = "avsluttet", _("Avsluttet")
    CANCELLED = "forkastet", _("Forkastet")


class Achievement(models.TextChoices):
    NOT_STARTED = "ikke_startet", _("Ikke startet")
    IN_PROGRESS = "pa_vei", _("På vei")
    PARTLY = "delvis", _("Delvis nådd")
    ACHIEVED = "nadd", _("Nådd")
    NOT_ACHIEVED = "ikke_nadd", _("Ikke nådd")


# Lifecycle of a goal. Achievement (how far the person has come) moves freely.
GOAL_TRANSITIONS: dict[str, set[str]] = {
    GoalStatus.PROPOSED: {GoalStatus.ACTIVE, GoalStatus.CANCELLED},
    GoalStatus.ACTIVE: {GoalStatus.ENDED, GoalStatus.CANCELLED},
    GoalStatus.ENDED: {GoalStatus.ACTIVE},
    GoalStatus.CANCELLED: {GoalStatus.PROPOSED},
}


class Goal(MunicipalityOwned, Stateful):
    status_transitions = GOAL_TRANSITIONS
    status_history = "history"

    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("mål, med personens egne ord"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    achievement = models.CharField(
        _("måloppnåelse"),
        max_length=14,
        choices=Achievement.choices,
        default=Achievement.NOT_STARTED,
    )
    target_date = models.DateField(_("ønsket dato"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.text[:60]


class GoalStatusChange(MunicipalityOwned, StatusHistory):
    """History of a goal's status and achievement, which statistics are built from. A
    row where only the achievement moved has the same from and to status."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=12, choices=GoalStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=12, choices=GoalStatus.choices)
    from_achievement = models.CharField(max_length=14, choices=Achievement.choices, blank=True)
    to_achievement = models.CharField(max_length=14, choices=Achievement.choices)

    class Meta(StatusHistory.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Measure(MunicipalityOwned):
    """Tiltak: what is done, by whom, how, when, and the decision behind it."""

    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    title = models.CharField(_("tiltak"), max_length=200)
    scope = models.CharField(_("omfang"), max_length=200, blank=True)
    how = models.TextField(_("hvordan"), max_length=2000, blank=True)
    responsible_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_other = models.CharField(
        _("ansvarlig (personen, pårørende, andre)"), max_length=200, blank=True
    )
    start_on = models.DateField(_("fra"), null=True, blank=True)
    end_on = models.DateField(_("til"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("vedtak"),
    )

    class Meta:
        ordering = ["start_on", "pk"]
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")

    def __str__(self) -> str:
        return self.title


class Evaluation(MunicipalityOwned):
    """An evaluation of one goal, or of the whole plan when goal is empty."""

    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="evaluations")
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("dato"))
    achievement = models.CharField(
        _("måloppnåelse"), max_length=14, choices=Achievement.choices, blank=True
    )
    text = models.TextField(_("evaluering"), max_length=5000)
    evaluated_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("evaluering")
        verbose_name_plural = _("evalueringer")

    def __str__(self) -> str:
        return f"{self.evaluated_on:%d.%m.%Y}"


class PlanRevision(MunicipalityOwned):
    """Every saved version of a plan, as a snapshot that can be shown and compared."""

    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    summary = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"
