"""Population imports: CSV and JSON-stat 2.0 (as Statistics Norway's API returns it).

`mestring import population FILE.csv --municipality NNNN`
    Columns: region,age_group,year,count (and an optional `kind`: registrert |
    framskrevet). `region` is the municipality number or a name, `age_group` a group as
    written ("0-5", "67-79", "90+", "80 år og eldre", "7").
`mestring import population-jsonstat FILE.json --municipality NNNN`
    A JSON-stat 2.0 dataset with the dimensions Region, Alder and Tid (found by id,
    whatever the case); other dimensions must have one category (ContentsCode and the
    like) and are ignored. Empty values (null) are skipped.

Both are all or nothing, and match figures on (region, age group, year), so the same
file twice changes nothing; a count that differs is updated. Without a kind, a year up
to last year is registered and a later one projected (`services.default_kind`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mestring.access.actor import Actor
from mestring.core.importing import CsvImporter, ImportResult, RowError, run_import
from mestring.planning.ages import AgeGroupError, overlaps, parse_age_group
from mestring.planning.models import ImportFormat, PopulationKind
from mestring.planning.services import FigureRow, population_figures_save

FIRST_YEAR, LAST_YEAR = 1900, 2100
KINDS = {PopulationKind.REGISTERED.value, PopulationKind.PROJECTED.value}


def _overlap_errors(
    rows: list[tuple[Any, FigureRow]],
    errors: list[RowError],
    where: Callable[[Any, str, str], RowError],
) -> None:
    """Two different groups covering the same ages in one region and year would be
    counted twice: the file is refused."""
    seen: dict[tuple[str, int], list[tuple[Any, FigureRow]]] = {}
    keys: dict[tuple[str, str, int], Any] = {}
    for place, row in rows:
        key = (row.region, row.age_group, row.year)
        if key in keys:
            errors.append(
                where(
                    place,
                    "age_group",
                    f"{row.region} {row.age_group} {row.year} står også i {keys[key]}.",
                )
            )
            continue
        keys[key] = place
        bounds = (row.age_from, row.age_to)
        for _other_place, other in seen.setdefault((row.region, row.year), []):
            if overlaps(bounds, (other.age_from, other.age_to)):
                errors.append(
                    where(
                        place,
                        "age_group",
                        f"Aldersgruppen «{row.age_group}» overlapper «{other.age_group}» "
                        f"for {row.region} i {row.year}.",
                    )
                )
                break
        seen[(row.region, row.year)].append((place, row))


class PopulationCsvImporter(CsvImporter):
    columns = ("region", "age_group", "year", "count")
    required = ("region", "age_group", "year", "count")
    file_name = ""

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> FigureRow | None:
        bounds = None
        if row["age_group"]:
            try:
                bounds = parse_age_group(row["age_group"])
            except AgeGroupError as exc:
                errors.append(RowError(line, "age_group", str(exc)))
        year = self.integer(row["year"], line, "year", errors)
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            errors.append(RowError(line, "year", f"«{year}» er ikke et årstall vi kan bruke."))
        count = self.integer(row["count"], line, "count", errors)
        kind = row.get("kind", "")
        if kind:
            kind = self.choice(kind.lower(), sorted(KINDS), line, "kind", errors) or ""
        if len(row["region"]) > 100:
            errors.append(RowError(line, "region", "Regionen kan ha høyst 100 tegn."))
        if len(row["age_group"]) > 60:
            errors.append(RowError(line, "age_group", "Aldersgruppen kan ha høyst 60 tegn."))
        if errors or bounds is None or year is None or count is None:
            return None
        return FigureRow(row["region"], row["age_group"], *bounds, year, count, kind)

    def check_all(self, parsed: list[tuple[int, FigureRow]], errors: list[RowError]) -> None:
        _overlap_errors(
            parsed,
            errors,
            lambda line, column, message: RowError(
                line, column, message.replace(" står også i ", " står også i rad ")
            ),
        )

    def write(self, parsed: list[FigureRow], result: ImportResult) -> None:
        population_figures_save(
            actor=self.actor,
            rows=parsed,
            file_name=self.file_name,
            format=ImportFormat.CSV,
            result=result,
        )

    def import_text(self, text: str) -> ImportResult:
        return run_import(self, text)


# --- JSON-stat 2.0


@dataclass(frozen=True)
class FileError(RowError):
    """An error about the file as a whole (row 0) or about one value (its position)."""

    def __str__(self) -> str:
        return self.message if not self.row else f"verdi nr. {self.row}: {self.message}"


DIMENSIONS = {
    "region": ("region",),
    "age": ("alder", "age"),
    "year": ("tid", "year", "time", "år"),
}
DIMENSION_NAMES = {"region": "Region", "age": "Alder", "year": "Tid"}


class JsonStatInvalid(Exception):
    pass


def _categories(name: str, dimension: Any, size: int) -> list[tuple[str, str]]:
    """(code, label) in the order of the dimension's index."""
    if not isinstance(dimension, dict) or not isinstance(dimension.get("category"), dict):
        raise JsonStatInvalid(f"Dimensjonen «{name}» mangler «category».")
    category = dimension["category"]
    index = category.get("index")
    labels = category.get("label") or {}
    if not isinstance(labels, dict):
        raise JsonStatInvalid(f"«label» i dimensjonen «{name}» må være et objekt.")
    if index is None:
        codes = list(labels)
    elif isinstance(index, list):
        codes = [str(code) for code in index]
    elif isinstance(index, dict):
        try:
            positions = {str(code): int(pos) for code, pos in index.items()}
        except (TypeError, ValueError) as exc:
            raise JsonStatInvalid(
                f"«index» i dimensjonen «{name}» har ugyldige posisjoner."
            ) from exc
        codes = [code for code, _pos in sorted(positions.items(), key=lambda item: item[1])]
        if sorted(positions.values()) != list(range(len(codes))):
            raise JsonStatInvalid(
                f"«index» i dimensjonen «{name}» har hull eller doble posisjoner."
            )
    else:
        raise JsonStatInvalid(f"«index» i dimensjonen «{name}» må være en liste eller et objekt.")
    if len(codes) != size:
        raise JsonStatInvalid(
            f"Dimensjonen «{name}» har {len(codes)} kategorier, men «size» sier {size}."
        )
    return [(code, str(labels.get(code, code))) for code in codes]


def _values(raw: Any, total: int) -> dict[int, Any]:
    if isinstance(raw, list):
        if len(raw) != total:
            raise JsonStatInvalid(
                f"Filen har {len(raw)} verdier, men dimensjonene gir {total} (produktet av «size»)."
            )
        return dict(enumerate(raw))
    if isinstance(raw, dict):
        values = {}
        for key, value in raw.items():
            if not str(key).isdigit() or int(key) >= total:
                raise JsonStatInvalid(
                    f"Verdien med posisjon «{key}» ligger utenfor dimensjonene ({total} verdier)."
                )
            values[int(key)] = value
        return values
    raise JsonStatInvalid("«value» må være en liste eller et objekt.")


def read_jsonstat(text: str) -> tuple[list[tuple[int, FigureRow]], list[RowError]]:
    """The figures of a JSON-stat 2.0 dataset, each with its position (from 1)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [
            FileError(0, "", f"Filen er ikke gyldig JSON (linje {exc.lineno}, tegn {exc.colno}).")
        ]
    if (
        not isinstance(data, dict)
        or str(data.get("version")) != "2.0"
        or data.get("class") != "dataset"
    ):
        return [], [
            FileError(
                0,
                "",
                "Filen er ikke et JSON-stat 2.0-datasett: den må ha «version»: «2.0» og "
                "«class»: «dataset».",
            )
        ]
    try:
        return _read_dataset(data)
    except JsonStatInvalid as exc:
        return [], [FileError(0, "", str(exc))]


def _read_dataset(data: dict) -> tuple[list[tuple[int, FigureRow]], list[RowError]]:
    ids, sizes, dimensions = data.get("id"), data.get("size"), data.get("dimension")
    if (
        not isinstance(ids, list)
        or not isinstance(sizes, list)
        or not isinstance(dimensions, dict)
        or len(ids) != len(sizes)
        or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes)
    ):
        raise JsonStatInvalid(
            "Datasettet må ha «id» og «size» som lister like lange, og «dimension»."
        )
    role: dict[str, int] = {}
    for position, dim_id in enumerate(ids):
        lowered = str(dim_id).lower()
        for key, names in DIMENSIONS.items():
            if lowered in names and key not in role:
                role[key] = position
                break
    for key in DIMENSIONS:
        if key not in role:
            raise JsonStatInvalid(
                f"Dimensjonen «{DIMENSION_NAMES[key]}» mangler i filen "
                f"(fant: {', '.join(map(str, ids)) or 'ingen'})."
            )
    for position, dim_id in enumerate(ids):
        if position not in role.values() and sizes[position] != 1:
            raise JsonStatInvalid(
                f"Dimensjonen «{dim_id}» har {sizes[position]} kategorier. Bare Region, Alder "
                "og Tid kan ha flere; velg én verdi for de andre i uttrekket."
            )
    categories = []
    for position, dim_id in enumerate(ids):
        categories.append(_categories(str(dim_id), dimensions.get(dim_id), sizes[position]))
    total = math.prod(sizes)
    values = _values(data.get("value"), total)
    errors: list[RowError] = []

    ages: dict[int, tuple[str, int, int | None]] = {}
    for index, (code, label) in enumerate(categories[role["age"]]):
        for text in (label.strip(), code.strip()):
            try:
                ages[index] = (text, *parse_age_group(text))
                break
            except AgeGroupError:
                continue
        else:
            errors.append(
                FileError(
                    0, "Alder", f"Alderen «{label}» ({code}) er ikke en alder eller aldersgruppe."
                )
            )
    years: dict[int, int] = {}
    for index, (code, _label) in enumerate(categories[role["year"]]):
        if code.isdigit() and FIRST_YEAR <= int(code) <= LAST_YEAR:
            years[index] = int(code)
        else:
            errors.append(FileError(0, "Tid", f"Tiden «{code}» er ikke et årstall."))
    if errors:
        return [], errors

    strides = [math.prod(sizes[i + 1 :]) for i in range(len(sizes))]
    rows: list[tuple[int, FigureRow]] = []
    for position in sorted(values):
        value = values[position]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(FileError(position + 1, "value", f"«{value}» er ikke et heltall."))
            continue
        if isinstance(value, float) and not value.is_integer():
            errors.append(FileError(position + 1, "value", f"«{value}» er ikke et heltall."))
            continue
        if value < 0:
            errors.append(FileError(position + 1, "value", f"«{value}» er negativt."))
            continue
        coords = [(position // strides[i]) % sizes[i] for i in range(len(sizes))]
        region = categories[role["region"]][coords[role["region"]]][0]
        age_text, low, high = ages[coords[role["age"]]]
        rows.append(
            (
                position + 1,
                FigureRow(
                    region[:100],
                    age_text[:60],
                    low,
                    high,
                    years[coords[role["year"]]],
                    int(value),
                ),
            )
        )
    return rows, errors


class PopulationJsonStatImporter:
    """Reads a JSON-stat 2.0 dataset; the import command calls `run(text)`."""

    file_name = ""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def run(self, text: str) -> ImportResult:
        result = ImportResult()
        rows, errors = read_jsonstat(text)
        if not errors:
            _overlap_errors(
                rows,
                errors,
                lambda place, column, message: FileError(
                    place, column, message.replace(" står også i ", " står også i verdi nr. ")
                ),
            )
        if not errors and not rows:
            errors.append(FileError(0, "", "Filen har ingen tall å importere."))
        if errors:
            result.errors = errors
            return result
        population_figures_save(
            actor=self.actor,
            rows=[row for _place, row in rows],
            file_name=self.file_name,
            format=ImportFormat.JSONSTAT,
            result=result,
        )
        return result

    def import_text(self, text: str) -> ImportResult:
        return self.run(text)
