"""Shared helpers for the planning tests."""

from __future__ import annotations

import json
from typing import Any

from mestring.core.importing import ImportResult
from mestring.people.models import Staff
from mestring.planning.importers import PopulationCsvImporter, PopulationJsonStatImporter
from mestring.tenancy.context import activate
from tests.assessments.helpers import actor_for


def import_csv(staff: Staff, text: str) -> ImportResult:
    with activate(staff.municipality):
        importer = PopulationCsvImporter(actor_for(staff))
        importer.file_name = "befolkning.csv"
        return importer.import_text(text)


def import_jsonstat(staff: Staff, text: str | dict) -> ImportResult:
    if not isinstance(text, str):
        text = json.dumps(text)
    with activate(staff.municipality):
        importer = PopulationJsonStatImporter(actor_for(staff))
        importer.file_name = "befolkning.json"
        return importer.run(text)


def csv_text(rows: list[tuple[Any, ...]], header: str = "region,age_group,year,count") -> str:
    return header + "\n" + "\n".join(",".join(str(c) for c in row) for row in rows) + "\n"


def dataset(
    regions: list[str],
    ages: list[str],
    years: list[int],
    values: list | dict,
    *,
    ages_as_list: bool = False,
    age_labels: dict[str, str] | None = None,
) -> dict:
    """A JSON-stat 2.0 dataset shaped like SSB's answers (Region, Alder, ContentsCode, Tid)."""
    age_index: list | dict = ages if ages_as_list else {a: i for i, a in enumerate(ages)}
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "Befolkning (syntetisk)",
        "source": "Testdata",
        "id": ["Region", "Alder", "ContentsCode", "Tid"],
        "size": [len(regions), len(ages), 1, len(years)],
        "dimension": {
            "Region": {
                "label": "region",
                "category": {
                    "index": {r: i for i, r in enumerate(regions)},
                    "label": {r: f"Kommune {r}" for r in regions},
                },
            },
            "Alder": {
                "label": "alder",
                "category": {
                    "index": age_index,
                    "label": age_labels or {a: a for a in ages},
                },
            },
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {"index": {"Personer1": 0}, "label": {"Personer1": "Personer"}},
            },
            "Tid": {
                "label": "år",
                "category": {
                    "index": {str(y): i for i, y in enumerate(years)},
                    "label": {str(y): str(y) for y in years},
                },
            },
        },
        "value": values,
    }
