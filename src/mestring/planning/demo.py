"""Demo population for the demo municipality: 2015–2040 in the groups 0-19, 20-66,
67-79, 80-89 and 90+, registered up to last year and projected after, with fewer young
people and more old ones each year, as in the national projections. Idempotent: does nothing when
the municipality already has population figures."""

from __future__ import annotations

import random
from datetime import date

from mestring.access.actor import system_actor
from mestring.planning.ages import parse_age_group
from mestring.planning.models import ImportFormat, PopulationFigure, PopulationKind
from mestring.planning.services import FigureRow, population_figures_save
from mestring.tenancy.context import get_active_municipality

FIRST_YEAR, LAST_YEAR = 2015, 2040
# group, people in 2015, yearly change
GROUPS = (
    ("0-19", 2400, -0.010),
    ("20-66", 6100, -0.004),
    ("67-79", 1150, 0.018),
    ("80-89", 420, 0.030),
    ("90+", 70, 0.035),
)


def build_planning_demo(rng: random.Random, today: date) -> None:
    if PopulationFigure.objects.exists():
        return
    municipality = get_active_municipality()
    rows = []
    for group, start, change in GROUPS:
        low, high = parse_age_group(group)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            registered = year < today.year
            # Registered years wobble a little; a projection is smooth.
            noise = 1 + (rng.uniform(-0.01, 0.01) if registered else 0)
            count = round(start * (1 + change) ** (year - FIRST_YEAR) * noise)
            kind = PopulationKind.REGISTERED if registered else PopulationKind.PROJECTED
            rows.append(FigureRow(municipality.number, group, low, high, year, count, kind))
    population_figures_save(
        actor=system_actor(municipality, label="demo"),
        rows=rows,
        file_name="",
        format=ImportFormat.DEMO,
    )
