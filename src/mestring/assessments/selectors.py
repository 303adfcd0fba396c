"""Reads of assessments. `latest_complete_assessment` is what a decision on a nationally
reported service requires.

Completeness is measured against the variables in use now: a variable the
municipality takes out of use is no longer needed, a new one is needed at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from mestring.assessments.defaults import SCORE_MEANINGS
from mestring.assessments.models import Assessment, AssessmentScore, FunctionVariable
from mestring.people.models import Person


class Completeness(TypedDict):
    """What `with_completeness` annotates on each assessment."""

    scored_count: int
    needed_count: int
    complete: bool


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # An assessment read through `with_completeness`.
    Completed = WithAnnotations[Assessment, Completeness]


def active_variables() -> QuerySet[FunctionVariable]:
    return FunctionVariable.objects.filter(is_active=True).order_by("position", "pk")


def all_variables() -> QuerySet[FunctionVariable]:
    return FunctionVariable.objects.order_by("-is_active", "position", "pk")


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of `queryset` (0 when it has no rows)."""
    counted = queryset.order_by().values("municipality_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def with_completeness(queryset: QuerySet[Assessment]) -> QuerySet[Completed]:
    """Annotate `scored_count`, `needed_count` and `complete` in the same query."""
    needed = FunctionVariable.objects.filter(
        municipality_id=OuterRef("municipality_id"), is_active=True
    )
    scored = AssessmentScore.objects.filter(assessment=OuterRef("pk"), variable__is_active=True)
    return queryset.annotate(scored_count=_count(scored), needed_count=_count(needed)).annotate(
        complete=ExpressionWrapper(
            Q(scored_count__gte=F("needed_count")), output_field=BooleanField()
        )
    )


def is_complete(assessment: Assessment) -> bool:
    needed = set(active_variables().values_list("pk", flat=True))
    scored = set(assessment.scores.values_list("variable_id", flat=True))
    return needed <= scored


def latest_complete_assessment(person: Person, *, on: datetime.date) -> Assessment | None:
    """The newest complete assessment of the person made on or before `on`."""
    assessments = Assessment.objects.filter(person=person, assessed_on__lte=on)
    return (
        with_completeness(assessments).filter(complete=True).order_by("-assessed_on", "-pk").first()
    )


def person_assessments(person: Person) -> QuerySet[Assessment]:
    """The person's assessments, newest first, each with its completeness flag."""
    assessments = Assessment.objects.filter(person=person).select_related("assessed_by__user")
    return with_completeness(assessments).order_by("-assessed_on", "-pk")


def assessment_for_page(person: Person, assessment_id: int) -> Assessment | None:
    assessments = Assessment.objects.filter(person=person, pk=assessment_id).select_related(
        "assessed_by__user", "case"
    )
    return with_completeness(assessments).first()


@dataclass(frozen=True)
class ScoreLine:
    variable: FunctionVariable
    score: int | None

    @property
    def meaning(self) -> str:
        return meaning_of(self.variable, self.score)


def meaning_of(variable: FunctionVariable, score: int | None) -> str:
    if score is None:
        return ""
    key = str(score)
    return variable.score_meanings.get(key) or SCORE_MEANINGS.get(key, "")


def _scores_by_variable(assessment: Assessment | None) -> dict[int, AssessmentScore]:
    if assessment is None:
        return {}
    return {s.variable_id: s for s in assessment.scores.select_related("variable")}


def _shown_variables(*score_maps: dict[int, AssessmentScore]) -> list[FunctionVariable]:
    """The variables in use, then any other variable one of the assessments scored."""
    variables = list(active_variables())
    known = {v.pk for v in variables}
    extra = {pk: s.variable for scores in score_maps for pk, s in scores.items() if pk not in known}
    return variables + sorted(extra.values(), key=lambda v: (v.position, v.pk))


def score_lines(assessment: Assessment) -> list[ScoreLine]:
    """Each variable with this assessment's score (None = not scored) and its meaning."""
    scores = _scores_by_variable(assessment)
    return [
        ScoreLine(v, scores[v.pk].score if v.pk in scores else None)
        for v in _shown_variables(scores)
    ]


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The person's assessment just before this one (by date, then by order recorded)."""
    earlier = Q(assessed_on__lt=assessment.assessed_on) | Q(
        assessed_on=assessment.assessed_on, pk__lt=assessment.pk
    )
    return (
        Assessment.objects.filter(earlier, person_id=assessment.person_id)
        .order_by("-assessed_on", "-pk")
        .first()
    )


@dataclass(frozen=True)
class ScoreChange:
    """One variable in two assessments. `change` is now − before when both are scored
    1–5 (a negative change means the person manages more by themselves); None when
    either is unscored or 9 (not relevant), since those cannot be compared."""

    variable: FunctionVariable
    before: int | None
    now: int | None

    @property
    def change(self) -> int | None:
        if self.before in (None, 9) or self.now in (None, 9):
            return None
        return self.now - self.before


def compare(assessment: Assessment, previous: Assessment | None) -> list[ScoreChange]:
    now, before = _scores_by_variable(assessment), _scores_by_variable(previous)
    return [
        ScoreChange(
            variable,
            before[variable.pk].score if variable.pk in before else None,
            now[variable.pk].score if variable.pk in now else None,
        )
        for variable in _shown_variables(now, before)
    ]


def latest_comparison(person: Person) -> tuple[Assessment | None, list[ScoreChange]]:
    """The person's latest assessment compared with the one before it."""
    latest = Assessment.objects.filter(person=person).order_by("-assessed_on", "-pk").first()
    if latest is None:
        return None, []
    return latest, compare(latest, previous_assessment(latest))


def _latest_per_person() -> QuerySet[Assessment]:
    """Each person's newest assessment: an older one is superseded, due or not."""
    newest = (
        Assessment.objects.filter(person_id=OuterRef("person_id"))
        .order_by("-assessed_on", "-pk")
        .values("pk")[:1]
    )
    return Assessment.objects.filter(pk=Subquery(newest)).select_related(
        "person", "assessed_by__user", "case"
    )


def assessments_due(today: datetime.date) -> QuerySet[Assessment]:
    """Latest assessments whose date of next assessment is today or has passed."""
    return with_completeness(_latest_per_person().filter(next_assessment_on__lte=today)).order_by(
        "next_assessment_on", "person__family_name", "pk"
    )


def incomplete_assessments() -> QuerySet[Assessment]:
    """Latest assessments that lack a score for a variable in use."""
    return (
        with_completeness(_latest_per_person())
        .filter(complete=False)
        .order_by("-assessed_on", "person__family_name", "pk")
    )
