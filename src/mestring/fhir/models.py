"""Identifiers that imported objects had in the system they came from."""

from __future__ import annotations

from django.db import models

from mestring.tenancy.models import MunicipalityOwned


class ExternalKind(models.TextChoices):
    PLAN = "plan", "individuell plan"
    GOAL = "goal", "mål"
    MEASURE = "measure", "tiltak"


class ExternalId(MunicipalityOwned):
    """An imported plan, goal or measure and the identifier it had in the Bundle.

    Importing the same Bundle again finds the object through this row, so nothing
    changes; exporting it again repeats the identifier, so the other system finds its
    own object too.
    """

    kind = models.CharField(max_length=10, choices=ExternalKind.choices)
    system = models.CharField(max_length=200)
    value = models.CharField(max_length=200)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "system", "value"], name="fhir_external_id_once"
            )
        ]
        indexes = [models.Index(fields=["municipality", "kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.system}|{self.value}"
