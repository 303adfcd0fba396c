"""Write the CSV files that reproduce the municipal plans' tables of hverdagsrehabilitering,
frisklivsresept, Lokalmedisinsk senter and assistive devices (each written out in the
`seed_*.py` module of its test folder), one folder each, for a manual run of
`mestring import` and `mestring report`:

    .venv/bin/python -m tests.seed_tables /tmp/seed001

The tests in tests/rehab, tests/friskliv, tests/institutions and tests/devices import the same data
and compare the reports with the tables.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django


def main(folder: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mestring.settings")
    django.setup()
    # Imported after setup: the data sets use the importers' column lists.
    from tests.devices import seed_000 as devices
    from tests.friskliv import seed_001 as friskliv
    from tests.institutions import seed_001 as institutions
    from tests.rehab import seed_001 as rehab

    written = [
        *rehab.write(folder / "hverdagsrehabilitering"),
        *institutions.write(folder / "korttidsplasser"),
        *devices.write(folder / "hjelpemidler"),
    ]
    (folder / "frisklivsresept").mkdir(parents=True, exist_ok=True)
    written += friskliv.write(folder / "frisklivsresept")
    for path in written:
        print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/seed001"))
