"""The services every municipality starts with; each edits its own.

National service codes follow the national reporting (e.g. 18 assessment/treatment,
19 time-limited stay for habilitation/rehabilitation, 20 other, 21 long-term stay);
where a service has no such code it is left empty for the municipality to fill in.
"""

from __future__ import annotations

from mestring.catalogue.models import CapacityKind, Service
from mestring.tenancy.models import Municipality

# code, name, pyramid level, national code, capacity kind, nationally reported
DEFAULT_SERVICES: list[tuple[str, str, int | None, str, str, bool]] = [
    ("individuell-plan", "Individuell plan og koordinator", 4, "", CapacityKind.NONE, False),
    ("transporttjeneste", "Transporttjeneste (TT-kort)", None, "", CapacityKind.NONE, False),
    ("ledsagerbevis", "Ledsagerbevis", None, "", CapacityKind.NONE, False),
    ("stottekontakt", "Støttekontakt", 2, "", CapacityKind.HOURS, True),
    ("trygghetsalarm", "Trygghetsalarm", 1, "", CapacityKind.NONE, True),
    ("omsorgsstonad", "Omsorgsstønad", None, "", CapacityKind.NONE, True),
    (
        "parkeringskort",
        "Parkeringskort for forflytningshemmede",
        None,
        "",
        CapacityKind.NONE,
        False,
    ),
    ("omsorgsbolig", "Omsorgsbolig", None, "", CapacityKind.PLACES, True),
    ("hverdagsrehabilitering", "Hverdagsrehabilitering", 2, "", CapacityKind.PLACES, True),
    ("hverdagsmestring", "Hverdagsmestring", 1, "", CapacityKind.NONE, True),
    (
        "bpa",
        "Brukerstyrt personlig assistanse (BPA) / personlig assistent",
        3,
        "",
        CapacityKind.HOURS,
        True,
    ),
    ("dagplass", "Dagplass / dagaktivitet", 2, "", CapacityKind.PLACES, True),
    ("avlastning", "Avlastning", 3, "", CapacityKind.PLACES, True),
    ("praktisk-bistand", "Praktisk bistand", 2, "", CapacityKind.HOURS, True),
    ("hjemmesykepleie", "Hjemmesykepleie", 3, "", CapacityKind.HOURS, True),
    ("psykisk-helse-rus", "Psykisk helse- og rustjenester", 3, "", CapacityKind.HOURS, True),
    ("miljoterapi", "Miljøterapi", 3, "", CapacityKind.HOURS, True),
    (
        "korttidsopphold",
        "Korttidsopphold (utredning/behandling)",
        4,
        "18",
        CapacityKind.PLACES,
        True,
    ),
    (
        "rehabiliteringsopphold",
        "Rehabiliteringsopphold (tidsavgrenset)",
        4,
        "19",
        CapacityKind.PLACES,
        True,
    ),
    ("rulleringsopphold", "Rulleringsopphold", 3, "20", CapacityKind.PLACES, True),
    ("langtidsopphold", "Langtidsopphold i sykehjem", None, "21", CapacityKind.PLACES, True),
]


def ensure_services(municipality: Municipality) -> None:
    for code, name, level, national_code, capacity_kind, reported in DEFAULT_SERVICES:
        Service.all_objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "name": name,
                "pyramid_level": level,
                "national_code": national_code,
                "capacity_kind": capacity_kind,
                "nationally_reported": reported,
            },
        )
