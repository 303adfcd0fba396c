"""Demo data for the citizen's pages: what some persons with a plan wrote (comments,
what matters, a proposed goal), a conversation with the coordinator, and one request
for sperring. Written directly (like the other demo builders); idempotent."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mestring.people.models import Person, Staff
from mestring.plans.models import Goal, IndividualPlan, PlanStatus
from mestring.plans.selectors import current_coordinator
from mestring.portal.models import (
    BlockRequest,
    CitizenComment,
    CommentKind,
    Conversation,
    Message,
    SenderKind,
)

WHAT_MATTERS = [
    "Å klare meg selv hjemme, og å kunne gå tur med hunden.",
    "Å komme tilbake på jobb noen dager i uken.",
    "At datteren min slipper å ringe rundt til alle kontorene.",
    "Å kunne lage middag selv og spise sammen med familien.",
]
COMMENTS = [
    "Dette målet er viktig for meg. Kan vi starte allerede neste uke?",
    "Jeg synes det går litt fort. Kan vi ta det i mindre steg?",
    "Det har gått bedre de siste ukene.",
]
PROPOSALS = [
    "Jeg vil klare å handle i nærbutikken selv.",
    "Jeg vil gå til postkassen uten rullator.",
    "Jeg vil være med i seniorkoret igjen.",
]
CITIZEN_MESSAGES = [
    "Hei! Kan vi flytte møtet til etter klokka 12? Jeg har fysioterapi om morgenen.",
    "Takk for sist. Jeg lurer på når planen skal gås gjennom igjen.",
]
STAFF_ANSWERS = [
    "Hei! Det går fint. Jeg sender en ny innkalling.",
    "Vi går gjennom planen på neste møte i ansvarsgruppen.",
]


def _at(today: datetime.date, days_ago: int, hour: int) -> datetime.datetime:
    day = today - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


def build_portal_pages_demo(
    rng: random.Random, persons: list[Person], coordinator: Staff, today: datetime.date
) -> None:
    if CitizenComment.objects.exists() or Conversation.objects.exists():
        return
    plans = list(
        IndividualPlan.objects.filter(person__in=persons, status=PlanStatus.ACTIVE)
        .select_related("person")
        .order_by("pk")[:4]
    )
    for index, plan in enumerate(plans):
        person = plan.person
        name = person.full_name
        assignment = current_coordinator(person)
        answerer = assignment.coordinator if assignment else coordinator
        CitizenComment.objects.create(
            person=person,
            plan=plan,
            kind=CommentKind.WHAT_MATTERS,
            text=WHAT_MATTERS[index % len(WHAT_MATTERS)],
            written_by_name=name,
            created_at=_at(today, 20 - index, 10),
        )
        goal = Goal.objects.filter(plan=plan).order_by("position", "pk").first()
        if goal is not None:
            answered = index % 2 == 0
            CitizenComment.objects.create(
                person=person,
                plan=plan,
                goal=goal,
                kind=CommentKind.COMMENT,
                text=rng.choice(COMMENTS),
                written_by_name=name,
                created_at=_at(today, 12 - index, 9),
                answer="Takk! Vi tar det opp på neste møte." if answered else "",
                answered_by=answerer if answered else None,
                answered_at=_at(today, 10 - index, 14) if answered else None,
            )
        CitizenComment.objects.create(
            person=person,
            plan=plan,
            kind=CommentKind.PROPOSAL,
            text=PROPOSALS[index % len(PROPOSALS)],
            written_by_name=name,
            created_at=_at(today, 5 + index, 19),
        )
        conversation = Conversation.objects.create(person=person, created_at=_at(today, 9, 8))
        for turn in range(2):
            Message.objects.create(
                conversation=conversation,
                sender_kind=SenderKind.CITIZEN,
                sender_name=name,
                body=CITIZEN_MESSAGES[turn],
                sent_at=_at(today, 9 - turn * 4, 8),
                read_at=_at(today, 9 - turn * 4, 11) if turn == 0 or index % 2 else None,
            )
            if turn == 0 or index % 2:
                Message.objects.create(
                    conversation=conversation,
                    sender_kind=SenderKind.STAFF,
                    sender_name=str(answerer),
                    staff=answerer,
                    body=STAFF_ANSWERS[turn],
                    sent_at=_at(today, 9 - turn * 4, 12),
                    read_at=_at(today, 8 - turn * 4, 9) if turn == 0 else None,
                )
    if plans:
        BlockRequest.objects.create(
            person=plans[0].person,
            text="Jeg vil ikke at naboen min, som jobber på legevakten, skal se journalen min.",
            written_by_name=plans[0].person.full_name,
            created_at=_at(today, 3, 20),
        )
