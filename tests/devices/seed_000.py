"""A data set that reproduces a municipal plan's assistive-device table (Sømna, 2018):

    active users 282, users with deliveries 91, new users 44,
    delivered 287, returned 179, value delivered 824 886 kr.

How it is built (each loan its own item, so no item is lent twice at once):
- 44 new users: their first delivery ever is in 2018; each keeps one item at year end.
- 47 earlier users: a loan in 2016 returned in 2017, and one delivery in 2018 kept.
- 196 more deliveries in 2018 to these 91 persons: 150 returned in 2018, 46 kept.
- 191 users without a delivery in 2018 who hold an item from 2017 at year end.
- 29 users who returned their 2017 item in 2018 and hold nothing at year end.
- One delivery and one return in 2019, which do not count for 2018.
Active at year end: 44 + 47 + 191 = 282. Returned in 2018: 150 + 29 = 179.

    .venv/bin/python -m tests.seed_tables /tmp/seed000   # writes hjelpemidler/*.csv
    cd /tmp/seed000/hjelpemidler
    mestring import persons persons.csv --municipality NNNN
    mestring import loans loans.csv --municipality NNNN
    mestring report assistive-devices --municipality NNNN --year 2018 --format json
"""

from __future__ import annotations

import datetime
from pathlib import Path

YEAR = 2018
TABLE = {
    "year": YEAR,
    "active_users": 282,
    "users_with_deliveries": 91,
    "new_users": 44,
    "delivered": 287,
    "returned": 179,
    "delivered_value_nok": 824886,
}
VALUE = 2874  # kroner per item; the last 2018 delivery makes up the rest of the sum
LOAN_HEADER = "person_ref,item_ref,device_type,value_nok,owner,delivered_date,returned_date"
TYPES = ("Rullator", "Toalettforhøyer", "Dusjkrakk", "Elektrisk seng", "Personløfter")


def _day(year: int, offset: int) -> datetime.date:
    return datetime.date(year, 1, 1) + datetime.timedelta(days=offset % 360)


def loans() -> list[tuple[str, datetime.date, datetime.date | None]]:
    """(person_ref, delivered, returned) for every loan."""
    rows: list[tuple[str, datetime.date, datetime.date | None]] = []
    new = [f"HM-NY{n:03d}" for n in range(44)]
    earlier = [f"HM-TI{n:03d}" for n in range(47)]
    holding = [f"HM-BE{n:03d}" for n in range(191)]
    returned_all = [f"HM-RE{n:03d}" for n in range(29)]
    for n, ref in enumerate(new):
        rows.append((ref, _day(YEAR, n * 7), None))
    for n, ref in enumerate(earlier):
        rows.append((ref, _day(2016, n * 5), _day(2017, n * 5)))
        rows.append((ref, _day(YEAR, n * 7 + 3), None))
    users_2018 = new + earlier
    for n in range(196):
        ref = users_2018[n % len(users_2018)]
        delivered = _day(YEAR, n)
        returned = delivered + datetime.timedelta(days=3) if n < 150 else None
        rows.append((ref, delivered, returned))
    for n, ref in enumerate(holding):
        rows.append((ref, _day(2017, n), None))
    for n, ref in enumerate(returned_all):
        rows.append((ref, _day(2017, n * 3), _day(YEAR, n * 5)))
    # 2019, not counted in 2018: a new delivery, and a return of an item from 2017.
    rows.append((holding[0], datetime.date(2019, 1, 2), None))
    rows.append((holding[1], datetime.date(2017, 3, 1), datetime.date(2019, 1, 3)))
    return rows


def csv_texts() -> tuple[str, str]:
    """(persons_csv, loans_csv) as text."""
    rows = loans()
    refs = sorted({ref for ref, _delivered, _returned in rows})
    persons = ["person_ref,national_id,given_name,family_name,birth_date"]
    for n, ref in enumerate(refs):
        persons.append(f"{ref},,Bruker,Nummer{n:03d},{1930 + n % 60}-0{1 + n % 9}-1{n % 10}")
    delivered_2018 = [row for row in rows if row[1].year == YEAR]
    rest = TABLE["delivered_value_nok"] - VALUE * (len(delivered_2018) - 1)
    lines = [LOAN_HEADER]
    for n, (ref, delivered, returned) in enumerate(rows):
        value = rest if (ref, delivered, returned) == delivered_2018[-1] else VALUE
        lines.append(
            f"{ref},HM-{n:05d},{TYPES[n % len(TYPES)]},{value},nav,"
            f"{delivered.isoformat()},{returned.isoformat() if returned else ''}"
        )
    return "\n".join(persons) + "\n", "\n".join(lines) + "\n"


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in zip(("persons", "loans"), csv_texts(), strict=True):
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
