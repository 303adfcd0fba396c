"""Reads of frisklivsresepter."""

from __future__ import annotations

from django.db.models import QuerySet

from mestring.friskliv.models import Prescription, PrescriptionStatus
from mestring.people.models import Person


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
