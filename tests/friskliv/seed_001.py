"""A data set matching a municipal plan's frisklivsresept table (2017).

`seed_csvs()` returns (persons_csv, prescriptions_csv) as text for
`mestring import persons` and `mestring import prescriptions`. The table:

    referred 222, completed 107,
    age at referral: 0-19: 6, 20-39: 45, 40-59: 89 (40 %), 60-79: 70, 80+: 12,
    reasons: muskel_skjelett 49, overvekt 33, inaktivitet 34 (from the table), and
             psykisk 38, sovn 14, royk_snus 12, kosthold 22, annet 20 (chosen here).

The files also hold rows that must not count: referrals on 31.12.2016 and 01.01.2018,
persons referred on their 20th/40th/60th/80th birthday (they count in the older band),
and persons referred twice on the same day for two different reasons (two rows).

To write the files for a demonstration (the lead's closing note):

    .venv/bin/python -m tests.seed_tables /tmp/seed001
    cd /tmp/seed001/frisklivsresept
    mestring import persons seed001_frisklivsresept_persons.csv --municipality NNNN
    mestring import prescriptions seed001_frisklivsresept.csv --municipality NNNN
    mestring report frisklivsresept --municipality NNNN --year 2017 --format json
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from pathlib import Path

YEAR = 2017
EXPECTED = {
    "year": 2017,
    "referred": 222,
    "completed": 107,
    "by_age_band": {"0-19": 6, "20-39": 45, "40-59": 89, "60-79": 70, "80+": 12},
    "by_reason": {
        "muskel_skjelett": 49,
        "overvekt": 33,
        "inaktivitet": 34,
        "psykisk": 38,
        "sovn": 14,
        "royk_snus": 12,
        "kosthold": 22,
        "annet": 20,
    },
}
# Ages drawn within each band (the youngest referred are 16).
AGE_RANGES = {"0-19": (16, 19), "20-39": (20, 39), "40-59": (40, 59), "60-79": (60, 79)}
AGE_RANGES["80+"] = (80, 93)
GIVEN = ["Kari", "Ola", "Ingrid", "Per", "Sigrid", "Nils", "Astrid", "Knut", "Liv", "Arne"]
PERSONS_FILE = "seed001_frisklivsresept_persons.csv"
PRESCRIPTIONS_FILE = "seed001_frisklivsresept.csv"


def _birth_date(referral: datetime.date, age: int, days_back: int) -> datetime.date:
    """A birth date giving exactly `age` on `referral` (days_back 0 = birthday that day)."""
    anniversary = referral.replace(year=referral.year - age)
    return anniversary - datetime.timedelta(days=days_back)


def _rows() -> tuple[list[list[str]], list[list[str]]]:
    rng = random.Random(5003)
    reasons = [code for code, n in EXPECTED["by_reason"].items() for _ in range(n)]
    completed = [True] * EXPECTED["completed"] + [False] * (222 - EXPECTED["completed"])
    rng.shuffle(reasons)
    rng.shuffle(completed)
    persons: list[list[str]] = []
    prescriptions: list[list[str]] = []

    def person(birth: datetime.date) -> str:
        ref = f"FR{len(persons) + 1:04d}"
        given = GIVEN[len(persons) % len(GIVEN)]
        persons.append([ref, "", given, f"Frisksen{len(persons) + 1}", birth.isoformat()])
        return ref

    index = 0
    for band, count in EXPECTED["by_age_band"].items():
        low, high = AGE_RANGES[band]
        previous: tuple[str, datetime.date, str] | None = None
        for number in range(count):
            reason, done = reasons[index], completed[index]
            index += 1
            if previous and number == 1 and previous[2] != reason:
                # Referred twice the same day for two reasons: two prescriptions.
                ref, referral = previous[0], previous[1]
            else:
                referral = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
                if referral.month == 2 and referral.day == 29:  # pragma: no cover (2017)
                    referral = referral.replace(day=28)
                # Every band's first person is referred on their birthday, at the band's
                # lowest age (the 0-19 band: at its oldest), testing the band edges.
                age = (high if band == "0-19" else low) if number == 0 else rng.randint(low, high)
                days_back = 0 if number == 0 else rng.randint(1, 364)
                ref = person(_birth_date(referral, age, days_back))
            previous = (ref, referral, reason)
            prescriptions.append([ref, referral.isoformat(), reason, "ja" if done else "nei"])
    # Outside the year: never counted.
    for referral in (datetime.date(2016, 12, 31), datetime.date(2018, 1, 1)):
        for reason in ("overvekt", "psykisk"):
            ref = person(_birth_date(referral, 50, rng.randint(1, 364)))
            prescriptions.append([ref, referral.isoformat(), reason, "ja"])
    rng.shuffle(prescriptions)
    return persons, prescriptions


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def seed_csvs() -> tuple[str, str]:
    persons, prescriptions = _rows()
    return (
        _csv(["person_ref", "national_id", "given_name", "family_name", "birth_date"], persons),
        _csv(["person_ref", "referral_date", "reason", "completed"], prescriptions),
    )


def write(folder: str | Path) -> tuple[Path, Path]:
    """Write both files into `folder` and return their paths."""
    persons_text, prescriptions_text = seed_csvs()
    folder = Path(folder)
    persons_path, prescriptions_path = folder / PERSONS_FILE, folder / PRESCRIPTIONS_FILE
    persons_path.write_text(persons_text, encoding="utf-8")
    prescriptions_path.write_text(prescriptions_text, encoding="utf-8")
    return persons_path, prescriptions_path
