"""The coordinating unit's overview, the lists behind its figures, and CSV downloads."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.audit import EventSpec, record_events
from mestring.access.boards import UNIT_WORK, decide_many
from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view
from mestring.access.models import AuditPurpose
from mestring.access.permissions import ACCESS_GRANT, PERSON_REGISTER, STATISTICS_VIEW
from mestring.access.request import StaffRequest
from mestring.core.downloads import content_disposition
from mestring.core.pagination import paginate
from mestring.core.spreadsheet import csv_row
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person
from mestring.reports import coordination
from mestring.reports.individual_plans import three_year_table
from mestring.reports.lists import LISTS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def chosen_date(request: HttpRequest) -> tuple[datetime.date, str]:
    """The date in ?dato=, or today; a bad value gives today and a message."""
    raw = request.GET.get("dato", "").strip()
    if not raw:
        return timezone.localdate(), ""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw, pattern).date(), ""
        except ValueError:
            continue
    return timezone.localdate(), _("«%(value)s» er ikke en dato. Viser i dag.") % {"value": raw}


def csv_response(
    filename: str, header: Sequence[StrOrPromise], rows: list[list[object]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    writer = csv.writer(response)
    writer.writerow(csv_row(str(h) for h in header))
    writer.writerows(csv_row("" if cell is None else str(cell) for cell in row) for row in rows)
    return response


def _age_rows(table: list[dict[str, object]]) -> list[list[object]]:
    return [[row["unit"], row["under_18"], row["adult"], row["total"]] for row in table]


@staff_required(STATISTICS_VIEW)
def coordination_overview(request: StaffRequest) -> HttpResponse:
    day, date_error = chosen_date(request)
    data = coordination.overview(day)
    if request.GET.get("format") == "csv":
        rows: list[list[object]] = []
        for section, label in (
            ("plans", _("Individuell plan")),
            ("coordinators", _("Koordinator")),
            ("groups", _("Ansvarsgruppe")),
        ):
            rows += [[label, *row] for row in _age_rows(data[section])]
        for key, label in (
            ("revision_overdue", _("Planer med forfalt revisjon")),
            ("consents_attention", _("Samtykker trukket eller som utløper")),
            ("meetings_this_week", _("Møter denne uken")),
            ("follow_ups_overdue", _("Oppfølgingspunkter på overtid")),
            ("messages_waiting", _("Meldinger som venter")),
        ):
            rows.append([label, "", "", "", data[key]])
        rows += [
            [_("Koordinator: antall personer"), row["name"], "", "", row["persons"]]
            for row in data["caseload"]
        ]
        header = [_("Tall"), _("Enhet"), _("Under 18"), _("18 og over"), _("Sum")]
        return csv_response(f"koordinerende-enhet-{day.isoformat()}.csv", header, rows)
    context = {
        "data": data,
        "day": day,
        "date_error": date_error,
        "three_years": three_year_table(day),
        "may_list": request.actor.has_perm(ACCESS_GRANT),
        # The inbox is the intake roles' page; others see the figure without the link.
        "may_open_inbox": request.actor.has_perm(PERSON_REGISTER),
        "sections": [
            ("planer", _("Personer med individuell plan"), data["plans"]),
            ("koordinatorer", _("Personer med koordinator"), data["coordinators"]),
            ("ansvarsgrupper", _("Personer med ansvarsgruppe"), data["groups"]),
        ],
    }
    return render(request, "reports/coordination_overview.html", context)


@staff_required(ACCESS_GRANT)
@audited_view(object_type="coordination_list", purpose=AuditPurpose.ADMINISTRATION)
def coordination_list(request: StaffRequest, kind: str) -> HttpResponse:
    figure = LISTS.get(kind)
    if figure is None:
        raise Http404
    day, date_error = chosen_date(request)
    params = {key: request.GET.get(key, "") for key in ("enhet", "alder")}
    queryset = figure.queryset(day, params)
    if request.GET.get("format") == "csv":
        all_rows = figure.rows(queryset)
        _log_named(request, kind, all_rows, action=AuditAction.EXPORT)
        rows = [[_person_label(row[0]), *row[1:]] for row in all_rows]
        return csv_response(f"{kind}-{day.isoformat()}.csv", figure.columns, rows)
    page = paginate(queryset, request.GET.get("side"), per_page=50)
    rows = figure.rows(page.object_list)
    _log_named(request, kind, rows, action=AuditAction.VIEW)
    # The list names everyone for the unit's administration; a name links to the
    # person's pages only where the guard would open them (no link that ends in 403).
    decisions = decide_many(request.actor, (row[0].pk for row in rows))
    context = {
        "figure": figure,
        "kind": kind,
        "day": day,
        "date_error": date_error,
        "page": page,
        "rows": rows,
        "openable": {pk for pk, decision in decisions.items() if decision.allowed},
    }
    return render(request, "reports/coordination_list.html", context)


def _log_named(
    request: StaffRequest, kind: str, rows: list[list[Any]], *, action: AuditAction
) -> None:
    """Each person the list names gets a row in their access log (one batch): the
    coordinating unit's work, for administration."""
    persons = {row[0].pk: row[0] for row in rows}
    record_events(
        actor=request.actor,
        specs=[
            EventSpec(
                action=action,
                object_type="coordination_list",
                object_id=kind,
                person=person,
                purpose=AuditPurpose.ADMINISTRATION,
                reason_code=UNIT_WORK,
            )
            for _pk, person in sorted(persons.items())
        ],
    )


def _person_label(person: Person) -> str:
    return f"{person.family_name}, {person.given_name}"
