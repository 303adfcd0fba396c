"""Reports as classes (after django-oscar's dashboard reports).

A report takes its parameters, computes a plain dictionary (the JSON the command
prints), and knows its CSV table. The web page, the CSV download and `mestring
report` all use the same class, so they cannot disagree.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import TYPE_CHECKING, Any, ClassVar

from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from mestring.core.spreadsheet import csv_row

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# name → class; each domain adds its reports here.
REPORTS: dict[str, str] = {
    "individual-plans": "mestring.reports.individual_plans.IndividualPlansReport",
    "decisions": "mestring.reports.decisions.DecisionsReport",
    "everyday-rehab": "mestring.outcomes.reports.EverydayRehabReport",
    "bed-occupancy": "mestring.institutions.reports.BedOccupancyReport",
    "purchased-places": "mestring.institutions.reports.PurchasedPlacesReport",
    "frisklivsresept": "mestring.friskliv.reports.FrisklivsreseptReport",
    "assistive-devices": "mestring.devices.reports.AssistiveDevicesReport",
    "plan-chapter": "mestring.actionplan.chapter.PlanChapterReport",
}


class ReportParameterError(ValueError):
    """A parameter names nothing that exists (an unknown unit, say); the message is
    plain Norwegian for the user or the command line."""


class Report:
    name: ClassVar[str]
    # Lazy translations, so that a report's words follow the language of the request.
    title: ClassVar[StrOrPromise]
    definition: ClassVar[StrOrPromise]  # what is counted, in plain words, shown with the figures
    # "date" and/or "year", and named options of the command: "unit", "agreement".
    parameters: ClassVar[tuple[str, ...]]

    def compute(self) -> dict[str, Any]:
        raise NotImplementedError

    def table(self, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        raise NotImplementedError

    def as_csv(self, result: dict[str, Any] | None = None) -> str:
        header, rows = self.table(result if result is not None else self.compute())
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(csv_row(header))
        writer.writerows(csv_row(row) for row in rows)
        return buffer.getvalue()


def report_class(name: str) -> type[Report]:
    return import_string(REPORTS[name])


def adult_threshold(day: datetime.date, age: int = 18) -> datetime.date:
    """The latest birth date of someone who is `age` or older on `day`.

    Matches Person.age_on: someone born 29 February has their birthday on 1 March in
    other years.
    """
    try:
        return day.replace(year=day.year - age)
    except ValueError:  # 29 February in a leap year, and the year `age` back is not one
        return datetime.date(day.year - age, 2, 28)


FIRST_YEAR = 2000


def chosen_year(request: HttpRequest) -> tuple[int, str]:
    """The year in ?ar=, or this year; a bad value gives this year and a message."""
    this_year = timezone.localdate().year
    raw = request.GET.get("ar", "").strip()
    if not raw:
        return this_year, ""
    if not raw.isdigit() or len(raw) != 4:
        message = _("«%(value)s» er ikke et årstall. Skriv året med fire sifre, som %(year)s.")
        return this_year, message % {"value": raw, "year": this_year}
    year = int(raw)
    if not FIRST_YEAR <= year <= this_year:
        message = _("Velg et år fra %(first)s til %(last)s.")
        return this_year, message % {"first": FIRST_YEAR, "last": this_year}
    return year, ""
