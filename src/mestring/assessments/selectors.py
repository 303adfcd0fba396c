"""Reads of assessments. `latest_complete_assessment` is what a decision on a nationally
reported service requires."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from mestring.assessments.models import Assessment, FunctionVariable
from mestring.people.models import Person


def active_variables() -> QuerySet[FunctionVariable]:
    return FunctionVariable.objects.filter(is_active=True).order_by("position", "pk")


def is_complete(assessment: Assessment) -> bool:
    needed = set(active_variables().values_list("pk", flat=True))
    scored = set(assessment.scores.values_list("variable_id", flat=True))
    return needed <= scored


def latest_complete_assessment(person: Person, *, on: datetime.date) -> Assessment | None:
    """The newest complete assessment of the person made on or before `on`."""
    for assessment in Assessment.objects.filter(person=person, assessed_on__lte=on).order_by(
        "-assessed_on", "-pk"
    )[:5]:
        if is_complete(assessment):
            return assessment
    return None
