"""Planning pages: population import, demography, projected need, capacity and pyramid.
Figures only, no persons."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.decorators import staff_required
from mestring.access.permissions import PLAN_EDIT, STATISTICS_VIEW
from mestring.catalogue.selectors import capacity_rows
from mestring.core import csvexport
from mestring.planning import selectors
from mestring.planning.charts import population_chart
from mestring.planning.forms import PopulationImportForm
from mestring.planning.importers import PopulationCsvImporter, PopulationJsonStatImporter
from mestring.planning.models import PopulationImport, PopulationKind

FIRST_YEAR = 2000
MAX_ERRORS_SHOWN = 100


def _year(request: HttpRequest, default: int, last: int) -> tuple[int, str, str]:
    """The year in ?ar= (FIRST_YEAR to `last`), or `default` with a message."""
    raw = request.GET.get("ar", "").strip()
    if not raw:
        return default, str(default), ""
    if not raw.isdigit() or len(raw) != 4:
        message = _("«%(value)s» er ikke et årstall. Skriv året med fire sifre, som %(year)s.")
        return default, raw[:20], message % {"value": raw[:20], "year": default}
    year = int(raw)
    if not FIRST_YEAR <= year <= last:
        message = _("Velg et år fra %(first)s til %(last)s.")
        return default, raw, message % {"first": FIRST_YEAR, "last": last}
    return year, raw, ""


@staff_required(PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def population_import(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = PopulationImportForm(request.POST if posted else None, request.FILES if posted else None)
    errors: list[str] = []
    if posted and form.is_valid():
        importer_class = (
            PopulationJsonStatImporter
            if form.cleaned_data["format"] == "jsonstat"
            else PopulationCsvImporter
        )
        importer = importer_class(request.actor)
        importer.file_name = form.file_name
        result = importer.import_text(form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                _(
                    "Importert fra %(file)s: %(created)s nye, %(updated)s endret, "
                    "%(unchanged)s uendret."
                )
                % {
                    "file": form.file_name,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("planning:population_import")
        errors = [str(error) for error in result.errors]
        form.add_error(
            "file",
            _("Filen har %(count)s feil og er ikke importert. Ingenting er lagret.")
            % {"count": len(errors)},
        )
    return render(
        request,
        "planning/population_import.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "more_errors": max(0, len(errors) - MAX_ERRORS_SHOWN),
            "imports": PopulationImport.objects.select_related("imported_by__user")[:10],
        },
    )


@staff_required(STATISTICS_VIEW)
@require_GET
def demography(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "").strip()[:100] or None
    table = selectors.population_table(region)
    unknown_region = bool(region) and region != table["region"]
    years = [y for y in table["years"] if y <= selectors.UNTIL]
    rows = [
        {"group": group, "cells": [table["counts"][group].get(year) for year in years]}
        for group in table["groups"]
    ]
    totals = [sum(table["counts"][g].get(year, 0) for g in table["groups"]) for year in years]
    ratio = table["ratio_working_to_67plus"]
    ratio_rows = [
        {
            "year": year,
            "ratio": ratio[year],
            "projected": table["kinds"].get(year) == PopulationKind.PROJECTED,
        }
        for year in years
        if year in ratio
    ]
    chart = population_chart(
        years,
        [(group, table["counts"][group]) for group in table["groups"]],
        projected_from=table["projected_from"],
        label=_("Linjediagram over befolkningen per aldersgruppe og år. Tallene står i tabellen."),
    )
    return csvexport.render_or_csv(
        request,
        "planning/demography.html",
        {
            "table": table,
            "years": years,
            "year_cols": [
                (year, table["kinds"].get(year) == PopulationKind.PROJECTED) for year in years
            ],
            "rows": rows,
            "totals": totals,
            "ratio_rows": ratio_rows,
            "ratio_top": max((r["ratio"] for r in ratio_rows), default=0),
            "chart": chart,
            "unknown_region": region if unknown_region else "",
            "source": selectors.latest_import(),
        },
    )


@staff_required(STATISTICS_VIEW)
@require_GET
def projected_need(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    year, year_input, year_error = _year(request, this_year - 1, this_year)
    need = selectors.projected_need(year)
    last = need["years"][-1] if need["years"] else None
    services = [
        {
            **service,
            "cells": [service["projection"][y] for y in need["years"]],
            "rate_cells": [service["rates"][g] for g in need["groups"]],
            "last": service["projection"].get(last, 0) if last else 0,
        }
        for service in need["services"]
    ]
    return csvexport.render_or_csv(
        request,
        "planning/projected_need.html",
        {
            "need": need,
            "services": services,
            "top": max((s["last"] for s in services), default=0),
            "last_year": last,
            "year": year,
            "year_input": year_input,
            "year_error": year_error,
            "population_cells": [need["population_base"][g] for g in need["groups"]],
        },
    )


@staff_required(STATISTICS_VIEW)
@require_GET
def capacity(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year, year_input, year_error = _year(request, today.year, today.year)
    levels = selectors.pyramid(year)
    return csvexport.render_or_csv(
        request,
        "planning/capacity.html",
        {
            "rows": capacity_rows(today),
            "today": today,
            "levels": levels,
            "top": max((level.persons for level in levels), default=0),
            "year": year,
            "year_input": year_input,
            "year_error": year_error,
        },
    )
