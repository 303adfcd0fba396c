"""All-or-nothing CSV imports, the pattern every later import follows.

Every row is validated first. If any row is bad, nothing is written and each error
names its row (the line in the file, header = 1) and column. Importing the same file
twice changes nothing: importers match rows on the municipality's own references.

Imports are bulk: `prepare` loads what the file refers to before
the rows are parsed, and `write` loads the existing records by their match key, compares
in Python and writes with bulk_create/bulk_update. The number of queries depends on the
number of batches of `CHUNK` rows, never on the number of rows.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.db import models, transaction
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from mestring.access.actor import Actor

# Rows per lookup query and per bulk write: below SQLite's 999 bound parameters.
CHUNK = 900

# Limits on what a file may hold (L11): a file is read whole, and no column of any
# import holds more than a few thousand characters.
MAX_IMPORT_BYTES = 50_000_000
MAX_FIELD_CHARS = 10_000
# The delimiters a file may use: a spreadsheet saved as CSV with Norwegian settings
# uses semicolons.
DELIMITERS = (",", ";")

T = TypeVar("T")

# name → importer class; later domains add their own line here.
IMPORTERS: dict[str, str] = {
    "persons": "mestring.register.importers.PersonImporter",
    "plans": "mestring.plans.importers.PlanImporter",
    "units": "mestring.institutions.importers.BedUnitImporter",
    "stays": "mestring.institutions.importers.StayImporter",
    "episodes": "mestring.outcomes.importers.EpisodeImporter",
    "prescriptions": "mestring.friskliv.importers.PrescriptionImporter",
    "loans": "mestring.devices.importers.LoanImporter",
    "population": "mestring.planning.importers.PopulationCsvImporter",
    "population-jsonstat": "mestring.planning.importers.PopulationJsonStatImporter",
    "actions": "mestring.actionplan.importers.ActionImporter",
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row <= 0:  # the file as a whole
            return self.message
        where = f"rad {self.row}" + (f", kolonne «{self.column}»" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class RowErrors(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} feil")
        self.errors = errors


class CsvImporter:
    """Subclasses name their columns, check one row, and write all rows."""

    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]] = ()

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def prepare(self, rows: list[dict[str, str]] | None) -> None:
        """Load what the file refers to (persons, units …) in a few queries, once.
        `run_import` calls it with the file's rows; None (parse() called on its own)
        loads everything the rows could refer to."""

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> Any:
        raise NotImplementedError

    def check_all(self, parsed: list[tuple[int, Any]], errors: list[RowError]) -> None:
        """Checks across rows (duplicates, clashes with the database)."""

    def write(self, parsed: list[Any], result: ImportResult) -> None:
        raise NotImplementedError

    # Helpers for parse(): each returns None and records an error when the cell is bad.
    @staticmethod
    def date(value: str, line: int, column: str, errors: list[RowError]) -> datetime.date | None:
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            errors.append(
                RowError(line, column, f"«{value}» er ikke en dato på formen ÅÅÅÅ-MM-DD.")
            )
            return None

    @staticmethod
    def choice(
        value: str, allowed: Iterable[str], line: int, column: str, errors: list[RowError]
    ) -> str | None:
        allowed = list(allowed)
        if value in allowed:
            return value
        errors.append(
            RowError(line, column, f"«{value}» er ikke gyldig. Tillatt: {', '.join(allowed)}.")
        )
        return None

    @staticmethod
    def integer(
        value: str, line: int, column: str, errors: list[RowError], *, minimum: int = 0
    ) -> int | None:
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            errors.append(RowError(line, column, f"«{value}» er ikke et heltall."))
            return None
        if number < minimum:
            errors.append(RowError(line, column, f"Tallet kan ikke være mindre enn {minimum}."))
            return None
        return number


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def fetch_in(
    queryset: models.QuerySet | models.Manager, field: str, values: Iterable[Any]
) -> list[Any]:
    """The rows whose `field` is one of `values`: one query per CHUNK values, so a
    large file neither queries per row nor exceeds the database's parameter limit."""
    distinct = list(dict.fromkeys(value for value in values if value is not None and value != ""))
    found: list[Any] = []
    for part in chunks(distinct):
        found.extend(queryset.filter(**{f"{field}__in": part}))
    return found


def _size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size // 1_000_000} MB"
    return f"{max(1, size // 1000)} kB"


def too_large(size: int) -> bool:
    return size > MAX_IMPORT_BYTES


def too_large_message() -> str:
    return f"Filen er for stor: høyst {_size_text(MAX_IMPORT_BYTES)}. Del den opp i flere filer."


def _file_errors(text: str) -> list[RowError]:
    """What makes the whole file unreadable: its size, a NUL byte (which no text
    column may hold, and PostgreSQL refuses)."""
    if too_large(len(text)) or too_large(len(text.encode("utf-8", "surrogatepass"))):
        return [RowError(0, "", too_large_message())]
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        message = (
            "Filen inneholder et NUL-tegn (tegn 0), som ikke hører hjemme i en CSV-fil. "
            "Lagre filen som CSV (UTF-8) på nytt og prøv igjen."
        )
        return [RowError(line, "", message)]
    return []


def _delimiter(importer: CsvImporter, text: str) -> str | None:
    """The delimiter whose reading of the header finds most of the importer's columns;
    None when neither finds any (and the header is not empty)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip("\r")
    if not first.strip():
        return DELIMITERS[0]
    found = {
        delimiter: len(
            {name.strip() for name in next(csv.reader([first], delimiter=delimiter))}
            & set(importer.columns)
        )
        for delimiter in DELIMITERS
    }
    best = max(DELIMITERS, key=lambda delimiter: found[delimiter])
    return best if found[best] else None


def read_rows(
    importer: CsvImporter, text: str
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    errors = _file_errors(text)
    if errors:
        return [], errors
    delimiter = _delimiter(importer, text)
    if delimiter is None:
        message = (
            "Fant ikke kolonnene i overskriftsraden. Filen skal være skilt med komma "
            f"(eller semikolon), med kolonnene {', '.join(importer.columns)}."
        )
        return [], [RowError(1, "", message)]
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        return _rows(importer, reader)
    except csv.Error:
        # The reader's own limit: a field far longer than any column, or a quote that is
        # never closed and runs on to the end of the file.
        message = (
            f"Et felt er for langt (høyst {MAX_FIELD_CHARS} tegn), "
            "eller et anførselstegn er ikke lukket."
        )
        # DictReader's own line_num is set after a row is read; the reader's is current.
        return [], [RowError(reader.reader.line_num, "", message)]


def _rows(
    importer: CsvImporter, reader: csv.DictReader
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in importer.columns if name not in header]
    if missing:
        return [], [RowError(1, name, "Kolonnen mangler i overskriftsraden.") for name in missing]
    reader.fieldnames = header
    rows = []
    errors: list[RowError] = []
    for row in reader:
        if None in row:
            return [], [RowError(reader.line_num, "", "Raden har flere felt enn overskriften.")]
        cleaned = {key: (value or "").strip() for key, value in row.items()}
        errors.extend(
            RowError(reader.line_num, key, f"Feltet er for langt: høyst {MAX_FIELD_CHARS} tegn.")
            for key, value in cleaned.items()
            if len(value) > MAX_FIELD_CHARS
        )
        if any(cleaned.values()):
            rows.append((reader.line_num, cleaned))
    if errors:
        return [], errors
    return rows, []


def run_import(importer: CsvImporter, text: str) -> ImportResult:
    result = ImportResult()
    rows, errors = read_rows(importer, text)
    if rows:
        importer.prepare([row for _line, row in rows])
    parsed: list[tuple[int, Any]] = []
    for line, row in rows:
        for column in importer.required:
            if not row.get(column):
                errors.append(RowError(line, column, "Feltet må fylles ut."))
        row_errors: list[RowError] = []
        value = importer.parse(row, line, row_errors)
        errors.extend(row_errors)
        if not row_errors and value is not None:
            parsed.append((line, value))
    if not errors:
        importer.check_all(parsed, errors)
    if errors:
        result.errors = sorted(set(errors), key=lambda e: (e.row, e.column, e.message))
        return result
    with transaction.atomic():
        importer.write([value for _line, value in parsed], result)
    return result


def importer_class(name: str) -> type[CsvImporter]:
    return import_string(IMPORTERS[name])
