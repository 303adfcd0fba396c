"""Reads for planning: the population table, projected need, capacity and the pyramid.

`population_table()` and `projected_need()` are a stable interface: the plan's
statistics chapter (actionplan) calls them. Each runs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from mestring.casework.models import Decision, DecisionOutcome, DecisionSubject
from mestring.catalogue.models import Assignment, Service
from mestring.planning.ages import contains
from mestring.planning.models import PopulationFigure, PopulationImport, PopulationKind
from mestring.rehab.models import Episode
from mestring.tenancy.context import get_active_municipality

UNTIL = 2040
WORKING_AGE = (20, 66)
ELDERLY_FROM = 67
PYRAMID_LEVELS = (1, 2, 3, 4, 5)


class RatioError(ValueError):
    """A group crosses 20 or 67, so the ratio cannot be computed without splitting it."""


def regions() -> list[str]:
    figures = PopulationFigure.objects.values_list("region", flat=True)
    return list(figures.distinct().order_by("region"))


def default_region(available: list[str]) -> str | None:
    """The municipality's own number when the data has it, else the first region."""
    if not available:
        return None
    number = get_active_municipality().number
    return number if number in available else available[0]


def _sort_key(bounds: tuple[int, int | None]) -> tuple[int, int]:
    return bounds[0], bounds[1] if bounds[1] is not None else 10**6


def ratio_working_to_67plus(
    groups: list[str],
    bounds: dict[str, tuple[int, int | None]],
    counts: dict[str, dict[int, int]],
    years: list[int],
) -> dict[int, float]:
    """Per year: people aged 20–66 per person aged 67 and over, rounded to 2 decimals.

    Groups wholly inside 20–66 count as working age, groups from 67 up as elderly, and
    groups wholly below 20 not at all. A group that crosses 20 or 67 (like 45-69) raises
    RatioError: it is never split by guessing. Years without anyone 67+ are left out."""
    working, elderly = [], []
    for group in groups:
        low, high = bounds[group]
        top = high if high is not None else 10**6
        if top < WORKING_AGE[0]:
            continue
        if low >= ELDERLY_FROM:
            elderly.append(group)
        elif low >= WORKING_AGE[0] and top <= WORKING_AGE[1]:
            working.append(group)
        else:
            raise RatioError(
                _(
                    "Aldersgruppen «%(group)s» går over grensen ved 20 eller 67 år, så forholdet "
                    "mellom yrkesaktive (20–66 år) og eldre (67 år og over) kan ikke regnes ut. "
                    "Importer tall med grupper som deler ved 20 og 67 år."
                )
                % {"group": group}
            )
    ratio = {}
    for year in years:
        old = sum(counts[g].get(year, 0) for g in elderly)
        if old:
            ratio[year] = round(sum(counts[g].get(year, 0) for g in working) / old, 2)
    return ratio


def population_table(region: str | None = None) -> dict[str, Any]:
    """The population of one region by age group and year (two queries).

    `region`: a region as stored (the municipality number, e.g. "1824", or a name); None
    picks the municipality's own number if the data has it, else the first region.

    Returns::

        {
          "region": "1824" | None,          # None when there are no figures
          "years": [2015, ..., 2040],       # every year with figures, ascending
          "groups": ["0-19", "20-66", ...], # ordered by lower age bound
          "counts": {group: {year: n}},     # a missing year means no figure
          "projected_from": 2026 | None,    # first projected year; None: none projected
          "ratio_working_to_67plus": {year: 3.12},  # 20–66 per 67+, 2 decimals
          # extra keys, for pages:
          "bounds": {group: (lower, upper or None)},
          "kinds": {year: "registrert" | "framskrevet"},
          "ratio_error": "" | "plain Norwegian message",  # a group crosses 20 or 67
          "regions": [all regions],
        }
    """
    available = regions()
    chosen = region if region in available else default_region(available)
    empty: dict[str, Any] = {
        "region": chosen,
        "years": [],
        "groups": [],
        "counts": {},
        "projected_from": None,
        "ratio_working_to_67plus": {},
        "bounds": {},
        "kinds": {},
        "ratio_error": "",
        "regions": available,
    }
    if chosen is None:
        return empty
    figures = PopulationFigure.objects.filter(region=chosen).values_list(
        "age_group", "age_from", "age_to", "year", "count", "kind"
    )
    bounds: dict[str, tuple[int, int | None]] = {}
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    kinds: dict[int, str] = {}
    for group, low, high, year, count, kind in figures:
        bounds[group] = (low, high)
        counts[group][year] = count
        # A year is projected if any of its figures is.
        if kinds.get(year) != PopulationKind.PROJECTED:
            kinds[year] = kind
    groups = sorted(bounds, key=lambda g: (*_sort_key(bounds[g]), g))
    years = sorted(kinds)
    projected = [y for y in years if kinds[y] == PopulationKind.PROJECTED]
    counts = {g: dict(sorted(counts[g].items())) for g in groups}
    try:
        ratio, ratio_error = ratio_working_to_67plus(groups, bounds, counts, years), ""
    except RatioError as exc:
        ratio, ratio_error = {}, str(exc)
    return {
        **empty,
        "years": years,
        "groups": groups,
        "counts": counts,
        "projected_from": projected[0] if projected else None,
        "ratio_working_to_67plus": ratio,
        "bounds": bounds,
        "kinds": kinds,
        "ratio_error": ratio_error,
    }


def latest_import() -> PopulationImport | None:
    return PopulationImport.objects.order_by("-imported_at", "-pk").first()


# --- Projected need


def reference_day(year: int) -> datetime.date:
    """Ages are taken on 1 July of the base year (the middle of the year)."""
    return datetime.date(year, 7, 1)


def recipients_in_year(year: int) -> dict[int, dict[int, datetime.date]]:
    """service id → {person id: birth date} of persons with a granted or partly granted
    service decision valid at some time in the year (one query).

    A decision is valid from `valid_from` (or the decision date) to `valid_to` (open if
    empty), and ends the day before `stopped_on` when it was stopped."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (
        Decision.objects.filter(
            subject=DecisionSubject.SERVICE,
            outcome__in=[DecisionOutcome.GRANTED, DecisionOutcome.PARTLY],
            service__isnull=False,
        )
        .filter(
            Q(valid_from__lte=end) | Q(valid_from__isnull=True, decided_on__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
            Q(stopped_on__isnull=True) | Q(stopped_on__gt=start),
        )
        .values_list("service_id", "case__person_id", "case__person__birth_date")
        .distinct()
    )
    found: dict[int, dict[int, datetime.date]] = defaultdict(dict)
    for service_id, person_id, birth in rows:
        found[service_id][person_id] = birth
    return found


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - int((day.month, day.day) < (birth.month, birth.day))


def projected_need(base_year: int, until: int = UNTIL, region: str | None = None) -> dict[str, Any]:
    """Projected recipients per catalogue service and year, from the base year to `until`.

    For each active service in the catalogue: the recipients in `base_year` are the
    distinct persons with a granted (innvilget or delvis) decision on the service that
    is valid some time in the year; each is placed in the population table's age group
    by age on 1 July of the base year. The rate of a group is recipients in the group /
    the group's population in the base year (0 where the population is 0 or missing).
    Projected recipients in a year = Σ over groups of rate × the group's population that
    year, rounded to a whole number (the rates are used unrounded).

    Returns::

        {
          "base_year": 2025,
          "services": [
            {"service": "Hjemmesykepleie",
             "rates": {group: rate},        # rounded to 4 decimals, for display
             "recipients_base": 42,         # distinct persons in the base year
             "projection": {year: n}},      # base year to `until`, years with figures
            ...
          ],
          "assumptions": ["plain Norwegian sentences"],
          # extra keys, for pages:
          "region": "1824" | None, "groups": [...], "years": [...],
          "population_base": {group: n}, "outside_groups": {service: n}, "error": "" | message,
        }
    """
    table = population_table(region)
    groups, counts = table["groups"], table["counts"]
    years = [y for y in table["years"] if base_year <= y <= until]
    population_base = {g: counts[g].get(base_year, 0) for g in groups}
    day = reference_day(base_year)
    error = ""
    if table["region"] is None:
        error = _("Det finnes ingen befolkningstall. Importer befolkningstall først.")
    elif base_year not in table["years"]:
        error = _("Befolkningstallene har ingen tall for %(year)s. Velg et annet basisår.") % {
            "year": base_year
        }
    assumptions = [
        _("Basisår: %(year)s.") % {"year": base_year},
        _(
            "Mottakere i basisåret: personer med innvilget eller delvis innvilget vedtak om "
            "tjenesten som gjaldt en gang i løpet av året (fra «gjelder fra» eller "
            "vedtaksdatoen til «gjelder til» eller stansdatoen). Hver person telles én gang "
            "per tjeneste."
        ),
        _("Alder regnes per 1. juli %(year)s.") % {"year": base_year},
        _(
            "Rate per aldersgruppe = mottakere i gruppen / befolkningen i gruppen i basisåret. "
            "Framskrevne mottakere = summen av rate × befolkningen i gruppen det året, avrundet "
            "til hele personer. Ratene holdes uendret fram til %(until)s."
        )
        % {"until": until},
    ]
    if table["region"] is not None:
        source = latest_import()
        assumptions.append(
            _("Befolkningstall for region %(region)s%(source)s%(projected)s.")
            % {
                "region": table["region"],
                "source": (
                    _(", sist importert %(day)s (%(what)s)")
                    % {
                        "day": source.imported_at.strftime("%d.%m.%Y"),
                        "what": source.file_name or source.get_format_display(),
                    }
                    if source
                    else ""
                ),
                "projected": (
                    _("; framskrevne tall fra %(year)s") % {"year": table["projected_from"]}
                    if table["projected_from"]
                    else ""
                ),
            }
        )
    result: dict[str, Any] = {
        "base_year": base_year,
        "services": [],
        "assumptions": assumptions,
        "region": table["region"],
        "groups": groups,
        "years": years,
        "population_base": population_base,
        "outside_groups": {},
        "error": error,
    }
    if error:
        return result
    recipients = recipients_in_year(base_year)
    bounds = table["bounds"]
    for service in Service.objects.filter(is_active=True).order_by("name"):
        persons = recipients.get(service.pk, {})
        in_group: dict[str, int] = dict.fromkeys(groups, 0)
        outside = 0
        for birth in persons.values():
            age = age_on(birth, day)
            group = next((g for g in groups if contains(bounds[g], age)), None)
            if group is None:
                outside += 1
            else:
                in_group[group] += 1
        rates = {
            g: (in_group[g] / population_base[g]) if population_base[g] else 0.0 for g in groups
        }
        if outside:
            result["outside_groups"][service.name] = outside
        result["services"].append(
            {
                "service": service.name,
                "rates": {g: round(rate, 4) for g, rate in rates.items()},
                "recipients_base": len(persons),
                "projection": {
                    year: round(sum(rates[g] * counts[g].get(year, 0) for g in groups))
                    for year in years
                },
            }
        )
    if result["outside_groups"]:
        assumptions.append(
            _("Mottakere med en alder som ingen aldersgruppe dekker, er ikke med i ratene.")
        )
    return result


# --- Capacity and the pyramid


@dataclass
class PyramidLevel:
    level: int
    services: list[str]
    persons: int  # distinct persons, assignments and episodes together
    from_assignments: int
    episodes: int


def pyramid(year: int) -> list[PyramidLevel]:
    """Persons served on each level 1–5 of the rehabilitation pyramid in a year (3 queries).

    A person counts on a level when they had an assignment (tildeling) active some time
    in the year for a service on that level, or a rehabilitation episode active in the
    year (started, and not ended before the year) in a programme whose catalogue service
    is on that level. Each person counts once per level."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    services_by_level: dict[int, list[str]] = defaultdict(list)
    for name, level in Service.objects.filter(pyramid_level__isnull=False).values_list(
        "name", "pyramid_level"
    ):
        if level is not None:  # filtered so; the column may be empty
            services_by_level[level].append(name)
    assigned = (
        Assignment.objects.filter(
            decision__service__pyramid_level__isnull=False, starts_on__lte=end
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values_list("decision__service__pyramid_level", "decision__case__person_id")
        .distinct()
    )
    episodes = (
        Episode.objects.filter(
            programme__service__pyramid_level__isnull=False,
            start_date__isnull=False,
            start_date__lte=end,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("programme__service__pyramid_level", "person_id", "pk")
    )
    by_assignment: dict[int, set[int]] = defaultdict(set)
    for level, person_id in assigned:
        if level is not None:  # filtered so; the column may be empty
            by_assignment[level].add(person_id)
    by_episode: dict[int, set[int]] = defaultdict(set)
    episode_count: dict[int, int] = defaultdict(int)
    for level, person_id, _pk in episodes:
        if level is not None:  # filtered so; the column may be empty
            by_episode[level].add(person_id)
            episode_count[level] += 1
    return [
        PyramidLevel(
            level=level,
            services=services_by_level.get(level, []),
            persons=len(by_assignment[level] | by_episode[level]),
            from_assignments=len(by_assignment[level]),
            episodes=episode_count[level],
        )
        for level in PYRAMID_LEVELS
    ]
