"""Writes about assessments and the municipality's list of functional variables.

Each is one transaction with its audit row. An assessment may leave
variables unscored: it is saved and flagged incomplete (selectors), because a decision
on a nationally reported service needs a complete one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose
from mestring.assessments.models import (
    VALID_SCORES,
    Assessment,
    AssessmentScore,
    FunctionVariable,
)
from mestring.casework.models import Case
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.people.models import Person

SCORE_KEYS = tuple(str(score) for score in VALID_SCORES)


class AssessmentError(RuleBroken):
    """A request the assessment rules do not allow; the message is for the user."""

    code = "assessment_rule"


def _check_dates(assessed_on: datetime.date, next_assessment_on: datetime.date | None) -> None:
    if assessed_on > timezone.localdate():
        raise AssessmentError(_("Kartleggingsdatoen kan ikke være fram i tid."))
    if next_assessment_on is not None and next_assessment_on <= assessed_on:
        raise AssessmentError(_("Neste kartlegging må være etter kartleggingsdatoen."))


def _clean_scores(scores: Mapping[int, int | None], *, allowed: set[int]) -> dict[int, int]:
    """The answered scores, checked; an unanswered variable (None) is left out."""
    answered = {int(pk): value for pk, value in scores.items() if value is not None}
    unknown = set(answered) - allowed
    if unknown:
        raise AssessmentError(_("Kartleggingen inneholder en variabel som ikke er i bruk."))
    for value in answered.values():
        if value not in VALID_SCORES:
            raise AssessmentError(
                _("Skåren må være 1, 2, 3, 4, 5 eller 9 (ikke relevant), ikke %(value)s.")
                % {"value": value}
            )
    return answered


def _check_case(person: Person, case: Case | None) -> None:
    if case is not None and case.person_id != person.pk:
        raise AssessmentError(_("Saken gjelder en annen person."))


def _active_variable_ids() -> set[int]:
    return set(FunctionVariable.objects.filter(is_active=True).values_list("pk", flat=True))


def _write_scores(assessment: Assessment, scores: dict[int, int]) -> None:
    AssessmentScore.objects.bulk_create(
        [
            AssessmentScore(
                municipality=assessment.municipality,
                assessment=assessment,
                variable_id=variable_id,
                score=score,
            )
            for variable_id, score in scores.items()
        ]
    )


def assessment_record(
    *,
    actor: Actor,
    person: Person,
    assessed_on: datetime.date,
    next_assessment_on: datetime.date | None,
    what_matters: str,
    scores: Mapping[int, int | None],
    case: Case | None = None,
) -> Assessment:
    """Record an assessment; variables left out make it incomplete, not invalid."""
    if actor.staff is None:
        raise AssessmentError(_("Bare ansatte kan registrere kartlegginger."))
    _check_dates(assessed_on, next_assessment_on)
    _check_case(person, case)
    with transaction.atomic():
        answered = _clean_scores(scores, allowed=_active_variable_ids())
        assessment = Assessment.objects.create(
            person=person,
            case=case,
            assessed_on=assessed_on,
            next_assessment_on=next_assessment_on,
            what_matters=what_matters.strip(),
            assessed_by=actor.staff,
        )
        _write_scores(assessment, answered)
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="assessment",
            object_id=assessment.pk,
            person=person,
        )
    return assessment


def assessment_update(
    *,
    actor: Actor,
    assessment: Assessment,
    assessed_on: datetime.date,
    next_assessment_on: datetime.date | None,
    what_matters: str,
    scores: Mapping[int, int | None],
    case: Case | None = None,
) -> Assessment:
    """Correct an assessment. The scores of the variables in use are replaced by
    `scores`; scores of variables the municipality has since taken out of use stay,
    since they can no longer be edited and are part of what was assessed then."""
    _check_dates(assessed_on, next_assessment_on)
    _check_case(assessment.person, case)
    with transaction.atomic():
        active = _active_variable_ids()
        answered = _clean_scores(scores, allowed=active)
        assessment.assessed_on = assessed_on
        assessment.next_assessment_on = next_assessment_on
        assessment.what_matters = what_matters.strip()
        assessment.case = case
        assessment.save(update_fields=["assessed_on", "next_assessment_on", "what_matters", "case"])
        AssessmentScore.objects.filter(assessment=assessment, variable_id__in=active).delete()
        _write_scores(assessment, answered)
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="assessment",
            object_id=assessment.pk,
            person=assessment.person,
        )
    return assessment


# slugify drops letters it cannot reduce to ASCII; spell the Norwegian ones out first.
_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def _unique_code(name: str) -> str:
    base = (slugify(name.translate(_NORWEGIAN)) or "variabel")[:32]
    code, number = base, 1
    while FunctionVariable.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


def _meanings(data: Mapping[str, Any]) -> dict[str, str]:
    meanings = {key: str(data.get("meanings", {}).get(key, "")).strip() for key in SCORE_KEYS}
    if not all(meanings.values()):
        raise AssessmentError(_("Skriv hva hver skår (1–5 og 9) betyr for variabelen."))
    return meanings


def variable_save(
    *, actor: Actor, variable: FunctionVariable | None, data: Mapping[str, Any]
) -> FunctionVariable:
    """Create or change a functional variable. `data`: name, description, meanings
    ({"1": …, "9": …}), position, is_active. A variable is taken out of use rather than
    deleted, since earlier assessments keep their scores on it."""
    name = str(data.get("name", "")).strip()
    if not name:
        raise AssessmentError(_("Variabelen må ha et navn."))
    meanings = _meanings(data)
    with transaction.atomic():
        created = variable is None
        variable = variable or FunctionVariable(code=_unique_code(name))
        variable.name = name
        variable.description = str(data.get("description", "")).strip()
        variable.score_meanings = meanings
        variable.position = int(data.get("position") or 0)
        variable.is_active = bool(data.get("is_active", True))
        variable.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="function_variable",
            object_id=variable.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return variable
