"""The frisklivsresept report page (figures only, no persons) and its CSV download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mestring.access.decorators import staff_required
from mestring.access.permissions import STATISTICS_VIEW
from mestring.core.downloads import content_disposition
from mestring.core.reporting import chosen_year
from mestring.friskliv.models import Reason
from mestring.friskliv.reports import FrisklivsreseptReport


def _share(n: int, total: int) -> str:
    return f"{round(100 * n / total)} %" if total else "–"


@staff_required(STATISTICS_VIEW)
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    year, year_error = chosen_year(request)
    report = FrisklivsreseptReport(year=year)
    result = report.compute()
    if request.GET.get("format") == "csv" and not year_error:
        # The same CSV as `mestring report frisklivsresept --format csv`.
        response = HttpResponse(report.as_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition(f"frisklivsresept-{year}.csv")
        return response
    total = result["referred"]
    labels = dict(Reason.choices)
    context = {
        "report": report,
        "year": year,
        "year_input": request.GET.get("ar", "").strip() if year_error else str(year),
        "year_error": year_error,
        "result": result,
        "completed_share": _share(result["completed"], total),
        "age_rows": [
            {"label": band, "count": n, "share": _share(n, total)}
            for band, n in result["by_age_band"].items()
        ],
        "reason_rows": [
            {"label": labels.get(code, code), "count": n, "share": _share(n, total)}
            for code, n in result["by_reason"].items()
        ],
    }
    return render(request, "friskliv/report.html", context)
