"""A synthetic large municipality for the benchmark.

The data go into the demo municipality (its units, staff, legal bases, programme,
store and bed units are the skeleton), as persons with the reference `BENCH-…`, so
the demo users see them through the same pages. Rows are bulk-inserted: the point is
the size of the tables the pages and reports read, built in minutes. Nothing here is
audited one row at a time; the bulk load is recorded as one audit event.

Proportions per 100 000 persons and year, scaled from what small municipalities report:
12 000 messages of need, 10 000 cases, 1 500 individual plans, 2 000 rehabilitation
episodes with 18 visits each, 3 000 institution stays, 10 000 loans, 300
frisklivsresepter; 20 000 cases open today.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import models, transaction
from django.utils import timezone

from mestring.access.actor import system_actor
from mestring.access.audit import record_event
from mestring.access.models import CareRelation, Consent, Role, StaffRole
from mestring.casework.models import Case, Decision, LegalBasis
from mestring.devices.models import DeviceType, Item, Loan
from mestring.friskliv.models import Prescription
from mestring.institutions.models import BedCapacity, Stay
from mestring.kernel.audit_words import AuditAction
from mestring.outcomes.models import Observation
from mestring.people.identity import random_synthetic_national_id
from mestring.people.models import Person, Staff, Unit
from mestring.plans.models import CoordinatorAssignment, Goal, IndividualPlan
from mestring.referrals.models import Referral
from mestring.rehab.models import Episode, Programme, Visit
from mestring.tenancy.models import Municipality

BENCH_REF = "BENCH-"
BENCH_COORDINATOR = "bench.koordinator."
BENCH_ITEM = r"^B[0-9]{8}$"  # the labels of the bench's items, B00000001 …
CASELOAD = 40  # persons per coordinator
BATCH = 5000
GIVEN = [
    f"{first}{second}"
    for first in ("An", "Per", "Ka", "O", "Ing", "Ni", "Sig", "Ar", "Li", "To", "Mar", "Jo")
    for second in ("ne", "la", "rid", "ls", "vor", "e", "tin")
]
# Some 300 family names, none more common than the commonest in Norway (about 1 %), so a
# search by name finds what it would in a real municipality.
FAMILY = [
    f"{first}{second}"
    for first in (
        "Ås",
        "Berg",
        "Lund",
        "Hol",
        "Dal",
        "Vik",
        "Strand",
        "Haug",
        "Nord",
        "Sol",
        "Fjell",
        "Moe",
        "Bakk",
        "Ny",
        "Øde",
        "Sand",
        "Skog",
        "Tveit",
        "Rus",
        "Lie",
        "Myr",
        "Eng",
        "Hage",
        "Kvam",
        "Foss",
    )
    for second in (
        "",
        "rud",
        "heim",
        "stad",
        "li",
        "bakken",
        "vik",
        "sen",
        "nes",
        "by",
        "land",
        "set",
    )
]
SOURCES = ["fastlege", "helseforetak", "hjemmetjeneste", "nav", "personen", "paroren"]
EPISODE_SOURCES = ["sykehus", "fastlege", "hjemmetjeneste", "sykehjem", "tjenestekontor"]
STAY_TYPES = ["korttid", "korttid", "korttid", "rehabilitering", "rullering", "avlastning"]
REASONS = ["muskel_skjelett", "overvekt", "inaktivitet", "psykisk", "sovn", "kosthold"]


@dataclass(frozen=True)
class Size:
    persons: int = 100_000
    open_cases: int = 20_000
    years: int = 10

    def per_year(self, per_100k: int) -> int:
        return max(1, round(per_100k * self.persons / 100_000))


@dataclass
class BuildResult:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def bench_persons_exist(municipality: Municipality) -> int:
    return Person.all_objects.filter(
        municipality=municipality, person_ref__startswith=BENCH_REF
    ).count()


class _Builder:
    def __init__(self, municipality: Municipality, size: Size, seed: int) -> None:
        self.m = municipality
        self.size = size
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.today = timezone.localdate()
        self.first_day = datetime.date(self.today.year - size.years, 1, 1)
        self.result = BuildResult()
        self.now = timezone.now()

    # --- helpers

    def _save(self, model: type[models.Model], objects: Iterable[models.Model]) -> list[Any]:
        manager = getattr(model, "all_objects", model._default_manager)  # unscoped
        created: list[Any] = []
        batch: list[models.Model] = []
        for obj in objects:
            batch.append(obj)
            if len(batch) == BATCH:
                created += manager.bulk_create(batch)
                batch = []
        if batch:
            created += manager.bulk_create(batch)
        label = model._meta.label
        self.result.rows[label] = self.result.rows.get(label, 0) + len(created)
        return created

    def _day(
        self, start: datetime.date | None = None, end: datetime.date | None = None
    ) -> datetime.date:
        start = start or self.first_day
        end = end or self.today
        return start + datetime.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def _years(self) -> Iterator[int]:
        return iter(range(self.first_day.year, self.today.year + 1))

    def _staff(self, role: str) -> list[Staff]:
        return list(
            Staff.all_objects.filter(municipality=self.m, role_assignments__role__code=role)
            .distinct()
            .order_by("pk")
        )

    # --- the tables

    def persons(self) -> list[Person]:
        # Numbers the municipality already holds (the demo's) are not drawn again.
        seen = set(
            Person.all_objects.filter(municipality=self.m).values_list("national_id", flat=True)
        )
        # A second build adds to the first: the references go on where it stopped.
        first = bench_persons_exist(self.m) + 1

        def make(index: int) -> Person:
            age = self.rng.choice(
                [self.rng.randint(0, 17), self.rng.randint(18, 66)] + [self.rng.randint(67, 99)] * 2
            )
            birth = self.today - datetime.timedelta(days=age * 365 + self.rng.randint(0, 364))
            number = random_synthetic_national_id(self.rng, birth)
            if number in seen:
                number = ""
            seen.add(number)
            return Person(
                municipality=self.m,
                person_ref=f"{BENCH_REF}{index:07d}",
                given_name=self.rng.choice(GIVEN),
                family_name=self.rng.choice(FAMILY),
                birth_date=birth,
                national_id=number,
                national_id_kind="fnr" if number else "",
                postal_code="9999",
                postal_town="Demoby",
            )

        return self._save(Person, (make(i) for i in range(first, first + self.size.persons)))

    def referrals_and_cases(
        self, persons: list[Person], caseworkers: list[Staff], basis: LegalBasis
    ) -> list[Case]:
        referrals = self._save(
            Referral,
            (
                Referral(
                    municipality=self.m,
                    person=self.rng.choice(persons),
                    source=self.rng.choice(SOURCES),
                    received_on=self._day(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
                    description="Syntetisk melding om behov",
                    status="sak_opprettet",
                )
                for year in self._years()
                for _ in range(self.size.per_year(12_000))
            ),
        )
        closed_cases = self._save(
            Case,
            (
                Case(
                    municipality=self.m,
                    person_id=referral.person_id,
                    referral=referral,
                    kind="tjeneste" if index % 5 else "ip_koordinator",
                    received_on=referral.received_on,
                    caseworker=self.rng.choice(caseworkers),
                    status="avsluttet",
                    decided_on=referral.received_on + datetime.timedelta(days=21),
                    closed_on=referral.received_on + datetime.timedelta(days=21),
                )
                for index, referral in enumerate(referrals)
                if index % 6 and referral.received_on < self.today - datetime.timedelta(days=60)
            ),
        )
        open_since = self.today - datetime.timedelta(days=120)
        self._save(
            Case,
            (
                Case(
                    municipality=self.m,
                    person=self.rng.choice(persons),
                    kind="tjeneste",
                    received_on=self._day(open_since),
                    caseworker=self.rng.choice(caseworkers),
                    status=self.rng.choice(["mottatt", "kartlegging", "venteliste"]),
                )
                for _ in range(self.size.open_cases)
            ),
        )
        self._save(
            Decision,
            (
                Decision(
                    municipality=self.m,
                    case=case,
                    subject="tjeneste" if case.kind == "tjeneste" else "individuell_plan",
                    outcome="avslag" if index % 9 == 0 else "innvilget",
                    reasons="Syntetisk begrunnelse",
                    legal_basis=basis,
                    legal_basis_title=basis.title,
                    legal_basis_text=basis.text,
                    decided_on=case.decided_on,
                    letter_sent_on=case.decided_on,
                    valid_from=case.decided_on,
                    valid_to=case.decided_on + datetime.timedelta(days=365),
                    decided_by=self.rng.choice(caseworkers),
                )
                for index, case in enumerate(closed_cases)
            ),
        )
        return closed_cases

    def coordinators(self, count: int) -> list[Staff]:
        """Coordinators of the large municipality: users without a usable password."""
        user_model = get_user_model()
        first = user_model.objects.filter(username__startswith=BENCH_COORDINATOR).count() + 1
        users = self._save(
            user_model,
            (
                user_model(
                    username=f"{BENCH_COORDINATOR}{n:04d}",
                    first_name="Koordinator",
                    last_name=f"{n:04d}",
                    password=UNUSABLE_PASSWORD_PREFIX,
                )
                for n in range(first, first + count)
            ),
        )
        staff = self._save(
            Staff,
            (Staff(municipality=self.m, user=user, profession="sykepleier") for user in users),
        )
        role = Role.all_objects.get(municipality=self.m, code="koordinator")
        self._save(
            StaffRole,
            (StaffRole(municipality=self.m, staff=member, role=role) for member in staff),
        )
        return staff

    def plans(self, persons: list[Person], coordinators: list[Staff], unit: Unit) -> None:
        count = self.size.per_year(1_500) * self.size.years
        chosen = self.rng.sample(persons, min(count, len(persons)))
        starts = [self._day() for _ in chosen]
        consents = self._save(
            Consent,
            (
                Consent(
                    municipality=self.m,
                    person=person,
                    kind="individuell_plan",
                    scope="Individuell plan",
                    given_by="personen",
                    given_on=start,
                )
                for person, start in zip(chosen, starts, strict=True)
            ),
        )
        plans = self._save(
            IndividualPlan,
            (
                IndividualPlan(
                    municipality=self.m,
                    person_id=consent.person_id,
                    consent=consent,
                    responsible_unit=unit,
                    start_date=consent.given_on,
                    next_revision_on=consent.given_on + datetime.timedelta(days=365),
                    what_matters="Å klare meg selv hjemme",
                )
                for consent in consents
            ),
        )
        self._save(
            Goal,
            (
                Goal(municipality=self.m, plan=plan, text=f"Mål {n}", position=n)
                for plan in plans
                for n in range(1, 4)
            ),
        )
        # The demo coordinators keep a real caseload (CASELOAD persons each); the rest of
        # the plans go to the large municipality's own coordinators.
        pool = [c for c in coordinators for _ in range(CASELOAD)]
        extra = self.coordinators(max(1, (len(plans) - len(pool)) // CASELOAD))
        assignments = [
            (plan, pool[index] if index < len(pool) else extra[index % len(extra)])
            for index, plan in enumerate(plans)
        ]
        self._save(
            CoordinatorAssignment,
            (
                CoordinatorAssignment(
                    municipality=self.m,
                    person_id=plan.person_id,
                    coordinator=coordinator,
                    started_on=plan.start_date,
                )
                for plan, coordinator in assignments
            ),
        )
        self._save(
            CareRelation,
            (
                CareRelation(
                    municipality=self.m,
                    person_id=plan.person_id,
                    staff=coordinator,
                    kind="koordinator",
                    reason="Koordinator (ytelsestest)",
                    valid_from=self.now - datetime.timedelta(days=30),
                )
                for plan, coordinator in assignments
            ),
        )

    def rehabilitation(
        self, persons: list[Person], programme: Programme, staff: list[Staff]
    ) -> None:
        def episode(year: int) -> Episode:
            referred = self._day(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            person = self.rng.choice(persons)
            roll = self.rng.random()
            common = {
                "municipality": self.m,
                "person": person,
                "programme": programme,
                "referral_date": referred,
                "referral_source": self.rng.choice(EPISODE_SOURCES),
            }
            start = referred + datetime.timedelta(days=self.rng.randint(3, 20))
            end = start + datetime.timedelta(days=self.rng.randint(20, 70))
            if end > self.today or roll < 0.05:
                return Episode(
                    **common, status="venter", assessed_on=referred, assessment="aktuell"
                )
            if roll < 0.35:
                return Episode(
                    **common,
                    status="ikke_aktuell",
                    assessed_on=referred,
                    assessment="ikke_aktuell",
                    assessment_reason="Ikke motivert",
                )
            outcome = "fullfort" if roll < 0.8 else "avbrutt"
            return Episode(
                **common,
                status=outcome,
                assessed_on=referred,
                assessment="aktuell",
                start_date=start,
                end_date=end,
                outcome=outcome,
            )

        episodes = self._save(
            Episode,
            (episode(year) for year in self._years() for _ in range(self.size.per_year(2_000))),
        )
        ended = [e for e in episodes if e.end_date is not None]
        self._save(
            Visit,
            (
                Visit(
                    municipality=self.m,
                    episode=e,
                    visited_on=e.start_date + datetime.timedelta(days=n * 2),
                    staff=self.rng.choice(staff),
                    minutes=45,
                )
                for e in ended
                for n in range(18)
            ),
        )
        self._save(
            Observation,
            (
                Observation(
                    municipality=self.m,
                    person_id=e.person_id,
                    episode=e,
                    instrument="sppb",
                    version="1",
                    observed_on=day,
                    time_point=point,
                    total=self.rng.randint(3, 12),
                )
                for e in ended
                for day, point in ((e.start_date, "start"), (e.end_date, "slutt"))
            ),
        )

    def stays(self, persons: list[Person], units: list[Unit]) -> None:
        def stay(year: int) -> Stay:
            admitted = self._day(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            discharged = admitted + datetime.timedelta(days=self.rng.randint(3, 30))
            open_stay = discharged >= self.today
            return Stay(
                municipality=self.m,
                person=self.rng.choice(persons),
                unit=self.rng.choice(units),
                stay_type=self.rng.choice(STAY_TYPES),
                admitted_on=admitted,
                discharged_on=None if open_stay else discharged,
                discharged_to="" if open_stay else "hjem",
                over_capacity=True,  # bulk data: capacity is not simulated night by night
            )

        self._save(
            Stay, (stay(year) for year in self._years() for _ in range(self.size.per_year(3_000)))
        )

    def loans(self, persons: list[Person], device_types: list[DeviceType]) -> None:
        item_count = self.size.per_year(3_000) * self.size.years
        loans = []
        for year in self._years():
            for _ in range(self.size.per_year(10_000)):
                ordered = self._day(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
                delivered = ordered + datetime.timedelta(days=3)
                returned = delivered + datetime.timedelta(days=self.rng.randint(30, 900))
                loans.append((ordered, delivered, returned))
        # An item is out on one open loan at a time: open loans get items of their own,
        # returned loans share the rest; with no item left a loan counts as returned.
        open_count = sum(1 for *_, returned in loans if returned >= self.today)
        lent_out = min(open_count, item_count)
        first = Item.all_objects.filter(municipality=self.m, label__regex=BENCH_ITEM).count() + 1
        items = self._save(
            Item,
            (
                Item(
                    municipality=self.m,
                    device_type=self.rng.choice(device_types),
                    label=f"B{n:08d}",
                    value_nok=self.rng.choice([800, 2500, 9000]),
                    status="utlant" if n - first < lent_out else "ledig",
                )
                for n in range(first, first + item_count)
            ),
        )
        free = iter(items[:lent_out])
        shared = items[lent_out:] or items

        def loan(ordered: datetime.date, delivered: datetime.date, returned: datetime.date) -> Loan:
            item = next(free, None) if returned >= self.today else None
            back = item is None
            if back and returned >= self.today:
                returned = self.today - datetime.timedelta(days=1)
            return Loan(
                municipality=self.m,
                item=item or self.rng.choice(shared),
                person=self.rng.choice(persons),
                ordered_on=ordered,
                delivered_on=min(delivered, self.today),
                returned_on=max(returned, min(delivered, self.today)) if back else None,
                return_condition="god" if back else "",
            )

        self._save(Loan, (loan(*dates) for dates in loans))

    def prescriptions(self, persons: list[Person]) -> None:
        def prescription(year: int) -> Prescription:
            referred = self._day(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            ended = referred + datetime.timedelta(days=84)
            done = ended < self.today
            return Prescription(
                municipality=self.m,
                person=self.rng.choice(persons),
                referral_date=referred,
                referrer_kind="fastlege",
                reason=self.rng.choice(REASONS),
                status="avsluttet" if done else "pagaende",
                start_date=referred + datetime.timedelta(days=7),
                ended_on=ended if done else None,
                completed=(self.rng.random() < 0.5) if done else None,
            )

        self._save(
            Prescription,
            (prescription(year) for year in self._years() for _ in range(self.size.per_year(300))),
        )


@dataclass(frozen=True)
class _Skeleton:
    """What the bulk rows hang on: the demo municipality's staff, legal basis, programme,
    coordinating unit, bed units and device types."""

    caseworkers: list[Staff]
    coordinators: list[Staff]
    providers: list[Staff]
    basis: LegalBasis
    programme: Programme
    coordinating_unit: Unit
    bed_units: list[Unit]
    device_types: list[DeviceType]


def _skeleton(builder: _Builder) -> _Skeleton:
    m = builder.m
    caseworkers = builder._staff("saksbehandler")
    coordinators = builder._staff("koordinator") + builder._staff("leder_ke")
    providers = builder._staff("tjenesteyter") or coordinators
    basis = LegalBasis.all_objects.filter(municipality=m, is_active=True).order_by("pk").first()
    programme = Programme.all_objects.filter(municipality=m).order_by("pk").first()
    coordinating_unit = Unit.all_objects.filter(
        municipality=m, name="Tjenestekontor og koordinerende enhet"
    ).first()
    bed_units = list(
        Unit.all_objects.filter(
            municipality=m, pk__in=BedCapacity.all_objects.values("unit_id")
        ).order_by("pk")
    )
    device_types = list(DeviceType.all_objects.filter(municipality=m).order_by("pk"))
    if not (
        caseworkers
        and coordinators
        and basis
        and programme
        and coordinating_unit
        and bed_units
        and device_types
    ):
        raise RuntimeError("Demokommunen mangler grunndata; kjør «mestring demo» først.")
    return _Skeleton(
        caseworkers,
        coordinators,
        providers,
        basis,
        programme,
        coordinating_unit,
        bed_units,
        device_types,
    )


def _run(
    builder: _Builder,
    steps: list[tuple[str, Callable[[], object]]],
    progress: Callable[[str], None],
) -> None:
    for label, step in steps:
        progress(label)
        step()
    record_event(
        actor=system_actor(builder.m),
        action=AuditAction.IMPORT,
        object_type="bench_data",
        object_id=builder.result.total_rows,
    )


def _history(
    builder: _Builder, base: _Skeleton, persons: list[Person]
) -> list[tuple[str, Callable[[], object]]]:
    """Every kind of history but the individual plan (one active plan per person)."""
    return [
        (
            "meldinger, saker og vedtak",
            lambda: builder.referrals_and_cases(persons, base.caseworkers, base.basis),
        ),
        (
            "rehabiliteringsforløp og besøk",
            lambda: builder.rehabilitation(persons, base.programme, base.providers),
        ),
        ("institusjonsopphold", lambda: builder.stays(persons, base.bed_units)),
        ("hjelpemidler og utlån", lambda: builder.loans(persons, base.device_types)),
        ("frisklivsresepter", lambda: builder.prescriptions(persons)),
    ]


def build_large_municipality(
    municipality: Municipality,
    size: Size,
    *,
    seed: int = 12,
    progress: Callable[[str], None] = lambda _line: None,
) -> BuildResult:
    """Add the bulk data to `municipality` (the demo municipality, already built).

    Called again, it adds `size` more on top: references, usernames and labels go on
    from where the earlier build stopped (give another seed, or the new persons draw the
    same identity numbers and are left without one)."""
    started = timezone.now()
    builder = _Builder(municipality, size, seed)
    base = _skeleton(builder)
    with transaction.atomic():
        progress("personer")
        persons = builder.persons()
        steps = _history(builder, base, persons)
        steps.insert(
            1,
            (
                "individuelle planer",
                lambda: builder.plans(persons, base.coordinators, base.coordinating_unit),
            ),
        )
        _run(builder, steps, progress)
    builder.result.seconds = (timezone.now() - started).total_seconds()
    return builder.result


def add_history(
    municipality: Municipality,
    persons: list[Person],
    size: Size,
    *,
    seed: int = 12,
    progress: Callable[[str], None] = lambda _line: None,
) -> BuildResult:
    """As many messages, cases and decisions, rehabilitation episodes with visits and
    measures, stays, loans and frisklivsresepter as `size` gives a municipality, all
    about `persons` (already there). The query-count test lengthens the history of the
    person whose pages it measures with it."""
    started = timezone.now()
    builder = _Builder(municipality, size, seed)
    base = _skeleton(builder)
    with transaction.atomic():
        _run(builder, _history(builder, base, persons), progress)
    builder.result.seconds = (timezone.now() - started).total_seconds()
    return builder.result
