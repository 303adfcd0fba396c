"""Assessment of functional ability with the variables used for national reporting
(IPLOS), each scored 1–5 or 9 (not relevant), and "Hva er viktig for deg?"."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.people.models import Person, Staff
from mestring.tenancy.models import MunicipalityOwned

VALID_SCORES = (1, 2, 3, 4, 5, 9)


class FunctionVariable(MunicipalityOwned):
    """One variable; the list ships with the standard set and each municipality edits it."""

    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("navn"), max_length=120)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    # The meaning of each score for this variable, e.g. {"1": "...", ..., "9": "..."}.
    score_meanings = models.JSONField(_("betydning av skårene"), default=dict)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("funksjonsvariabel")
        verbose_name_plural = _("funksjonsvariabler")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="variable_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(MunicipalityOwned):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    assessed_on = models.DateField(_("kartlagt"))
    next_assessment_on = models.DateField(_("neste kartlegging"), null=True, blank=True)
    what_matters = models.TextField(
        _("Hva er viktig for deg?"),
        max_length=5000,
        blank=True,
        help_text=_("Med personens egne ord."),
    )
    assessed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("kartlegging")
        verbose_name_plural = _("kartlegginger")
        indexes = [models.Index(fields=["municipality", "person", "assessed_on"])]

    def __str__(self) -> str:
        return f"{_('Kartlegging')} {self.assessed_on:%d.%m.%Y}"


def validate_score(value: int) -> None:
    if value not in VALID_SCORES:
        raise ValidationError(_("Skåren må være 1, 2, 3, 4, 5 eller 9 (ikke relevant)."))


class AssessmentScore(MunicipalityOwned):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    variable = models.ForeignKey(FunctionVariable, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("skår"), validators=[validate_score])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "variable"], name="score_once"),
            models.CheckConstraint(
                condition=models.Q(score__in=VALID_SCORES), name="score_is_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variable}: {self.score}"
