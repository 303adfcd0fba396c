"""Rehabilitation episodes (forløp) of a programme, hverdagsrehabilitering first:
referral → assessment → waiting → start → visits → end → follow-up.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Person, Staff, Unit
from mestring.tenancy.models import MunicipalityOwned

EVERYDAY_REHAB = "hverdagsrehabilitering"


class Programme(MunicipalityOwned):
    """A rehabilitation programme run in episodes; each municipality configures its own."""

    code = models.SlugField(_("kode"), max_length=50)
    name = models.CharField(_("navn"), max_length=150)
    description = models.TextField(_("beskrivelse"), max_length=3000, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("enhet som driver programmet"),
    )
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("tjeneste i tjenestekatalogen"),
    )
    follow_up_weeks = models.PositiveSmallIntegerField(_("oppfølging etter (uker)"), default=12)
    is_active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programmer")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="programme_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ReferralSource(models.TextChoices):
    HOSPITAL = "sykehus", _("Sykehus")
    GP = "fastlege", _("Fastlege")
    HOME_CARE = "hjemmetjeneste", _("Hjemmetjenesten")
    NURSING_HOME = "sykehjem", _("Sykehjem")
    ALLOCATION_OFFICE = "tjenestekontor", _("Tjenestekontoret")
    OTHER = "annet", _("Annet")


class EpisodeAssessment(models.TextChoices):
    RELEVANT = "aktuell", _("Aktuell")
    NOT_RELEVANT = "ikke_aktuell", _("Ikke aktuell")


class EpisodeOutcome(models.TextChoices):
    COMPLETED = "fullfort", _("Fullført")
    DISCONTINUED = "avbrutt", _("Avbrutt")


class EpisodeStatus(models.TextChoices):
    REFERRED = "henvist", _("Henvist")
    NOT_RELEVANT = "ikke_aktuell", _("Vurdert ikke aktuell")
    WAITING = "venter", _("Venter på oppstart")
    ACTIVE = "pagar", _("Pågår")
    COMPLETED = "fullfort", _("Fullført")
    DISCONTINUED = "avbrutt", _("Avbrutt")


EPISODE_TRANSITIONS: dict[str, set[str]] = {
    EpisodeStatus.REFERRED: {EpisodeStatus.WAITING, EpisodeStatus.NOT_RELEVANT},
    EpisodeStatus.WAITING: {EpisodeStatus.ACTIVE, EpisodeStatus.DISCONTINUED},
    EpisodeStatus.ACTIVE: {EpisodeStatus.COMPLETED, EpisodeStatus.DISCONTINUED},
}
OPEN_EPISODE_STATUSES = (EpisodeStatus.REFERRED, EpisodeStatus.WAITING, EpisodeStatus.ACTIVE)


class Episode(MunicipalityOwned, Stateful):
    status_transitions = EPISODE_TRANSITIONS
    status_history = "history"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("program")
    )
    status = models.CharField(
        max_length=14, choices=EpisodeStatus.choices, default=EpisodeStatus.REFERRED
    )
    referral_date = models.DateField(_("henvist"))
    referral_source = models.CharField(
        _("henvist fra"), max_length=20, choices=ReferralSource.choices
    )
    referred_by = models.CharField(_("henviser (navn)"), max_length=200, blank=True)
    referral_reason = models.TextField(_("grunn til henvisning"), max_length=3000, blank=True)
    # The decision and plan behind the episode, where there are any.
    decision = models.ForeignKey(
        "casework.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="episodes",
        verbose_name=_("vedtak"),
    )
    plan = models.ForeignKey(
        "plans.IndividualPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="episodes",
        verbose_name=_("individuell plan"),
    )
    assessed_on = models.DateField(_("vurdert"), null=True, blank=True)
    assessment = models.CharField(
        _("vurdering"), max_length=14, choices=EpisodeAssessment.choices, blank=True
    )
    assessment_reason = models.CharField(_("begrunnelse"), max_length=500, blank=True)
    start_date = models.DateField(_("startet"), null=True, blank=True)
    end_date = models.DateField(_("avsluttet"), null=True, blank=True)
    outcome = models.CharField(
        _("resultat"), max_length=10, choices=EpisodeOutcome.choices, blank=True
    )
    end_reason = models.CharField(_("grunn"), max_length=500, blank=True)
    follow_up_due_on = models.DateField(_("oppfølging planlagt"), null=True, blank=True)
    followed_up_on = models.DateField(_("fulgt opp"), null=True, blank=True)
    follow_up_note = models.TextField(_("notat fra oppfølgingen"), max_length=3000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referral_date", "-pk"]
        verbose_name = _("forløp")
        verbose_name_plural = _("forløp")
        indexes = [
            models.Index(fields=["municipality", "programme", "referral_date"]),
            models.Index(fields=["municipality", "status"]),
            # The waiting list (referred or waiting, oldest referral first) and the
            # follow-ups due, both paged in this order.
            models.Index(
                fields=["municipality", "referral_date", "id"],
                condition=Q(status__in=[EpisodeStatus.REFERRED, EpisodeStatus.WAITING]),
                name="episode_waiting_idx",
            ),
            models.Index(
                fields=["municipality", "follow_up_due_on", "id"],
                condition=Q(follow_up_due_on__isnull=False, followed_up_on__isnull=True),
                name="episode_follow_up_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="episode_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.referral_date:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_EPISODE_STATUSES


class EpisodeStatusChange(MunicipalityOwned, StatusHistory):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=14, choices=EpisodeStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=14, choices=EpisodeStatus.choices)

    class Meta:
        ordering = ["changed_at", "pk"]


# How far an episode's goal was reached; empty while not judged yet.
GOAL_ACHIEVED_CHOICES = [
    ("nadd", _("Nådd")),
    ("delvis", _("Delvis nådd")),
    ("ikke", _("Ikke nådd")),
]


class EpisodeGoal(MunicipalityOwned):
    """A goal in the person's own words (for COPM/PSFS the activities often are the goals)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("mål, med personens egne ord"), max_length=500)
    achieved = models.CharField(
        _("måloppnåelse"),
        max_length=10,
        blank=True,
        choices=GOAL_ACHIEVED_CHOICES,
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.text[:60]


class EpisodeTeamMember(MunicipalityOwned):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="team")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="episode_roles")
    role = models.CharField(_("rolle"), max_length=100, blank=True)
    started_on = models.DateField(_("fra"))
    ended_on = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "staff"],
                condition=Q(ended_on__isnull=True),
                name="episode_team_member_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} ({self.role})"


class Visit(MunicipalityOwned):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("dato"))
    # Empty for visits made by the episodes import, which knows only their number.
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("utført av"),
    )
    minutes = models.PositiveSmallIntegerField(_("minutter"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["visited_on", "pk"]
        verbose_name = _("besøk")
        verbose_name_plural = _("besøk")
        indexes = [models.Index(fields=["municipality", "episode"])]

    def __str__(self) -> str:
        return f"{self.visited_on:%d.%m.%Y}"
