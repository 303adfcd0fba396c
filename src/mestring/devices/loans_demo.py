"""Demo data for loans: about 80 loans of the store's items over three years (some
returned, some open, some overdue, a few ordered and waiting for delivery), three NAV
applications in different statuses, and about 40 inquiries a year over five years.

Runs after the store demo: it lends items the store demo created (`ledig`), each
after the day it was bought; with no such items it does nothing. An item's history
is lent → returned → cleaned (or repaired) → ledig, and its status is where the last
event left it; a few returned this week wait for cleaning or repair. Each part is skipped when
its data already exists.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.utils import timezone

from mestring.devices.models import (
    MUNICIPAL_LOAN_MAX_DAYS,
    DeviceType,
    Inquiry,
    InquiryTopic,
    Item,
    ItemStatus,
    ItemStatusChange,
    Loan,
    NavApplication,
    NavApplicationStatus,
    NavApplicationStatusChange,
    Owner,
    RepairOrder,
    ReturnCondition,
)
from mestring.devices.store_demo import REPAIR_TEXTS, REPAIRERS
from mestring.people.models import Person, Staff

if TYPE_CHECKING:
    from mestring.accounts.models import User

Choice = TypeVar("Choice", bound=str)

LOANS = 80
WAITING = 3
RECENT_RETURNS = 6
CLEANING_DAYS = 7
INQUIRIES_PER_YEAR = (30, 34, 39, 43, 48)  # five years, oldest first: rising
TOPIC_WEIGHTS = {InquiryTopic.DEVICE: 70, InquiryTopic.HOME_ADAPTATION: 22, InquiryTopic.OTHER: 8}
CONDITION_WEIGHTS = {
    ReturnCondition.GOOD: 60,
    ReturnCondition.WORN: 25,
    ReturnCondition.DAMAGED: 8,
    ReturnCondition.MISSING_PARTS: 7,
}


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _pick(rng: random.Random, weights: dict[Choice, int]) -> Choice:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def build_loans_demo(
    rng: random.Random, persons: list[Person], staff: Staff, today: datetime.date
) -> None:
    if not persons:
        return
    if not Loan.objects.exists():
        _loans(rng, persons, staff, today)
    if not NavApplication.objects.exists():
        _nav_applications(rng, persons, staff, today)
    if not Inquiry.objects.exists():
        _inquiries(rng, persons, staff, today)


def _history(
    item: Item, day: datetime.date, old: str, new: str, user: User, note: str
) -> ItemStatusChange:
    return ItemStatusChange(
        municipality_id=item.municipality_id,
        item=item,
        from_status=old,
        to_status=new,
        reason=note,
        changed_by=user,
        changed_at=_moment(day),
    )


def _loans(rng: random.Random, persons: list[Person], staff: Staff, today: datetime.date) -> None:
    # Not the one the store demo sent to repair: its history is its own.
    items = list(
        Item.objects.filter(status=ItemStatus.AVAILABLE, owner=Owner.MUNICIPALITY).exclude(
            repairs__isnull=False
        )
    )
    if not items:
        return
    start = today - datetime.timedelta(days=3 * 365)
    orders = [
        (start + datetime.timedelta(days=rng.randint(0, 3 * 365 - 10)), False)
        for _ in range(LOANS - WAITING)
    ]
    # A few recent orders the store has not delivered yet.
    orders += [(today - datetime.timedelta(days=rng.randint(0, 4)), True) for _ in range(WAITING)]
    orders.sort()
    # An item is lent only after the store bought it.
    free_from = {
        item.pk: max(start, (item.acquired_on or start) + datetime.timedelta(days=1))
        for item in items
    }
    recent_returns = 0
    repairs: list[RepairOrder] = []
    final: dict[int, str] = {}
    changes: list[ItemStatusChange] = []
    user = staff.user
    for ordered, waiting in orders:
        free = [item for item in items if free_from[item.pk] <= ordered]
        if not free:
            continue
        item = rng.choice(free)
        person = rng.choice(persons)
        delivered = (
            None if waiting else min(ordered + datetime.timedelta(days=rng.randint(1, 5)), today)
        )
        expected = ordered + datetime.timedelta(days=rng.randint(60, MUNICIPAL_LOAN_MAX_DAYS - 30))
        length = rng.randint(30, 500)
        returned = None
        if delivered is not None and delivered + datetime.timedelta(days=length) < today:
            returned = delivered + datetime.timedelta(days=length)
        elif (
            delivered is not None
            and delivered < today - datetime.timedelta(days=30)
            and recent_returns < RECENT_RETURNS
        ):
            # A few came back this week: they wait for cleaning or repair now.
            recent_returns += 1
            returned = today - datetime.timedelta(days=rng.randint(0, 5))
        condition = _pick(rng, CONDITION_WEIGHTS) if returned else ""
        Loan.objects.create(
            item=item,
            person=person,
            ordered_on=ordered,
            ordered_by=staff,
            delivered_on=delivered,
            delivered_by=staff if delivered else None,
            expected_return_on=expected,
            returned_on=returned,
            return_condition=condition,
            received_by=staff if returned else None,
        )
        changes.append(
            _history(item, ordered, ItemStatus.AVAILABLE, ItemStatus.ON_LOAN, user, "Bestilt")
        )
        if returned is None:
            free_from[item.pk] = datetime.date.max
            final[item.pk] = ItemStatus.ON_LOAN
            continue
        after = ItemStatus.REPAIR if condition == ReturnCondition.DAMAGED else ItemStatus.CLEANING
        changes.append(_history(item, returned, ItemStatus.ON_LOAN, after, user, "Levert tilbake"))
        ready = returned + datetime.timedelta(
            days=CLEANING_DAYS * (3 if after == ItemStatus.REPAIR else 1)
        )
        if after == ItemStatus.REPAIR:
            repairs.append(
                RepairOrder(
                    municipality_id=item.municipality_id,
                    item=item,
                    opened_on=returned,
                    closed_on=ready if ready <= today else None,
                    description=rng.choice(REPAIR_TEXTS),
                    repairer=rng.choice(REPAIRERS),
                )
            )
        if ready <= today:
            done = "Reparert" if after == ItemStatus.REPAIR else "Rengjort"
            changes.append(_history(item, ready, after, ItemStatus.AVAILABLE, user, done))
            final[item.pk] = ItemStatus.AVAILABLE
        else:
            final[item.pk] = after
        free_from[item.pk] = ready + datetime.timedelta(days=1)
    ItemStatusChange.objects.bulk_create(changes)
    RepairOrder.objects.bulk_create(repairs)
    # The item's status is where its last event left it.
    for status in (ItemStatus.ON_LOAN, ItemStatus.CLEANING, ItemStatus.REPAIR):
        Item.objects.filter(pk__in=[pk for pk, s in final.items() if s == status]).update(
            status=status
        )


def _nav_applications(
    rng: random.Random, persons: list[Person], staff: Staff, today: datetime.date
) -> None:
    device_type = DeviceType.objects.order_by("pk").first()
    if device_type is None:
        return
    chosen = rng.sample(persons, min(3, len(persons)))
    plans = [
        ("Elektrisk rullestol", [NavApplicationStatus.SENT]),
        (
            "Seng med elektrisk hev og senk",
            [NavApplicationStatus.SENT, NavApplicationStatus.GRANTED],
        ),
        (
            "Personløfter",
            [
                NavApplicationStatus.SENT,
                NavApplicationStatus.GRANTED,
                NavApplicationStatus.DELIVERED,
            ],
        ),
    ]
    for person, (description, steps) in zip(chosen, plans, strict=False):
        sent = today - datetime.timedelta(days=rng.randint(40, 120))
        application = NavApplication.objects.create(
            person=person,
            device_type=device_type,
            description=description,
            sent_on=sent,
            sent_by=staff,
            nav_reference=f"HMS-{rng.randint(100000, 999999)}",
        )
        day, previous = sent, ""
        for step in steps:
            NavApplicationStatusChange.objects.create(
                application=application,
                from_status=previous,
                to_status=step,
                changed_on=day,
                changed_by=staff.user,
                changed_at=_moment(day),
            )
            if step == NavApplicationStatus.GRANTED:
                application.decided_on = day
            if step == NavApplicationStatus.DELIVERED:
                label = f"NAV-{application.pk:05d}"
                if Item.objects.filter(label=label).exists():
                    break
                item = Item.objects.create(
                    device_type=device_type,
                    label=label,
                    serial_number=f"SN{rng.randint(10**7, 10**8 - 1)}",
                    value_nok=Decimal(rng.randrange(20000, 60000, 500)),
                    owner=Owner.NAV,
                    status=ItemStatus.ON_LOAN,
                    acquired_on=day,
                    note="Eies av NAV Hjelpemiddelsentral",
                )
                ItemStatusChange.objects.create(
                    item=item,
                    from_status=ItemStatus.AVAILABLE,
                    to_status=ItemStatus.ON_LOAN,
                    reason="Levert fra NAV",
                    changed_by=staff.user,
                    changed_at=_moment(day),
                )
                Loan.objects.create(
                    item=item,
                    person=person,
                    nav_application=application,
                    ordered_on=day,
                    ordered_by=staff,
                    delivered_on=day,
                    delivered_by=staff,
                )
            previous = step
            day = min(day + datetime.timedelta(days=rng.randint(14, 30)), today)
        application.status = previous
        application.save(update_fields=["status", "decided_on"])


def _inquiries(
    rng: random.Random, persons: list[Person], staff: Staff, today: datetime.date
) -> None:
    rows = []
    first_year = today.year - len(INQUIRIES_PER_YEAR) + 1
    for offset, count in enumerate(INQUIRIES_PER_YEAR):
        year = first_year + offset
        first = datetime.date(year, 1, 1)
        last = min(datetime.date(year, 12, 31), today)
        days = (last - first).days
        if year == today.year:
            count = max(1, round(count * (days + 1) / 365))
        for _ in range(count):
            received = first + datetime.timedelta(days=rng.randint(0, days))
            handled = received + datetime.timedelta(days=rng.randint(1, 20))
            rows.append(
                Inquiry(
                    municipality_id=staff.municipality_id,
                    person=rng.choice(persons) if rng.random() < 0.5 else None,
                    received_on=received,
                    topic=_pick(rng, TOPIC_WEIGHTS),
                    handled_on=handled if handled <= today else None,
                    registered_by=staff,
                )
            )
    Inquiry.objects.bulk_create(rows)
