"""Retention periods per kind of record, chosen by each municipality.

The defaults and their sources (check them against the municipality's own
bevarings- og kassasjonsplan before turning the job on; arkivlova § 9 forbids
discarding archive material without a legal basis, so records that must be kept
for ever are deposited with the archive depot first, and only then deleted here):

- Health and care records — messages of need, cases with their decisions, individual
  plans, rehabilitation episodes, institution stays: 10 years after the record ended.
  Pasientjournalforskriften § 15 says records are kept as long as they are needed for
  the purpose of the care; ten years after the last entry is the minimum the earlier
  journal regulation set and the period the Norwegian Directorate of Health still
  points to, and it covers the time limit for compensation claims (foreldelsesloven
  § 9: up to ten years after the harm).
- Loans of assistive devices: 5 years after the return. They are administrative
  (who had which item), kept long enough for claims over an item (foreldelsesloven
  § 2: three years) with a margin, and for NAV's follow-up of its own items.
- The access log (audit rows): 10 years, as long as the records it describes, since
  the person may ask who has seen them (pasientjournalloven § 18). A municipality may
  not go below the installation's minimum (`MESTRING_AUDIT_MIN_YEARS`, 10 by default):
  one administrator alone must not be able to shorten the evidence of who looked. Rows are never
  deleted before their own period. After it, the job removes the oldest part of each
  municipality's hash chain behind a checkpoint (access.audit.audit_prune), which the
  chain is verified from; PostgreSQL lets only those rows go (access/0006).
- Persons: when none of their records is left, their identity is anonymised
  (name, identity number, contact details replaced) once nothing about them has
  changed for the person period (default 10 years); the row stays because the
  access log points at it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mestring.tenancy.models import MunicipalityOwned

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

YEARS = [MinValueValidator(1), MaxValueValidator(100)]

# field name: (default years, label)
PERIOD_FIELDS: dict[str, tuple[int, StrOrPromise]] = {
    "referrals_years": (10, _("Avsluttede meldinger om behov")),
    "cases_years": (10, _("Avsluttede saker med vedtak")),
    "plans_years": (10, _("Avsluttede individuelle planer")),
    "episodes_years": (10, _("Avsluttede rehabiliteringsforløp")),
    "stays_years": (10, _("Avsluttede opphold")),
    "loans_years": (5, _("Returnerte utlån av hjelpemidler")),
    "audit_years": (10, _("Tilgangsloggen")),
    "persons_years": (10, _("Personer uten gjenværende opplysninger (anonymiseres)")),
}


def audit_min_years() -> int:
    """The shortest period the access log is kept, set for the whole installation
    (`MESTRING_AUDIT_MIN_YEARS`): a municipality cannot choose less, and the retention
    job never removes rows younger than it, whatever a policy row says."""
    return max(1, int(getattr(settings, "MESTRING_AUDIT_MIN_YEARS", 10)))


def audit_years_too_short(years: int) -> str:
    minimum = audit_min_years()
    if years >= minimum:
        return ""
    return gettext(
        "Tilgangsloggen må oppbevares i minst %(years)s år. Grensen gjelder hele "
        "installasjonen og kan ikke settes lavere av kommunen."
    ) % {"years": minimum}


def _years(name: str) -> models.PositiveSmallIntegerField:
    default, label = PERIOD_FIELDS[name]
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=YEARS,
        help_text=_("Antall år etter at opplysningen ble avsluttet."),
    )


class RetentionPolicy(MunicipalityOwned):
    """How many years each kind of record is kept after it ended (one per municipality)."""

    referrals_years = _years("referrals_years")
    cases_years = _years("cases_years")
    plans_years = _years("plans_years")
    episodes_years = _years("episodes_years")
    stays_years = _years("stays_years")
    loans_years = _years("loans_years")
    audit_years = _years("audit_years")
    persons_years = _years("persons_years")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("oppbevaringstider")
        verbose_name_plural = _("oppbevaringstider")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="retention_one_per_municipality")
        ]

    def __str__(self) -> str:
        return str(_("Oppbevaringstider"))
