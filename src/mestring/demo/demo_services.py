"""Demo data for the allocation office: providers and capacity for the catalogue,
assessments, service applications, decisions, assignments and a waiting list. All
invented, from a fixed seed; built once.

Two years of applications are played in date order through the same services the
pages use: a granted decision is assigned to its unit when the unit has room on that
day, or goes on the unit's waiting list; a place that comes free goes to the first on
the list. The assignment gives the unit its care relation for the period it provides,
and a service a programme runs (hverdagsrehabilitering) lands on that programme's
waiting list. Cases done with are closed (written as history); the caseworker takes
those still open (`case_assign`), which gives her the person's record while the case
is open, and half of the newest applications wait in the intake queue. What the
figures assume is in docs/demo.md."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from mestring.access.actor import Actor
from mestring.assessments.models import Assessment, AssessmentScore, FunctionVariable
from mestring.casework.models import (
    ApplicationLine,
    Case,
    CaseKind,
    CaseStatus,
    CaseStatusChange,
    Decision,
    DecisionOutcome,
    DecisionSubject,
    LegalBasis,
)
from mestring.casework.services import case_assign
from mestring.catalogue.models import (
    Assignment,
    RemovalReason,
    Service,
    ServiceProvider,
    WaitingListEntry,
)
from mestring.catalogue.services import (
    assignment_end,
    decision_assign,
    has_room,
    waiting_remove,
)
from mestring.demo.actors import demo_actor
from mestring.people.models import Person, Staff, Unit

# service code → providing unit, capacity (places, or hours per week), share of the
# applications, and how long a decision lasts (days). Sized for the demo's volume
# (docs/demo.md): about as much is in use today as there is room for, so a few wait,
# and places come free as decisions run out.
PROVIDERS: dict[str, tuple[str, Decimal, int, tuple[int, ...]]] = {
    "hverdagsrehabilitering": ("Fysio- og ergoterapitjenesten", Decimal(2), 30, (42, 56)),
    "korttidsopphold": ("Lokalmedisinsk senter", Decimal(2), 16, (14, 21, 28)),
    "rehabiliteringsopphold": ("Lokalmedisinsk senter", Decimal(1), 8, (21, 28)),
    "praktisk-bistand": ("Hjemmetjenesten", Decimal(18), 18, (180, 365)),
    "hjemmesykepleie": ("Hjemmetjenesten", Decimal(24), 20, (180, 365)),
    "stottekontakt": ("Miljøterapitjenesten", Decimal(16), 10, (365,)),
    "dagplass": ("Miljøterapitjenesten", Decimal(3), 8, (365,)),
    "psykisk-helse-rus": ("Rus og psykisk helse", Decimal(12), 10, (180, 365)),
}
# Applications over the last two years (about 60 a year), and how many of the newest
# are still being assessed (received within the last six weeks).
APPLICATIONS = 120
HISTORY_DAYS = 730
OPEN_CASES = 8
# Cases stay open (decided, assigned or waiting) for a while after the decision; older
# ones are closed, as the office does when the service is under way.
CLOSE_AFTER_DAYS = 30
# The office goes through its waiting lists once a week.
REVIEW_EVERY_DAYS = 7


@dataclass
class _Application:
    person: Person
    service: Service
    unit: Unit
    received: datetime.date
    open_case: bool
    decided: datetime.date | None = None


def build_services_demo(rng: random.Random, persons: list[Person], caseworker: Staff) -> None:
    if Case.objects.filter(kind=CaseKind.SERVICE).exists():
        return
    today = timezone.localdate()
    actor = demo_actor(caseworker)
    units = {u.name: u for u in Unit.objects.all()}
    services = {s.code: s for s in Service.objects.all()}
    for code, (unit_name, capacity, _share, _days) in PROVIDERS.items():
        ServiceProvider.objects.get_or_create(
            service=services[code], unit=units[unit_name], defaults={"capacity": capacity}
        )
    basis = LegalBasis.objects.order_by("pk").first()
    if basis is None:
        raise RuntimeError("Demodataene for tjenester trenger en hjemmel (LegalBasis).")
    variables = list(FunctionVariable.objects.filter(is_active=True))
    adults = [p for p in persons if p.age_on(today) >= 18]
    codes = list(PROVIDERS)
    shares = [PROVIDERS[code][2] for code in codes]
    applications = []
    for index, person in enumerate(rng.sample(adults, APPLICATIONS)):
        code = rng.choices(codes, weights=shares)[0]
        open_case = index < OPEN_CASES
        received = today - datetime.timedelta(
            days=rng.randint(2, 42) if open_case else rng.randint(50, HISTORY_DAYS)
        )
        application = _Application(
            person, services[code], units[PROVIDERS[code][0]], received, open_case
        )
        if not open_case:
            application.decided = received + datetime.timedelta(days=rng.randint(5, 35))
        applications.append(application)
    # In the order the office decided them, so each assignment sees the places taken
    # on its day.
    applications.sort(key=lambda a: a.decided or today)
    taken: list[Case] = []
    reviewed = today - datetime.timedelta(days=HISTORY_DAYS + 60)
    for index, application in enumerate(applications):
        # Every other open case is an application from Min side nobody has taken yet,
        # so the allocation office's queue has work in it.
        unassigned = application.open_case and index % 2 == 0
        case = _application(rng, caseworker, application, variables)
        if not unassigned:
            taken.append(case)
        if application.decided is None:
            continue
        if (application.decided - reviewed).days >= REVIEW_EVERY_DAYS:
            reviewed = application.decided
            _offer_free_places(actor, reviewed)
        _decide(rng, actor, caseworker, case, application, basis, application.decided, today)
    _offer_free_places(actor, today)
    done = _close_done_cases(caseworker, today)
    for case in taken:
        if case.pk not in done:
            # Taking the case gives the caseworker the person's record while it is open.
            case_assign(actor=actor, case=case, caseworker=caseworker)


def _application(
    rng: random.Random,
    caseworker: Staff,
    application: _Application,
    variables: list[FunctionVariable],
) -> Case:
    person, received = application.person, application.received
    assessment = Assessment.objects.create(
        person=person,
        assessed_on=received + datetime.timedelta(days=3),
        next_assessment_on=received + datetime.timedelta(days=365),
        what_matters="Å klare meg mest mulig selv hjemme.",
        assessed_by=caseworker,
    )
    AssessmentScore.objects.bulk_create(
        [
            AssessmentScore(
                municipality=person.municipality,
                assessment=assessment,
                variable=variable,
                score=rng.choice([1, 2, 3, 4, 5, 9]),
            )
            for variable in variables
        ]
    )
    case = Case.objects.create(
        person=person,
        kind=CaseKind.SERVICE,
        received_on=received,
        status=CaseStatus.ASSESSING,
    )
    ApplicationLine.objects.create(case=case, service=application.service)
    CaseStatusChange.objects.create(case=case, from_status="", to_status=CaseStatus.RECEIVED)
    CaseStatusChange.objects.create(
        case=case, from_status=CaseStatus.RECEIVED, to_status=CaseStatus.ASSESSING
    )
    assessment.case = case
    assessment.save(update_fields=["case"])
    return case


def _decide(
    rng: random.Random,
    actor: Actor,
    caseworker: Staff,
    case: Case,
    application: _Application,
    basis: LegalBasis,
    decided: datetime.date,
    today: datetime.date,
) -> None:
    service = application.service
    outcome = rng.choice(
        [DecisionOutcome.GRANTED] * 6 + [DecisionOutcome.PARTLY, DecisionOutcome.REFUSED]
    )
    hourly = service.capacity_kind == "timer_per_uke"
    valid_to = decided + datetime.timedelta(days=rng.choice(PROVIDERS[service.code][3]))
    decision = Decision.objects.create(
        case=case,
        subject=DecisionSubject.SERVICE,
        service=service,
        outcome=outcome,
        reasons="Kartleggingen viser behov for tjenesten.",
        legal_basis=basis,
        legal_basis_title=basis.title,
        legal_basis_text=basis.text,
        decided_on=decided,
        letter_sent_on=decided,
        valid_from=decided,
        valid_to=valid_to,
        hours_per_week=Decimal(rng.choice([2, 3, 4, 6]))
        if hourly and outcome != "avslag"
        else None,
        days=None if hourly or outcome == "avslag" else rng.choice([14, 21, 42]),
        decided_by=caseworker,
    )
    case.status, case.decided_on = CaseStatus.DECIDED, decided
    case.save(update_fields=["status", "decided_on"])
    CaseStatusChange.objects.create(
        case=case, from_status=CaseStatus.ASSESSING, to_status=CaseStatus.DECIDED
    )
    if outcome == DecisionOutcome.REFUSED:
        return
    # A free place goes to those already waiting before a new decision is assigned.
    _offer_free_places(actor, decided)
    made = decision_assign(
        skip_reason=AHEAD_OF_QUEUE,
        actor=actor,
        decision=decision,
        unit=application.unit,
        starts_on=decided,
        priority=rng.choice([1, 2, 2, 3]),
        ends_on=valid_to if valid_to < today else None,
    )
    if isinstance(made, WaitingListEntry):
        # On the list from the day of the decision (the service says "today").
        made.added_on = decided
        made.save(update_fields=["added_on"])


# Only hours can be free while people wait: those before need more hours than are free.
# The catalogue records this only when someone actually waited first.
AHEAD_OF_QUEUE = "De som venter før, trenger flere timer enn det som er ledig."


def _offer_free_places(actor: Actor, day: datetime.date) -> None:
    """What the office does each week: a place that came free goes to the first on the
    waiting list (priority, then date); one whose decision ran out meanwhile leaves it."""
    entries = (
        WaitingListEntry.objects.filter(removed_on__isnull=True, added_on__lte=day)
        .select_related("decision__case__person", "decision__service", "unit")
        .order_by("priority", "added_on", "pk")
    )
    for entry in entries:
        decision = entry.decision
        if decision.valid_to is not None and decision.valid_to < day:
            waiting_remove(
                actor=actor,
                entry=entry,
                reason=RemovalReason.NO_LONGER_NEEDED,
                note="",
                removed_on=decision.valid_to,
            )
            continue
        provider = ServiceProvider.objects.get(service=decision.service_id, unit=entry.unit)
        if not has_room(decision=decision, provider=provider, day=day):
            continue
        waiting_remove(
            actor=actor,
            entry=entry,
            reason=RemovalReason.ASSIGNED,
            note="",
            removed_on=day,
            skip_reason=AHEAD_OF_QUEUE,
        )
        assignment = Assignment.objects.filter(decision=decision).latest("pk")
        if decision.valid_to is not None and decision.valid_to < timezone.localdate():
            assignment_end(actor=actor, assignment=assignment, ends_on=decision.valid_to)


def _close_done_cases(caseworker: Staff, today: datetime.date) -> set[int]:
    """Decided cases older than a month are done with: the service is under way, has
    ended or was refused; those still on a waiting list stay open. These closed long
    ago, so the caseworker's access to them came and went then: they are written as
    history (caseworker, closed), and only the cases still open are taken through the
    service that gives the access. Returns the closed cases' ids."""
    done = list(
        Case.objects.filter(
            kind=CaseKind.SERVICE,
            status__in=[CaseStatus.DECIDED, CaseStatus.ASSIGNED, CaseStatus.WAITING],
            decided_on__lt=today - datetime.timedelta(days=CLOSE_AFTER_DAYS),
        )
        .exclude(decisions__waiting_entries__in=WaitingListEntry.objects.filter(removed_on=None))
        .distinct()
    )
    CaseStatusChange.objects.bulk_create(
        [
            CaseStatusChange(
                municipality_id=case.municipality_id,
                case=case,
                from_status=case.status,
                to_status=CaseStatus.CLOSED,
            )
            for case in done
        ]
    )
    for case in done:
        case.caseworker = caseworker
        case.status = CaseStatus.CLOSED
        case.closed_on = (case.decided_on or today) + datetime.timedelta(days=CLOSE_AFTER_DAYS)
    Case.objects.bulk_update(done, ["caseworker", "status", "closed_on"])
    return {case.pk for case in done}
