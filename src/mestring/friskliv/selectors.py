"""Reads of frisklivsresepter."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from mestring.friskliv.models import Prescription, PrescriptionStatus
from mestring.people.models import Person, Staff


def person_prescriptions(person: Person) -> QuerySet[Prescription]:
    return (
        Prescription.objects.filter(person=person)
        .select_related("contact__user")
        .order_by("-referral_date", "-pk")
    )


def open_prescriptions() -> QuerySet[Prescription]:
    """Referred and running prescriptions, the oldest referral first (work list)."""
    return (
        Prescription.objects.exclude(status=PrescriptionStatus.ENDED)
        .select_related("person", "contact__user")
        .order_by("referral_date", "pk")
    )


def contacts_in_units(contact_ids: Iterable[int | None], unit_ids: Iterable[int]) -> set[int]:
    """Which of these contacts work in one of these units (one query): a prescription is
    the work of its contact's units (the frisklivssentral)."""
    contacts = {pk for pk in contact_ids if pk is not None}
    units = set(unit_ids)
    if not contacts or not units:
        return set()
    return set(
        Staff.units.through.objects.filter(staff_id__in=contacts, unit_id__in=units).values_list(
            "staff_id", flat=True
        )
    )
