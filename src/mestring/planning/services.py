"""Writes for planning: population figures from an import (or the demo)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.core.importing import ImportResult
from mestring.kernel.audit_words import AuditAction
from mestring.planning.models import PopulationFigure, PopulationImport, PopulationKind


@dataclass(frozen=True)
class FigureRow:
    region: str
    age_group: str
    age_from: int
    age_to: int | None
    year: int
    count: int
    kind: str = ""  # "" = decided by the year (default_kind)


def last_registered_year() -> int:
    """Without a kind in the file, figures up to last year are registered, later ones
    (this year and on) are projections."""
    return timezone.localdate().year - 1


def default_kind(year: int) -> str:
    return PopulationKind.REGISTERED if year <= last_registered_year() else PopulationKind.PROJECTED


def population_figures_save(
    *,
    actor: Actor,
    rows: Iterable[FigureRow],
    file_name: str,
    format: str,
    result: ImportResult | None = None,
) -> ImportResult:
    """Create or update one figure per (region, age group, year). Figures that are the
    same as before are left alone, so the same file twice changes nothing: no figure,
    no import record and no audit row. One audit row per import that changed something."""
    result = result if result is not None else ImportResult()
    rows = list(rows)
    with transaction.atomic():
        existing = {
            (f.region, f.age_group, f.year): f
            for f in PopulationFigure.objects.filter(region__in={r.region for r in rows})
        }
        to_create, to_update = [], []
        for row in rows:
            kind = row.kind or default_kind(row.year)
            figure = existing.get((row.region, row.age_group, row.year))
            if figure is None:
                to_create.append(
                    PopulationFigure(
                        region=row.region,
                        age_group=row.age_group,
                        age_from=row.age_from,
                        age_to=row.age_to,
                        year=row.year,
                        count=row.count,
                        kind=kind,
                    )
                )
            elif figure.count != row.count or figure.kind != kind:
                figure.count, figure.kind = row.count, kind
                to_update.append(figure)
            else:
                result.unchanged += 1
        if not to_create and not to_update:
            return result
        record = PopulationImport.objects.create(
            file_name=file_name[:255],
            format=format,
            rows=len(rows),
            created=len(to_create),
            updated=len(to_update),
            unchanged=result.unchanged,
            imported_by=actor.staff,
            imported_by_name=actor.username,
        )
        for figure in to_create + to_update:
            figure.source = record
            if figure.municipality_id is None:
                figure.municipality = actor.municipality
        PopulationFigure.objects.bulk_create(to_create, batch_size=500)
        PopulationFigure.objects.bulk_update(to_update, ["count", "kind", "source"], batch_size=500)
        result.created += len(to_create)
        result.updated += len(to_update)
        record_event(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="population_import",
            object_id=record.pk,
        )
    return result
