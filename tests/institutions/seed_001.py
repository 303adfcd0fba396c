"""A data set that reproduces a municipal plan's bed table: Lokalmedisinsk senter, 11 beds, 2017.

    stay type        patients  bed-days  occupancy
    rehabilitering         34       741      18.5 %
    korttid               169      2560      63.8 %
    rullering              12       106       2.6 %
    langtid                14       383       9.5 %
    total                 229      3790      94.4 %   (capacity 11 × 365 = 4015)

Each patient is a person of their own. The stays are laid end to end in the 11 beds
(longest first, into the bed with most room left), so no night has more than 11 in a
bed. One long-term stay began in December 2016 (only its 2017 nights count), one
long-term stay is still open (counted to the end of 2017), and one short stay in 2018
is not counted at all.

To write the three CSV files (with the other reference tables' files):

    .venv/bin/python -m tests.seed_tables /tmp/seed001

then import and report:

    cd /tmp/seed001/korttidsplasser
    mestring import persons persons.csv --municipality NNNN
    mestring import units units.csv --municipality NNNN
    mestring import stays stays.csv --municipality NNNN
    mestring report bed-occupancy --municipality NNNN --year 2017 \\
        --unit "Lokalmedisinsk senter" --format json
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

UNIT = "Lokalmedisinsk senter"
BEDS = 11
YEAR = 2017
# stay type: (patients, bed-days in 2017)
TABLE = {
    "rehabilitering": (34, 741),
    "korttid": (169, 2560),
    "rullering": (12, 106),
    "langtid": (14, 383),
}
EXPECTED = {
    "unit": UNIT,
    "year": YEAR,
    "beds": BEDS,
    "capacity_days": 4015,
    "rows": [
        {"stay_type": "rehabilitering", "patients": 34, "bed_days": 741, "occupancy_pct": 18.5},
        {"stay_type": "korttid", "patients": 169, "bed_days": 2560, "occupancy_pct": 63.8},
        {"stay_type": "rullering", "patients": 12, "bed_days": 106, "occupancy_pct": 2.6},
        {"stay_type": "langtid", "patients": 14, "bed_days": 383, "occupancy_pct": 9.5},
    ],
    "total": {"patients": 229, "bed_days": 3790, "occupancy_pct": 94.4},
}
GIVEN = ["Astrid", "Bjørn", "Dagny", "Einar", "Gudrun", "Harald", "Ingrid", "Kåre", "Liv", "Olav"]
FAMILY = ["Berg", "Dahl", "Fjeld", "Haug", "Lie", "Moen", "Nes", "Strand", "Vik", "Aas"]


def lengths(rng: random.Random, count: int, total: int) -> list[int]:
    """`count` stay lengths (at least 1 night each) adding up to `total`."""
    base, extra = divmod(total, count)
    values = [base + (1 if i < extra else 0) for i in range(count)]
    for _ in range(count * 3):
        i, j = rng.randrange(count), rng.randrange(count)
        shift = rng.randint(0, max(0, values[i] // 3))
        if i != j and values[i] - shift >= 1:
            values[i] -= shift
            values[j] += shift
    return values


def stays() -> list[tuple[str, datetime.date, datetime.date | None]]:
    """(stay type, admitted, discharged or None) for each of the 229 patients."""
    rng = random.Random(71)
    jan1 = datetime.date(YEAR, 1, 1)
    end = datetime.date(YEAR + 1, 1, 1)
    nights = {stay_type: lengths(rng, n, days) for stay_type, (n, days) in TABLE.items()}
    # The open long-term stay is placed last in a bed, so it is taken out of the packing.
    open_length = nights["langtid"].pop()
    first_length = nights["langtid"].pop()  # the one that began in December 2016
    items = [(length, t) for t, values in nights.items() for length in values]
    rng.shuffle(items)
    items.sort(key=lambda item: -item[0])
    used = [0] * BEDS
    used[0] = first_length
    placed: list[tuple[str, datetime.date, datetime.date | None]] = [
        ("langtid", datetime.date(YEAR - 1, 12, 1), jan1 + datetime.timedelta(days=first_length))
    ]
    reserve = 1  # bed 1 keeps room at the end of the year for the open stay
    for length, stay_type in items:
        room = [(365 - used[b] - (open_length if b == reserve else 0), b) for b in range(BEDS)]
        free, bed = max(room)
        assert free >= length, "the stays do not fit in 11 beds"
        start = jan1 + datetime.timedelta(days=used[bed])
        placed.append((stay_type, start, start + datetime.timedelta(days=length)))
        used[bed] += length
    assert 365 - used[reserve] >= open_length
    placed.append(("langtid", end - datetime.timedelta(days=open_length), None))
    return placed


def csv_texts() -> tuple[str, str, str]:
    """(persons_csv, units_csv, stays_csv) as text."""
    persons = ["person_ref,national_id,given_name,family_name,birth_date"]
    rows = ["person_ref,unit,stay_type,admitted,discharged"]
    for number, (stay_type, admitted, discharged) in enumerate(stays(), start=1):
        ref = f"LMS{number:03d}"
        given, family = GIVEN[number % 10], FAMILY[(number // 10) % 10]
        birth = datetime.date(1925 + number % 45, 1 + number % 12, 1 + number % 28)
        persons.append(f"{ref},,{given},{family},{birth.isoformat()}")
        rows.append(f"{ref},{UNIT},{stay_type},{admitted},{discharged or ''}")
    # A patient of 2018, not counted in 2017.
    persons.append("LMS900,,Signe,Vik,1931-05-05")
    rows.append(f"LMS900,{UNIT},korttid,2018-01-03,2018-01-20")
    units = f"unit,beds,valid_from\n{UNIT},{BEDS},2016-01-01\n"
    return "\n".join(persons) + "\n", units, "\n".join(rows) + "\n"


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in zip(("persons", "units", "stays"), csv_texts(), strict=True):
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
