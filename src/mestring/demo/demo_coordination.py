"""Demo data for the coordinating unit: messages, cases, decisions, coordinators, plans,
responsibility groups, meetings and follow-ups — so every page and figure has
something to show. Everything is invented and built from a fixed seed."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mestring.access.models import CareRelation, CareRelationKind, Consent, ConsentKind
from mestring.casework.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    Decision,
    DecisionOutcome,
    DecisionSubject,
    LegalBasis,
)
from mestring.demo.actors import demo_actor
from mestring.people.models import Person, Staff, Unit
from mestring.plans.models import (
    Achievement,
    CoordinatorProfile,
    CoordinatorTraining,
    Goal,
    IndividualPlan,
    Measure,
    PlanRevision,
    PlanStatus,
    SupervisionSession,
)
from mestring.plans.services import coordinator_appoint, coordinator_end
from mestring.referrals.models import (
    Referral,
    ReferralSource,
    ReferralStatus,
    ReferralStatusChange,
    Urgency,
)
from mestring.referrals.services import referral_take
from mestring.teams.models import (
    Attendance,
    FollowUpItem,
    GroupMember,
    Meeting,
    MeetingStatus,
    MemberKind,
    ResponsibilityGroup,
)
from mestring.teams.services import member_add

PLAN_UNIT_CHILD = "Helsestasjon og skolehelsetjeneste"
PLAN_UNITS_ADULT = [
    "Hjemmetjenesten",
    "Miljøterapitjenesten",
    "Rus og psykisk helse",
    "Fysio- og ergoterapitjenesten",
]
GOALS = [
    "Jeg vil klare å gå til butikken selv.",
    "Jeg vil være med på fotballtreningen hver uke.",
    "Jeg vil bo hjemme så lenge som mulig.",
    "Jeg vil ha en fast person å ringe når noe er vanskelig.",
    "Jeg vil komme meg ut av huset minst tre ganger i uken.",
    "Jeg vil lage middag selv.",
]
MEASURES = [
    ("Hverdagsrehabilitering", "3 ganger i uken i 6 uker"),
    ("Støttekontakt", "4 timer i uken"),
    ("Fysioterapi", "1 gang i uken"),
    ("Praktisk bistand", "2 timer i uken"),
    ("Avlastning", "1 helg i måneden"),
]


MEETING_SPREAD_DAYS = 84


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def _weekday(day: datetime.date) -> datetime.date:
    """The day, or the Monday after it when it falls on a weekend."""
    return day + datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def build_coordination_demo(
    rng: random.Random, persons: list[Person], staff_by_username: dict[str, Staff]
) -> None:
    if IndividualPlan.objects.exists():
        return  # already built: the demo is idempotent
    today = timezone.localdate()
    units = {u.name: u for u in Unit.objects.all()}
    coordinators = [
        staff_by_username[name]
        for name in ("demo.koordinator", "demo.ke-leder", "demo.fysioterapeut")
    ]
    lead = staff_by_username["demo.ke-leder"]
    nurse = staff_by_username["demo.sykepleier"]
    for index, staff in enumerate(coordinators):
        profile = CoordinatorProfile.objects.create(
            staff=staff, joined_on=today - datetime.timedelta(days=1600 + 90 * index)
        )
        CoordinatorTraining.objects.create(
            coordinator=profile,
            course="Grunnkurs for koordinatorer",
            completed_on=today - datetime.timedelta(days=1550 + 90 * index),
        )
        SupervisionSession.objects.create(
            coordinator=profile,
            held_on=today - datetime.timedelta(days=30 + 10 * index),
            topic="Samarbeid med familien",
        )
    ip_basis = LegalBasis.objects.get(code="individuell-plan")
    coordinator_basis = LegalBasis.objects.get(code="koordinator")
    children = [p for p in persons if p.age_on(today) < 18]
    adults = [p for p in persons if p.age_on(today) >= 18]
    # A plan's table of plans per unit, in miniature: children at the health station,
    # adults spread over the adult services.
    planned = rng.sample(children, min(20, len(children))) + rng.sample(adults, 30)
    for index, person in enumerate(planned):
        _plan_for(
            rng, person, index, today, units, coordinators, lead, nurse, ip_basis, coordinator_basis
        )
    _messages(rng, persons, today, units, lead)


def _plan_for(
    rng: random.Random,
    person: Person,
    index: int,
    today: datetime.date,
    units: dict[str, Unit],
    coordinators: list[Staff],
    lead: Staff,
    nurse: Staff,
    ip_basis: LegalBasis,
    coordinator_basis: LegalBasis,
) -> None:
    start = today - datetime.timedelta(days=rng.randint(40, 1500))
    received = start - datetime.timedelta(days=rng.randint(10, 45))
    case = Case.objects.create(
        person=person,
        kind="ip_koordinator",
        received_on=received,
        requests_individual_plan=True,
        requests_coordinator=True,
        caseworker=lead,
        status=CaseStatus.CLOSED,
        decided_on=start,
        closed_on=start,
    )
    # Decided, the coordinator appointed and the plan begun: the case is done with.
    for before, after in (
        ("", CaseStatus.RECEIVED),
        (CaseStatus.RECEIVED, CaseStatus.DECIDED),
        (CaseStatus.DECIDED, CaseStatus.CLOSED),
    ):
        CaseStatusChange.objects.create(case=case, from_status=before, to_status=after)
    decisions = [
        Decision.objects.create(
            case=case,
            subject=subject,
            outcome=DecisionOutcome.GRANTED,
            reasons="Du har behov for langvarige og koordinerte tjenester.",
            legal_basis=basis,
            legal_basis_title=basis.title,
            legal_basis_text=basis.text,
            decided_on=start,
            letter_sent_on=start,
            decided_by=lead,
        )
        for subject, basis in (
            (DecisionSubject.INDIVIDUAL_PLAN, ip_basis),
            (DecisionSubject.COORDINATOR, coordinator_basis),
        )
    ]
    consent = Consent.objects.create(
        person=person,
        kind=ConsentKind.INDIVIDUAL_PLAN,
        scope="Opplysninger i individuell plan og ansvarsgruppe",
        given_by="personen",
        given_on=start - datetime.timedelta(days=3),
    )
    is_child = person.age_on(today) < 18
    unit_name = PLAN_UNIT_CHILD if is_child else rng.choice(PLAN_UNITS_ADULT)
    ended = index % 10 == 9
    plan = IndividualPlan.objects.create(
        person=person,
        consent=consent,
        decision=decisions[0],
        responsible_unit=units[unit_name],
        start_date=start,
        end_date=today - datetime.timedelta(days=5) if ended else None,
        status=PlanStatus.CLOSED if ended else PlanStatus.ACTIVE,
        closed_on=today - datetime.timedelta(days=5) if ended else None,
        next_revision_on=start + datetime.timedelta(days=365 * (1 + (today - start).days // 365)),
        what_matters=rng.choice(GOALS),
    )
    PlanRevision.objects.create(plan=plan, number=1, snapshot={"demo": True}, summary="Opprettet")
    plan.history.create(from_status="", to_status=PlanStatus.ACTIVE)
    if ended:
        plan.history.create(from_status=PlanStatus.ACTIVE, to_status=PlanStatus.CLOSED)
    for position, text in enumerate(rng.sample(GOALS, 2)):
        goal = Goal.objects.create(
            plan=plan,
            text=text,
            position=position,
            achievement=rng.choice(list(Achievement.values)),
            target_date=start + datetime.timedelta(days=180),
        )
        title, scope = rng.choice(MEASURES)
        Measure.objects.create(
            plan=plan,
            goal=goal,
            title=title,
            scope=scope,
            responsible_unit=units[unit_name],
            start_on=start,
            decision=decisions[0],
        )
    coordinator = coordinators[index % len(coordinators)]
    # Appointing the coordinator is what gives them the person's record; ending the
    # appointment (the plan closed) takes it away again.
    actor = demo_actor(lead)
    assignment = coordinator_appoint(
        actor=actor,
        person=person,
        coordinator=coordinator,
        started_on=start,
        person_wish="En å ringe til som kjenner meg.",
        decision=decisions[1],
    )
    # The access dates from the appointment (the service dates it today).
    CareRelation.objects.filter(
        person=person, staff=coordinator, kind=CareRelationKind.COORDINATOR, valid_to=None
    ).update(valid_from=_start_of(start))
    if ended and plan.end_date is not None:
        coordinator_end(actor=actor, assignment=assignment, ended_on=plan.end_date)
    elif index % 2 == 0:
        group = _group_for(rng, person, plan, coordinator, today, units)
        if unit_name == "Hjemmetjenesten" or person.age_on(today) >= 67:
            # The home care nurse joins the groups of those who get home care, and
            # of the old; being a member is what lets them see the person.
            member_add(
                actor=actor,
                group=group,
                kind=MemberKind.INTERNAL,
                role="Primærkontakt i hjemmetjenesten",
                started_on=plan.start_date,
                staff=nurse,
                line="forste",
            )


def _group_for(
    rng: random.Random,
    person: Person,
    plan: IndividualPlan,
    coordinator: Staff,
    today: datetime.date,
    units: dict[str, Unit],
) -> ResponsibilityGroup:
    group = ResponsibilityGroup.objects.create(person=person, plan=plan, started_on=plan.start_date)
    members = [
        GroupMember.objects.create(
            group=group,
            kind=MemberKind.PERSON,
            name=person.full_name,
            role="Personen selv",
            started_on=plan.start_date,
        ),
        GroupMember.objects.create(
            group=group,
            kind=MemberKind.INTERNAL,
            staff=coordinator,
            role="Koordinator",
            line="forste",
            is_chair=True,
            started_on=plan.start_date,
        ),
        GroupMember.objects.create(
            group=group,
            kind=MemberKind.EXTERNAL,
            unit=units["Helse Demo HF"],
            name="Habiliteringstjenesten",
            role="Spesialisthelsetjenesten",
            line="andre",
            started_on=plan.start_date,
        ),
    ]
    oslo = timezone.get_current_timezone()
    past = datetime.datetime.combine(
        _weekday(today - datetime.timedelta(days=rng.randint(20, 90))),
        datetime.time(10, 0),
        tzinfo=oslo,
    )
    # A group meets two to four times a year: the next meetings are spread over the
    # coming twelve weeks, on weekdays, about two a week across the municipality.
    soon = datetime.datetime.combine(
        _weekday(today + datetime.timedelta(days=1 + rng.randrange(MEETING_SPREAD_DAYS))),
        datetime.time(rng.choice([9, 10, 13, 14]), 0),
        tzinfo=oslo,
    )
    held = Meeting.objects.create(
        group=group,
        starts_at=past,
        ends_at=past + datetime.timedelta(hours=1),
        place="Rådhuset, møterom 2",
        agenda="Status og mål",
        status=MeetingStatus.HELD,
        minutes="Gjennomgang av målene. Alle møtte.",
        decisions="Fortsetter tiltakene.",
    )
    held.history.create(from_status="", to_status=MeetingStatus.PLANNED)
    held.history.create(from_status=MeetingStatus.PLANNED, to_status=MeetingStatus.HELD)
    planned = Meeting.objects.create(
        group=group,
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1),
        place="Helsehuset",
        agenda="Evaluering av planen",
    )
    planned.history.create(from_status="", to_status=MeetingStatus.PLANNED)
    Attendance.objects.bulk_create(
        [
            Attendance(municipality=group.municipality, meeting=held, member=m, attended=True)
            for m in members
        ]
    )
    FollowUpItem.objects.create(
        meeting=held,
        what="Sende søknad om avlastning",
        responsible_member=members[1],
        due_on=today - datetime.timedelta(days=rng.randint(-10, 10)),
    )
    return group


def _messages(
    rng: random.Random,
    persons: list[Person],
    today: datetime.date,
    units: dict[str, Unit],
    lead: Staff,
) -> None:
    statuses = (
        [ReferralStatus.RECEIVED] * 5
        + [ReferralStatus.ASSESSING] * 4
        + [
            ReferralStatus.CASE_OPENED,
            ReferralStatus.FORWARDED,
            ReferralStatus.CLOSED,
        ]
    )
    for index, status in enumerate(statuses):
        person = persons[(index * 37) % len(persons)]
        referral = Referral.objects.create(
            person=person,
            source=rng.choice(list(ReferralSource.values)),
            received_on=today - datetime.timedelta(days=rng.randint(0, 40)),
            description="Trenger hjelp til å koordinere tjenester etter utskriving.",
            urgency=Urgency.URGENT if index % 4 == 0 else Urgency.NORMAL,
            status=status,
            status_reason=""
            if status in (ReferralStatus.RECEIVED, ReferralStatus.ASSESSING)
            else "Demodata",
            forwarded_to=units["NAV Demo"] if status == ReferralStatus.FORWARDED else None,
            registered_by=lead,
        )
        ReferralStatusChange.objects.create(
            referral=referral, from_status="", to_status=ReferralStatus.RECEIVED
        )
        if status != ReferralStatus.RECEIVED:
            ReferralStatusChange.objects.create(
                referral=referral, from_status=ReferralStatus.RECEIVED, to_status=status
            )
        if status == ReferralStatus.ASSESSING:
            # Being assessed: the leader took the message, and sees it while it is open.
            # New ones wait in the intake queue; finished ones need no access.
            referral_take(actor=demo_actor(lead), referral=referral)
