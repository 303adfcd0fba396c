"""Population by age group and year, registered and projected, and a record of each
import of it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.people.models import Staff
from mestring.tenancy.models import MunicipalityOwned


class PopulationKind(models.TextChoices):
    REGISTERED = "registrert", _("Registrert")
    PROJECTED = "framskrevet", _("Framskrevet")


class ImportFormat(models.TextChoices):
    CSV = "csv", _("CSV (region,age_group,year,count)")
    JSONSTAT = "jsonstat", _("JSON-stat 2.0 (fra SSB)")
    DEMO = "demo", _("Demodata")


class PopulationImport(MunicipalityOwned):
    """One import of population figures: which file, how many rows, by whom."""

    file_name = models.CharField(_("filnavn"), max_length=255, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    rows = models.PositiveIntegerField(_("rader"), default=0)
    created = models.PositiveIntegerField(_("nye"), default=0)
    updated = models.PositiveIntegerField(_("endret"), default=0)
    unchanged = models.PositiveIntegerField(_("uendret"), default=0)
    imported_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_by_name = models.CharField(max_length=150, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("import av befolkningstall")
        verbose_name_plural = _("importer av befolkningstall")

    def __str__(self) -> str:
        return f"{self.file_name or self.get_format_display()} ({self.imported_at:%d.%m.%Y})"


class PopulationFigure(MunicipalityOwned):
    """The number of people in one age group in one region and year.

    `age_group` is the text of the file ("0-5", "67-79", "90+", "80 år og eldre");
    `age_from`/`age_to` are its bounds in whole years, both included, with `age_to`
    empty for an open group ("90+")."""

    region = models.CharField(_("region"), max_length=100)
    age_group = models.CharField(_("aldersgruppe"), max_length=60)
    age_from = models.PositiveSmallIntegerField(_("fra alder"))
    age_to = models.PositiveSmallIntegerField(_("til og med alder"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("år"))
    count = models.PositiveIntegerField(_("antall"))
    kind = models.CharField(_("type"), max_length=12, choices=PopulationKind.choices)
    source = models.ForeignKey(
        PopulationImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["region", "year", "age_from", "age_group"]
        verbose_name = _("befolkningstall")
        verbose_name_plural = _("befolkningstall")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "region", "age_group", "year"],
                name="population_figure_once",
            )
        ]
        indexes = [models.Index(fields=["municipality", "region", "year"])]

    def __str__(self) -> str:
        return f"{self.region} {self.age_group} {self.year}: {self.count}"
