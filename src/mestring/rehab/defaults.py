"""Every municipality starts with the hverdagsrehabilitering programme; more are added
by the municipality's administrator."""

from __future__ import annotations

from mestring.catalogue.models import Service
from mestring.rehab.models import EVERYDAY_REHAB, Programme
from mestring.tenancy.models import Municipality


def ensure_programmes(municipality: Municipality) -> None:
    service = Service.all_objects.filter(municipality=municipality, code=EVERYDAY_REHAB).first()
    Programme.all_objects.get_or_create(
        municipality=municipality,
        code=EVERYDAY_REHAB,
        defaults={
            "name": "Hverdagsrehabilitering",
            "description": (
                "Tidsavgrenset, intensiv trening i eget hjem med utgangspunkt i hva som er "
                "viktig for personen."
            ),
            "service": service,
            "follow_up_weeks": 12,
        },
    )
