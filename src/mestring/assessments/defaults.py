"""The standard functional variables for national reporting (IPLOS), with the standard
meaning of each score. Each municipality edits its own copy, since the list has
changed between versions."""

from __future__ import annotations

from mestring.assessments.models import FunctionVariable
from mestring.tenancy.models import Municipality

SCORE_MEANINGS = {
    "1": "Utfører aktiviteten selvstendig, uten problemer",
    "2": "Utfører aktiviteten selvstendig, men har noen problemer",
    "3": "Trenger noe hjelp eller tilsyn",
    "4": "Trenger mye hjelp",
    "5": "Trenger full hjelp, utfører ikke aktiviteten selv",
    "9": "Ikke relevant",
}

DEFAULT_VARIABLES: list[tuple[str, str]] = [
    ("sosial-deltakelse", "Sosial deltakelse"),
    ("beslutninger", "Beslutninger i dagliglivet"),
    ("styre-atferd", "Styre egen atferd"),
    ("hukommelse", "Hukommelse"),
    ("kommunikasjon", "Kommunikasjon"),
    ("varer-tjenester", "Skaffe seg varer og tjenester"),
    ("husarbeid", "Alminnelig husarbeid"),
    ("lage-mat", "Lage mat"),
    ("egen-helse", "Ivareta egen helse"),
    ("personlig-hygiene", "Personlig hygiene"),
    ("kle-seg", "Kle av og på seg"),
    ("spise", "Spise"),
    ("toalett", "Toalett"),
    ("bevege-inne", "Bevege seg innendørs"),
    ("bevege-ute", "Bevege seg utendørs"),
    ("syn", "Syn"),
    ("horsel", "Hørsel"),
]


def ensure_variables(municipality: Municipality) -> None:
    for position, (code, name) in enumerate(DEFAULT_VARIABLES):
        FunctionVariable.all_objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={"name": name, "position": position, "score_meanings": SCORE_MEANINGS},
        )
