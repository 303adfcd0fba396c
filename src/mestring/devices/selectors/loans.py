"""Reads for loans, NAV applications and inquiries: a person's tab and the store's
work lists (each list in a fixed number of queries)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from mestring.casework.models import Decision
from mestring.devices.models import (
    OPEN_ORDER_STATUSES,
    DeviceOrder,
    DeviceOrderStatus,
    Inquiry,
    Loan,
    NavApplication,
    NavApplicationStatusChange,
    Owner,
    Store,
)
from mestring.people.models import Person
from mestring.plans.models import Measure

# What a delivery list needs about the person: name, address, phone. Nothing else.
PERSON_CONTACT = (
    "person__given_name",
    "person__family_name",
    "person__street_address",
    "person__postal_code",
    "person__postal_town",
    "person__phone",
)


def _loans() -> QuerySet[Loan]:
    return Loan.objects.select_related("item__device_type", "ordered_by", "delivered_by")


def person_current_loans(person: Person) -> QuerySet[Loan]:
    return _loans().filter(person=person, returned_on__isnull=True).order_by("ordered_on", "pk")


def person_loan_history(person: Person) -> QuerySet[Loan]:
    return (
        _loans()
        .select_related("received_by")
        .filter(person=person, returned_on__isnull=False)
        .order_by("-returned_on", "-pk")
    )


def person_nav_applications(person: Person) -> QuerySet[NavApplication]:
    history = NavApplicationStatusChange.objects.order_by("changed_on", "changed_at", "pk")
    return (
        NavApplication.objects.filter(person=person)
        .select_related("device_type")
        .prefetch_related(Prefetch("history", queryset=history))
        .order_by("-sent_on", "-pk")
    )


def person_inquiries(person: Person) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(person=person).order_by("-received_on", "-pk")


def decisions_for(person: Person) -> QuerySet[Decision]:
    return Decision.objects.filter(case__person=person).order_by("-decided_on", "-pk")


def measures_for(person: Person) -> QuerySet[Measure]:
    return Measure.objects.filter(plan__person=person).order_by("title", "pk")


def _contact_loans() -> QuerySet[Loan]:
    """Loans with only what a delivery needs about the person."""
    return Loan.objects.select_related("item__device_type", "person").only(
        *PERSON_CONTACT,
        "item__label",
        "item__owner",
        "item__device_type__name",
        "ordered_on",
        "delivered_on",
        "expected_return_on",
        "returned_on",
        "nav_application_id",
    )


def deliveries() -> QuerySet[Loan]:
    """Ordered, not yet delivered."""
    return (
        _contact_loans()
        .filter(delivered_on__isnull=True, returned_on__isnull=True)
        .order_by("ordered_on", "pk")
    )


def overdue(today: datetime.date) -> QuerySet[Loan]:
    """Delivered loans past their expected return."""
    return (
        _contact_loans()
        .filter(delivered_on__isnull=False, returned_on__isnull=True, expected_return_on__lt=today)
        .order_by("expected_return_on", "pk")
    )


def nav_items() -> QuerySet[Loan]:
    """NAV-owned items that are with a person now."""
    return (
        _contact_loans()
        .filter(item__owner=Owner.NAV, returned_on__isnull=True)
        .order_by("item__label", "pk")
    )


def open_loan_for_label(label: str) -> Loan | None:
    label = (label or "").strip()
    if not label:
        return None
    return (
        _contact_loans()
        .filter(item__label__iexact=label, returned_on__isnull=True)
        .order_by("pk")
        .first()
    )


def inquiries() -> QuerySet[Inquiry]:
    return Inquiry.objects.order_by("-received_on", "-pk")


def inquiries_per_year(first_year: int | None = None, last_year: int | None = None) -> list[dict]:
    """[{"year", "count"}] oldest first; with bounds, every year in them (zeros too)."""
    rows = Inquiry.objects.all()
    if first_year is not None and last_year is not None:
        rows = rows.filter(
            received_on__gte=datetime.date(first_year, 1, 1),
            received_on__lte=datetime.date(last_year, 12, 31),
        )
    counts = {
        row["year"]: row["count"]
        for row in rows.annotate(year=ExtractYear("received_on"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    }
    years: Iterable[int]
    if first_year is not None and last_year is not None:
        years = range(first_year, last_year + 1)
    else:
        years = sorted(counts)
    return [{"year": year, "count": counts.get(year, 0)} for year in years]


# --- Orders by type ----------------------------------------------------------------


def _orders() -> QuerySet[DeviceOrder]:
    return DeviceOrder.objects.select_related(
        "device_type", "store", "loan__item", "decision__service"
    )


def person_orders(person: Person) -> QuerySet[DeviceOrder]:
    """The person's orders not yet delivered: waiting, without a type, or reserved."""
    return (
        _orders()
        .filter(person=person)
        .filter(
            Q(status__in=OPEN_ORDER_STATUSES)
            | Q(status=DeviceOrderStatus.FILLED, loan__delivered_on__isnull=True)
        )
        .order_by("ordered_on", "pk")
    )


def store_orders(store: Store | None = None) -> QuerySet[DeviceOrder]:
    """The store's order list: orders without a type (made by an assignment) first, then
    those waiting for a free item, then those reserved and ready to deliver; oldest
    first in each. Only what a delivery needs about the person."""
    orders = (
        _orders()
        .select_related("person")
        .filter(
            Q(status__in=OPEN_ORDER_STATUSES)
            | Q(status=DeviceOrderStatus.FILLED, loan__delivered_on__isnull=True)
        )
    )
    if store is not None:
        orders = orders.filter(store=store)
    return orders.only(
        *PERSON_CONTACT,
        "status",
        "ordered_on",
        "expected_return_on",
        "note",
        "device_type__name",
        "store__name",
        "decision__decided_on",
        "decision__service__name",
        "loan__ordered_on",
        "loan__delivered_on",
        "loan__item__label",
    ).order_by(
        Case(
            When(status=DeviceOrderStatus.NEW, then=Value(0)),
            When(status=DeviceOrderStatus.WAITING, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        "ordered_on",
        "pk",
    )


def persons_with_open_work() -> QuerySet[Person]:
    """Persons with an open order or loan at the store: whom the store's search finds."""
    orders = DeviceOrder.objects.filter(
        Q(status__in=OPEN_ORDER_STATUSES)
        | Q(status=DeviceOrderStatus.FILLED, loan__returned_on__isnull=True)
    ).values("person_id")
    loans = Loan.objects.filter(returned_on__isnull=True).values("person_id")
    return Person.objects.filter(Q(pk__in=orders) | Q(pk__in=loans))
