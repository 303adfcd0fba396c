"""Municipalities, and the base every domain row inherits to stay inside one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mestring.tenancy.context import get_active_municipality, get_active_municipality_or_none

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

municipality_number_validator = RegexValidator(r"^\d{4}$", _("Kommunenummeret må ha fire siffer."))


class LanguageForm(models.TextChoices):
    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")


class Municipality(models.Model):
    number = models.CharField(
        _("kommunenummer"), max_length=4, unique=True, validators=[municipality_number_validator]
    )
    name = models.CharField(_("navn"), max_length=100)
    language_form = models.CharField(
        _("målform"), max_length=2, choices=LanguageForm.choices, default=LanguageForm.BOKMAL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class CrossMunicipalityWrite(RuntimeError):
    """A row of one municipality was about to be saved while another was active."""


class ActiveMunicipalityId(models.Expression):
    """The active municipality's id, read when the SQL is compiled, not when the
    queryset is built: querysets made at import time (form fields) stay correct, and
    running one outside any municipality fails loudly instead of leaking rows."""

    output_field = models.BigIntegerField()

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[int]]:
        return "%s", (get_active_municipality().pk,)


class ScopedManager(models.Manager):
    """The default manager: only rows of the active municipality, never others."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(municipality_id=ActiveMunicipalityId())


class MunicipalityOwned(models.Model):
    """Base of every domain row: it belongs to one municipality, and `objects` sees
    only the active one. `all_objects` is for the few system-level places (login,
    commands that take --municipality before activating it, migrations)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = ScopedManager()
    all_objects = models.Manager()  # noqa: DJ012 - a manager, not a field

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        active = get_active_municipality_or_none()
        if self.municipality_id is None:
            self.municipality = get_active_municipality()
        elif active is not None and active.pk != self.municipality_id:
            raise CrossMunicipalityWrite(
                f"{type(self).__name__} of municipality {self.municipality_id} "
                f"saved while {active.pk} is active"
            )
        super().save(*args, **kwargs)
