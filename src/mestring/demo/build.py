"""The demo municipality: synthetic persons, a small municipality's units, staff per role.

No care relation is made here: each comes from the domain action that gives it in the
application (a coordinator appointed, a case taken, a service assigned, a stay, a
prescription), done by the demo user whose work it is. docs/demo.md says what the
demo's figures assume.

Everything here is invented. Identity numbers are synthetic (Tenor: month + 80), so
they can never belong to a real person. Running it again changes nothing but the
demo users' password.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mestring.access.models import Role, StaffRole
from mestring.demo.actors import demo_actor
from mestring.demo.demo_coordination import build_coordination_demo
from mestring.demo.demo_provision import carry_out_assignments
from mestring.demo.demo_rehab import build_rehabilitation_demo
from mestring.demo.demo_services import build_services_demo
from mestring.people.identity import random_synthetic_national_id
from mestring.people.models import (
    ActingBasis,
    Person,
    Profession,
    RelationType,
    Relative,
    Staff,
    Unit,
    UnitInvolvement,
    UnitKind,
)
from mestring.rehab.models import EVERYDAY_REHAB, Programme
from mestring.rehab.services import programme_save
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality
from mestring.tenancy.services import municipality_ensure

DEMO_NUMBER = "9999"
DEMO_NAME = "Demo kommune"
DEMO_PERSONS = 500
DEFAULT_PASSWORD = "demo-passord-2026"  # noqa: S105 - documented demo password

UNITS: list[tuple[str, str]] = [
    ("Tjenestekontor og koordinerende enhet", UnitKind.INTERNAL),
    ("Hjemmetjenesten", UnitKind.INTERNAL),
    ("Fysio- og ergoterapitjenesten", UnitKind.INTERNAL),
    ("Helsestasjon og skolehelsetjeneste", UnitKind.INTERNAL),
    ("Miljøterapitjenesten", UnitKind.INTERNAL),
    ("Rus og psykisk helse", UnitKind.INTERNAL),
    ("Lokalmedisinsk senter", UnitKind.INTERNAL),
    ("Frisklivssentralen", UnitKind.INTERNAL),
    ("Hjelpemiddellageret", UnitKind.INTERNAL),
    ("NAV Demo", UnitKind.NAV),
    ("Helse Demo HF", UnitKind.HOSPITAL),
    ("Demo legesenter", UnitKind.GP),
    ("Sentrum legekontor", UnitKind.GP),
    ("PPT Demo", UnitKind.PPT),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    profession: str
    unit: str
    hpr: str = ""


USERS: list[DemoUser] = [
    DemoUser(
        "admin",
        "Ada",
        "Administrator",
        "administrator",
        Profession.OTHER,
        "Tjenestekontor og koordinerende enhet",
    ),
    DemoUser(
        "saksbehandler",
        "Sara",
        "Saksbehandler",
        "saksbehandler",
        Profession.CASEWORKER,
        "Tjenestekontor og koordinerende enhet",
    ),
    DemoUser(
        "ke-leder",
        "Kari",
        "Koordinerendeleder",
        "leder_ke",
        Profession.NURSE,
        "Tjenestekontor og koordinerende enhet",
        hpr="9100001",
    ),
    DemoUser(
        "koordinator",
        "Kåre",
        "Koordinator",
        "koordinator",
        Profession.OCCUPATIONAL_THERAPIST,
        "Fysio- og ergoterapitjenesten",
        hpr="9100002",
    ),
    DemoUser(
        "fysioterapeut",
        "Frida",
        "Fysioterapeut",
        "tjenesteyter",
        Profession.PHYSIOTHERAPIST,
        "Fysio- og ergoterapitjenesten",
        hpr="9100003",
    ),
    DemoUser(
        "sykepleier",
        "Sindre",
        "Sykepleier",
        "tjenesteyter",
        Profession.NURSE,
        "Hjemmetjenesten",
        hpr="9100004",
    ),
    DemoUser(
        "planlegger",
        "Per",
        "Planlegger",
        "planlegger",
        Profession.LEADER,
        "Tjenestekontor og koordinerende enhet",
    ),
    DemoUser(
        "hjelpemiddeltekniker",
        "Hilde",
        "Hjelpemiddeltekniker",
        "hjelpemiddeltekniker",
        Profession.DEVICE_TECHNICIAN,
        "Hjelpemiddellageret",
    ),
    DemoUser(
        "uten-tilgang",
        "Ulf",
        "Utentilgang",
        "tjenesteyter",
        Profession.HEALTH_WORKER,
        "Hjemmetjenesten",
        hpr="9100005",
    ),
]

GIVEN_NAMES = [
    "Anne",
    "Inger",
    "Kari",
    "Marit",
    "Ingrid",
    "Liv",
    "Eva",
    "Berit",
    "Astrid",
    "Bjørg",
    "Hilde",
    "Anna",
    "Solveig",
    "Marianne",
    "Randi",
    "Ida",
    "Nina",
    "Maria",
    "Elisabeth",
    "Kristin",
    "Jan",
    "Per",
    "Bjørn",
    "Ole",
    "Lars",
    "Kjell",
    "Knut",
    "Arne",
    "Svein",
    "Hans",
    "Geir",
    "Thomas",
    "Terje",
    "Odd",
    "Morten",
    "Erik",
    "Martin",
    "Andreas",
    "Jon",
    "Tor",
    "Emma",
    "Nora",
    "Sofie",
    "Olivia",
    "Jakob",
    "Emil",
    "Noah",
    "Filip",
    "William",
    "Ella",
]
FAMILY_NAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Nguyen",
    "Rasmussen",
    "Ali",
    "Lunde",
    "Solheim",
]


@dataclass(frozen=True)
class DemoResult:
    municipality: Municipality
    password: str
    users: list[tuple[str, str]]  # (username, role code)


def _birth_date(rng: random.Random, today: datetime.date) -> datetime.date:
    # Weighted towards the old, as the services' users are, with children and adults too.
    age = rng.choice(
        [rng.randint(0, 17), rng.randint(18, 66), rng.randint(67, 99), rng.randint(67, 99)]
    )
    return today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))


def _ensure_units(municipality: Municipality) -> dict[str, Unit]:
    units = {}
    for name, kind in UNITS:
        unit, _created = Unit.objects.get_or_create(
            name=name, defaults={"kind": kind, "municipality": municipality}
        )
        units[name] = unit
    return units


def _ensure_persons(
    rng: random.Random, municipality: Municipality, units: dict[str, Unit]
) -> list[Person]:
    existing = set(
        Person.objects.filter(person_ref__startswith="DEMO-").values_list("person_ref", flat=True)
    )
    today = timezone.localdate()
    new_persons = []
    for index in range(1, DEMO_PERSONS + 1):
        birth_date = _birth_date(rng, today)
        d_number = index % 25 == 0
        number = random_synthetic_national_id(rng, birth_date, d_number=d_number)
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        ref = f"DEMO-{index:04d}"
        if ref in existing:
            continue
        new_persons.append(
            Person(
                municipality=municipality,
                person_ref=ref,
                given_name=given,
                family_name=family,
                birth_date=birth_date,
                national_id=number if index % 10 else "",
                national_id_kind=("dnr" if d_number else "fnr") if index % 10 else "",
                street_address=f"Demoveien {rng.randint(1, 120)}",
                postal_code="9999",
                postal_town="Demoby",
                needs_interpreter=index % 40 == 0,
                preferred_language="arabisk" if index % 40 == 0 else "norsk",
            )
        )
    Person.objects.bulk_create(new_persons, batch_size=500)
    created = list(Person.objects.filter(person_ref__in=[p.person_ref for p in new_persons]))
    _add_relatives_and_units(rng, municipality, created, units)
    return list(Person.objects.filter(person_ref__startswith="DEMO-").order_by("person_ref"))


def _add_relatives_and_units(
    rng: random.Random, municipality: Municipality, persons: list[Person], units: dict[str, Unit]
) -> None:
    today = timezone.localdate()
    relatives, involvements = [], []
    internal = [u for u in units.values() if u.kind == UnitKind.INTERNAL]
    gps = [u for u in units.values() if u.kind == UnitKind.GP]
    for person in persons:
        age = person.age_on(today)
        if age < 18:
            relatives.append(
                Relative(
                    municipality=municipality,
                    person=person,
                    relation=RelationType.PARENT,
                    name=f"{rng.choice(GIVEN_NAMES)} {person.family_name}",
                    acting_basis=ActingBasis.PARENTAL_RESPONSIBILITY,
                    is_primary_contact=True,
                )
            )
        elif rng.random() < 0.6:
            relation = RelationType.CHILD if age > 60 else RelationType.SPOUSE
            relatives.append(
                Relative(
                    municipality=municipality,
                    person=person,
                    relation=relation,
                    name=f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
                    acting_basis=ActingBasis.POWER_OF_ATTORNEY
                    if rng.random() < 0.2
                    else ActingBasis.NONE,
                    is_primary_contact=True,
                )
            )
        since = today - datetime.timedelta(days=rng.randint(10, 2000))
        involvements.append(
            UnitInvolvement(
                municipality=municipality,
                person=person,
                unit=rng.choice(gps),
                role="Fastlege",
                started_on=since,
            )
        )
        involvements.append(
            UnitInvolvement(
                municipality=municipality,
                person=person,
                unit=rng.choice(internal),
                started_on=since + datetime.timedelta(days=rng.randint(0, 30)),
            )
        )
    Relative.objects.bulk_create(relatives, batch_size=500)
    UnitInvolvement.objects.bulk_create(involvements, batch_size=500)


def _ensure_user(
    spec: DemoUser, password: str, units: dict[str, Unit], roles: dict[str, Role]
) -> Staff:
    user_model = get_user_model()
    username = f"demo.{spec.username}"
    user, _created = user_model.objects.get_or_create(
        username=username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "is_demo": True,
            "email": f"{username}@demo.invalid",
        },
    )
    user.set_password(password)
    user.failed_login_count, user.locked_until = 0, None
    user.save()
    staff, _created = Staff.objects.get_or_create(
        user=user, defaults={"profession": spec.profession, "hpr_number": spec.hpr}
    )
    staff.units.add(units[spec.unit])
    StaffRole.objects.get_or_create(staff=staff, role=roles[spec.role], unit=None)
    return staff


def _programmes_run_by(unit: Unit, admin: Staff) -> None:
    """Hverdagsrehabilitering is run by the physio and occupational therapy unit: its
    referrals are that unit's work (the therapists' start page and waiting list)."""
    for programme in Programme.objects.filter(code=EVERYDAY_REHAB, unit__isnull=True):
        programme_save(
            actor=demo_actor(admin),
            programme=programme,
            data={"code": programme.code, "unit": unit},
        )


def build_demo(*, password: str = DEFAULT_PASSWORD, seed: int = 2026) -> DemoResult:
    municipality, _created = municipality_ensure(number=DEMO_NUMBER, name=DEMO_NAME)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    with activate(municipality), transaction.atomic():
        units = _ensure_units(municipality)
        persons = _ensure_persons(rng, municipality, units)
        roles = {role.code: role for role in Role.objects.all()}
        users = []
        staff_by_username = {}
        for spec in USERS:
            staff = _ensure_user(spec, password, units, roles)
            users.append((staff.user.username, spec.role))
            staff_by_username[staff.user.username] = staff
        build_coordination_demo(
            random.Random(f"{seed}-coordination"),  # noqa: S311
            persons,
            staff_by_username,
        )
        _programmes_run_by(units["Fysio- og ergoterapitjenesten"], staff_by_username["demo.admin"])
        build_services_demo(
            random.Random(f"{seed}-services"),  # noqa: S311
            persons,
            staff_by_username["demo.saksbehandler"],
        )
        carry_out_assignments(
            random.Random(f"{seed}-provision"),  # noqa: S311
            staff_by_username["demo.fysioterapeut"],
        )
        build_rehabilitation_demo(seed, staff_by_username)
    return DemoResult(municipality=municipality, password=password, users=users)
