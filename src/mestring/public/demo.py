"""Demo data for the public pages: the demo municipality's profile and a handful of
invented user organisations (no real contact data: addresses end in @demo.invalid)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mestring.people.models import Unit
from mestring.public.models import (
    EventKind,
    OrganisationEvent,
    OrganisationStatus,
    PublicProfile,
    UserOrganisation,
)

COORDINATING_UNIT = "Tjenestekontor og koordinerende enhet"

# name, contact, slug for the e-mail address, purpose, events (title, kind, place)
ORGANISATIONS: list[tuple[str, str, str, str, list[tuple[str, str, str]]]] = [
    (
        "Hørselshemmedes lokallag",
        "Randi Lydvik",
        "horsel",
        "For deg som hører dårlig, har tinnitus eller bruker høreapparat, og for "
        "pårørende. Likepersoner, hørselskontakter og månedlige treff.",
        [
            ("Treff: Leve godt med høreapparat", EventKind.EVENT, "Demoby bibliotek"),
            ("Kurs i kommunikasjonstaktikk", EventKind.COURSE, "Frivilligsentralen"),
        ],
    ),
    (
        "Diabetesforeningen lokallag",
        "Tor Sukkestad",
        "diabetes",
        "Støtte til personer med diabetes og deres familier. Turgrupper, "
        "matkurs og samtalegrupper med likepersoner.",
        [
            ("Matkurs for nydiagnostiserte", EventKind.COURSE, "Demoby helsehus"),
            ("Turgruppe rundt Demovannet", EventKind.EVENT, "Parkeringsplassen ved Demovannet"),
        ],
    ),
    (
        "Slagrammede Demoby",
        "Anne Kvikkestad",
        "slag",
        "For deg som har hatt hjerneslag, og dine nærmeste. Vi møtes, deler erfaringer "
        "og holder trimgrupper tilpasset alle.",
        [("Trim for slagrammede", EventKind.COURSE, "Demoby helsehus, gymsalen")],
    ),
    (
        "Pårørendeforeningen i Demoby",
        "Kari Nærstad",
        "parorende",
        "Et fellesskap for pårørende: samtalegrupper, foredrag og råd om avlastning "
        "og rettigheter.",
        [("Foredrag: Å være pårørende over tid", EventKind.EVENT, "Demoby kulturhus")],
    ),
    (
        "Revmatikerforeningen Demoby",
        "Leif Leddal",
        "revma",
        "For deg med revmatisk sykdom eller kroniske smerter. Varmtvannstrening, "
        "mestringskurs og sosiale treff.",
        [
            ("Varmtvannstrening", EventKind.COURSE, "Demoby svømmehall"),
            ("Sommeravslutning", EventKind.EVENT, "Demoby frivilligsentral"),
        ],
    ),
]
PENDING = (
    "Hjernetrimgruppa i Demoby",
    "Per Tankestad",
    "hjernetrim",
    "Ukentlige treff med hjernetrim og sosialt samvær for eldre. Ny gruppe, vil gjerne "
    "stå i kommunens oversikt.",
)


def _address(slug: str) -> str:
    return f"{slug}@demo.invalid"


def build_public_demo(rng: random.Random, today: datetime.date) -> None:
    """Idempotent: does nothing when the demo organisations exist already."""
    if not PublicProfile.objects.exists():
        unit = Unit.objects.filter(name=COORDINATING_UNIT).first()
        PublicProfile.objects.create(
            intro=(
                "Trenger du hjelp til å mestre hverdagen etter sykdom eller skade, eller lever "
                "du med en funksjonsnedsettelse? Her finner du kommunens tjenester for "
                "habilitering og rehabilitering, og brukerorganisasjonene som kan gi støtte."
            ),
            how_to_apply=(
                "Du kan søke selv, eller få hjelp av en pårørende, fastlegen eller "
                "hjemmetjenesten. Er du usikker på hva du trenger, kan du sende en melding "
                "om behov. Ring eller skriv til koordinerende enhet, så hjelper vi deg med "
                "søknaden og finner ut hva som passer for deg."
            ),
            coordinating_unit=unit,
            phone="12 34 56 78",
            email="koordinerende.enhet@demo.invalid",
            address="Rådhusplassen 1, Demoby",
            opening_hours="Hverdager 08.00–15.30",
        )
    if UserOrganisation.objects.exists():
        return
    now = timezone.now()
    for name, contact, slug, purpose, events in ORGANISATIONS:
        submitted = now - datetime.timedelta(days=rng.randint(60, 400))
        organisation = UserOrganisation.objects.create(
            name=name,
            contact_name=contact,
            email=_address(slug),
            phone=f"4{rng.randint(1000000, 9999999)}",
            website="",
            purpose=purpose,
            status=OrganisationStatus.APPROVED,
            submitted_at=submitted,
            updated_at=submitted,
            approved_at=submitted + datetime.timedelta(days=rng.randint(1, 10)),
        )
        _demo_history(organisation)
        for title, kind, place in events:
            OrganisationEvent.objects.create(
                organisation=organisation,
                title=title,
                kind=kind,
                starts_on=today + datetime.timedelta(days=rng.randint(3, 120)),
                place=place,
                description="",
            )
    name, contact, slug, purpose = PENDING
    pending = UserOrganisation.objects.create(
        name=name,
        contact_name=contact,
        email=_address(slug),
        purpose=purpose,
        status=OrganisationStatus.PENDING,
        submitted_at=now - datetime.timedelta(days=2),
        updated_at=now - datetime.timedelta(days=2),
    )
    _demo_history(pending)


def _demo_history(organisation: UserOrganisation) -> None:
    """The history a registration and (for approved ones) its approval would have left."""
    organisation.history.create(
        from_status="", to_status=OrganisationStatus.PENDING, changed_at=organisation.submitted_at
    )
    if organisation.is_approved and organisation.approved_at is not None:
        organisation.history.create(
            from_status=OrganisationStatus.PENDING,
            to_status=OrganisationStatus.APPROVED,
            changed_at=organisation.approved_at,
        )
