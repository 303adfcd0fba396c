"""Each CSV import timed on generated files of `rows` rows (rows per second).

The files are made for the large municipality: new persons `IMP-…` first, then the
other imports refer to them. Every import runs the same code as `mestring import`,
all or nothing; a file that fails is reported with its first error, not timed.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable

from mestring.access.actor import system_actor
from mestring.bench.measure import ImportFigure, timed
from mestring.core.importing import importer_class, run_import
from mestring.institutions.models import BedCapacity
from mestring.plans.models import CoordinatorProfile
from mestring.rehab.models import Programme
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality

FIRST_DAY = datetime.date(1990, 1, 1)


def _csv(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _day(n: int) -> str:
    return (FIRST_DAY + datetime.timedelta(days=n)).isoformat()


def _refs(rows: int) -> list[str]:
    return [f"IMP-{n:07d}" for n in range(1, rows + 1)]


def persons_file(rows: int, municipality: Municipality) -> str:
    return _csv(
        ["person_ref", "national_id", "given_name", "family_name", "birth_date"],
        [[ref, "", "Import", f"Person{n}", "1940-05-17"] for n, ref in enumerate(_refs(rows))],
    )


def stays_file(rows: int, municipality: Municipality) -> str:
    capacity = BedCapacity.objects.select_related("unit").order_by("unit__name").first()
    if capacity is None:
        raise RuntimeError("Importen av opphold trenger en enhet med sengekapasitet i demodataene.")
    unit = capacity.unit
    # One stay after the other in one unit, so no night is over capacity.
    return _csv(
        ["person_ref", "unit", "stay_type", "admitted", "discharged"],
        [
            [ref, unit.name, "korttid", _day(2 * n), _day(2 * n + 1)]
            for n, ref in enumerate(_refs(rows))
        ],
    )


def episodes_file(rows: int, municipality: Municipality) -> str:
    programme = Programme.objects.order_by("pk").first()
    if programme is None:
        raise RuntimeError("Importen av forløp trenger et rehabiliteringsprogram i demodataene.")
    return _csv(
        [
            "person_ref",
            "programme",
            "referral_date",
            "referral_source",
            "assessed_date",
            "assessment",
            "start_date",
            "end_date",
            "outcome",
            "visits",
            "sppb_start",
            "sppb_end",
            "copm_performance_start",
            "copm_performance_end",
        ],
        [
            [
                ref,
                programme.code,
                _day(n),
                "fastlege",
                _day(n + 2),
                "aktuell",
                _day(n + 5),
                _day(n + 40),
                "fullfort",
                12,
                6,
                8,
                4,
                6,
            ]
            for n, ref in enumerate(_refs(rows))
        ],
    )


def prescriptions_file(rows: int, municipality: Municipality) -> str:
    return _csv(
        ["person_ref", "referral_date", "reason", "completed"],
        [[ref, _day(n), "inaktivitet", "ja"] for n, ref in enumerate(_refs(rows))],
    )


def loans_file(rows: int, municipality: Municipality) -> str:
    return _csv(
        [
            "person_ref",
            "item_ref",
            "device_type",
            "value_nok",
            "owner",
            "delivered_date",
            "returned_date",
        ],
        [
            [ref, f"IMPORT-{n:07d}", "Rullator", 2500, "kommune", _day(n), _day(n + 100)]
            for n, ref in enumerate(_refs(rows))
        ],
    )


def plans_file(rows: int, municipality: Municipality) -> str:
    coordinator = CoordinatorProfile.objects.select_related("staff__user").first()
    ref = coordinator.staff.hpr_number if coordinator else ""
    return _csv(
        [
            "person_ref",
            "responsible_unit",
            "coordinator_ref",
            "consent_date",
            "start_date",
            "end_date",
        ],
        [
            [person, "Tjenestekontor og koordinerende enhet", ref, _day(n), _day(n), ""]
            for n, person in enumerate(_refs(rows))
        ],
    )


FILES: list[tuple[str, Callable[[int, Municipality], str]]] = [
    ("persons", persons_file),
    ("stays", stays_file),
    ("episodes", episodes_file),
    ("prescriptions", prescriptions_file),
    ("loans", loans_file),
    ("plans", plans_file),
]


def measure_imports(municipality: Municipality, rows: int) -> list[ImportFigure]:
    figures = []
    with activate(municipality):
        for name, make in FILES:
            text = make(rows, municipality)
            importer = importer_class(name)(system_actor(municipality, label="import"))
            run = getattr(importer, "run", None)
            seconds, result = timed(lambda: run(text) if run else run_import(importer, text))  # noqa: B023
            if result.errors:
                raise RuntimeError(f"Importen {name} feilet: {result.errors[0]}")
            figures.append(ImportFigure(name=name, rows=rows, seconds=round(seconds, 3)))
    return figures
