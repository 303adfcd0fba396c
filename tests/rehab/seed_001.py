"""A data set that reproduces a municipal plan's hverdagsrehabilitering table (2017).

    2017: 63 referrals; 24 ikke aktuell, 39 aktuell; 28 fullført, 11 avbrutt;
    duration mean 36 days (min 20, max 67) = 5.1 weeks; visits mean 18 (min 14,
    max 25); SPPB 19 improved, 5 unchanged, 4 worsened, 0 not measured.

The by-source split is ours (the table gives no split): see SOURCES. Two more episodes,
referred 31.12.2016 and 01.01.2018, check that the year boundaries hold.

Write the two files for a closing note or a manual run:

    .venv/bin/python -m tests.seed_tables /tmp/seed001
    cd /tmp/seed001/hverdagsrehabilitering
    mestring import persons persons.csv --municipality NNNN
    mestring import episodes episodes.csv --municipality NNNN
    mestring report everyday-rehab --municipality NNNN --year 2017 --format json
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from mestring.outcomes.importers import EpisodeImporter

YEAR = 2017
SOURCES = {
    "sykehus": 21,
    "fastlege": 12,
    "hjemmetjeneste": 14,
    "sykehjem": 4,
    "tjenestekontor": 8,
    "annet": 4,
}
EXPECTED = {
    "year": 2017,
    "referrals": 63,
    "by_source": SOURCES,
    "not_relevant": 24,
    "relevant": 39,
    "completed": 28,
    "not_completed": 11,
    "duration_days": {"mean": 36.0, "min": 20, "max": 67},
    "duration_weeks_mean": 5.1,
    "visits": {"mean": 18.0, "min": 14, "max": 25},
    "sppb": {"improved": 19, "unchanged": 5, "worsened": 4, "not_measured": 0},
}
NOT_RELEVANT, COMPLETED, DISCONTINUED = 24, 28, 11
# Durations sum to 28 × 36 = 1008 days; visits to 28 × 18 = 504.
DURATIONS = [20, 67, 46, *[35] * 25]
VISITS = [14, 25, *[18] * 23, 17, 17, 17]
# SPPB change end − start: 19 improved (≥ 1), 5 unchanged, 4 worsened (≤ −1).
SPPB_CHANGES = [
    2,
    3,
    1,
    4,
    2,
    1,
    2,
    3,
    1,
    2,
    5,
    1,
    2,
    2,
    3,
    1,
    2,
    1,
    2,
    0,
    0,
    0,
    0,
    0,
    -1,
    -2,
    -1,
    -1,
]
GIVEN = ["Astrid", "Bjørn", "Dagny", "Einar", "Frøydis", "Gunnar", "Hjørdis", "Ivar", "Jorunn"]
FAMILY = [
    "Testesen",
    "Prøvestad",
    "Demodal",
    "Eksempelvik",
    "Fiktivnes",
    "Syntetberg",
    "Oppdiktrud",
]
PERSON_COLUMNS = ("person_ref", "national_id", "given_name", "family_name", "birth_date")


def _csv(header: tuple[str, ...], rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _episode(ref: str, referral: datetime.date, source: str) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(EpisodeImporter.columns, "")
    row.update(person_ref=ref, programme="hverdagsrehabilitering", referral_source=source)
    row["referral_date"] = referral.isoformat()
    return row


def build() -> tuple[str, str]:
    """(persons_csv, episodes_csv) as text."""
    sources = [source for source, n in SOURCES.items() for _ in range(n)]
    persons, episodes = [], []
    total = NOT_RELEVANT + COMPLETED + DISCONTINUED
    for index in range(total + 2):
        ref = f"S001-{index + 1:03d}"
        persons.append(
            {
                "person_ref": ref,
                "national_id": "",
                "given_name": GIVEN[index % len(GIVEN)],
                "family_name": FAMILY[index % len(FAMILY)],
                "birth_date": datetime.date(1930 + index % 20, 1 + index % 12, 1 + index % 28),
            }
        )
        if index >= total:  # the two boundary episodes, outside 2017
            referral = datetime.date(2016, 12, 31) if index == total else datetime.date(2018, 1, 1)
            row = _episode(ref, referral, "annet")
            row.update(assessed_date=referral.isoformat(), assessment="ikke_aktuell")
            episodes.append(row)
            continue
        referral = datetime.date(YEAR, 1, 2) + datetime.timedelta(days=(index * 353) // total)
        row = _episode(ref, referral, sources[index])
        assessed = referral + datetime.timedelta(days=3)
        row["assessed_date"] = assessed.isoformat()
        if index < NOT_RELEVANT:
            row["assessment"] = "ikke_aktuell"
            episodes.append(row)
            continue
        row["assessment"] = "aktuell"
        start = assessed + datetime.timedelta(days=7)
        done = index - NOT_RELEVANT
        if done < COMPLETED:
            end = start + datetime.timedelta(days=DURATIONS[done])
            sppb_start = 5 + done % 4
            row.update(
                start_date=start.isoformat(),
                end_date=end.isoformat(),
                outcome="fullfort",
                visits=VISITS[done],
                sppb_start=sppb_start,
                sppb_end=sppb_start + SPPB_CHANGES[done],
                copm_performance_start=3 + done % 3,
                copm_performance_end=6 + done % 3,
            )
        elif (done - COMPLETED) % 2:  # avbrutt while waiting
            row.update(
                end_date=(assessed + datetime.timedelta(days=5)).isoformat(), outcome="avbrutt"
            )
        else:  # avbrutt after a start
            row.update(
                start_date=start.isoformat(),
                end_date=(start + datetime.timedelta(days=9)).isoformat(),
                outcome="avbrutt",
                visits=4,
                sppb_start=6,
            )
        episodes.append(row)
    return _csv(PERSON_COLUMNS, persons), _csv(EpisodeImporter.columns, episodes)


def write(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    persons, episodes = build()
    paths = (folder / "persons.csv", folder / "episodes.csv")
    paths[0].write_text(persons, encoding="utf-8")
    paths[1].write_text(episodes, encoding="utf-8")
    return paths
