"""Assessments: the shipped variable list, recording with completeness flags, the
rules for scores and dates, comparison, the due list and the audit rows."""

from __future__ import annotations

import datetime

import pytest

from mestring.access.models import AuditEvent, AuditPurpose
from mestring.assessments import selectors, services
from mestring.assessments.defaults import DEFAULT_VARIABLES
from mestring.assessments.models import Assessment, AssessmentScore, FunctionVariable
from mestring.tenancy.context import activate
from tests import factories
from tests.assessments.helpers import DAY, actor_for, all_scores, record, variables

pytestmark = pytest.mark.django_db

MEANING_KEYS = {"1", "2", "3", "4", "5", "9"}


def flags(person) -> dict[int, tuple[bool, int, int]]:
    with activate(person.municipality):
        return {
            a.pk: (a.complete, a.scored_count, a.needed_count)
            for a in selectors.person_assessments(person)
        }


def save_variable(staff, variable, **data):
    meanings = data.pop("meanings", None) or (
        variable.score_meanings if variable else {k: f"Skår {k}" for k in MEANING_KEYS}
    )
    fields = {
        "name": variable.name if variable else "Ny variabel",
        "description": "",
        "position": variable.position if variable else 99,
        "is_active": True,
        "meanings": meanings,
        **data,
    }
    with activate(staff.municipality):
        return services.variable_save(actor=actor_for(staff), variable=variable, data=fields)


def test_standard_list_is_shipped_with_meanings(world):
    shipped = variables(world.municipality)
    assert len(shipped) == 17 == len(DEFAULT_VARIABLES)
    assert [v.name for v in shipped][:2] == ["Sosial deltakelse", "Beslutninger i dagliglivet"]
    for variable in shipped:
        assert set(variable.score_meanings) == MEANING_KEYS
        assert all(text.strip() for text in variable.score_meanings.values())
    assert shipped[0].score_meanings["3"] == "Trenger noe hjelp eller tilsyn"
    assert shipped[0].score_meanings["9"] == "Ikke relevant"


def test_complete_and_incomplete_assessments_are_flagged(world):
    complete = record(world.owner, world.person)
    partial_scores = all_scores(world.municipality)
    skipped = list(partial_scores)[:3]
    for pk in skipped:
        partial_scores[pk] = None
    partial = record(
        world.owner, world.person, on=DAY + datetime.timedelta(days=1), scores=partial_scores
    )

    assert flags(world.person) == {complete.pk: (True, 17, 17), partial.pk: (False, 14, 17)}
    assert AssessmentScore.all_objects.filter(assessment=partial).count() == 14
    with activate(world.municipality):
        assert selectors.is_complete(complete) and not selectors.is_complete(partial)
        assert list(selectors.incomplete_assessments()) == [partial]


def test_editing_the_list_changes_what_is_needed(world):
    shipped = variables(world.municipality)
    scores = all_scores(world.municipality)
    scores[shipped[-1].pk] = None  # Hørsel not scored
    assessment = record(world.owner, world.person, scores=scores)
    assert flags(world.person)[assessment.pk] == (False, 16, 17)

    save_variable(world.admin, shipped[-1], is_active=False)
    assert flags(world.person)[assessment.pk] == (True, 16, 16)

    added = save_variable(world.admin, None, name="Ivareta egen økonomi")
    assert added.code == "ivareta-egen-okonomi"
    assert flags(world.person)[assessment.pk] == (False, 16, 17)
    with activate(world.municipality):
        assert selectors.latest_complete_assessment(world.person, on=DAY) is None


def test_variable_save_needs_a_name_and_every_meaning(world):
    with pytest.raises(services.AssessmentError, match="navn"):
        save_variable(world.admin, None, name="  ")
    meanings = {k: "x" for k in MEANING_KEYS} | {"9": ""}
    with pytest.raises(services.AssessmentError, match="1–5 og 9"):
        save_variable(world.admin, None, meanings=meanings)
    assert FunctionVariable.all_objects.filter(municipality=world.municipality).count() == 17


def test_latest_complete_assessment_picks_the_newest_complete_by_date(world):
    scores_missing_one = all_scores(world.municipality) | {
        variables(world.municipality)[0].pk: None
    }
    march = record(world.owner, world.person, on=datetime.date(2026, 3, 1))
    # Recorded later, but assessed earlier: date decides, not the order of recording.
    record(world.owner, world.person, on=datetime.date(2026, 1, 10))
    # Many newer incomplete ones do not hide the complete one.
    for day in range(2, 10):
        record(world.owner, world.person, on=datetime.date(2026, 4, day), scores=scores_missing_one)
    with activate(world.municipality):
        found = selectors.latest_complete_assessment(world.person, on=datetime.date(2026, 5, 1))
        assert found == march
        early = selectors.latest_complete_assessment(world.person, on=datetime.date(2026, 2, 1))
        assert early.assessed_on == datetime.date(2026, 1, 10)
        assert (
            selectors.latest_complete_assessment(world.person, on=datetime.date(2025, 12, 31))
            is None
        )


@pytest.mark.parametrize("bad", [0, 6, 7, 10, -1])
def test_invalid_scores_are_refused_with_a_clear_message(world, bad):
    scores = all_scores(world.municipality) | {variables(world.municipality)[4].pk: bad}
    with pytest.raises(services.AssessmentError) as error:
        record(world.owner, world.person, scores=scores)
    assert str(error.value) == (
        f"Skåren må være 1, 2, 3, 4, 5 eller 9 (ikke relevant), ikke {bad}."
    )
    assert not Assessment.all_objects.exists()


def test_unknown_or_inactive_variable_is_refused(world):
    inactive = variables(world.municipality)[0]
    save_variable(world.admin, inactive, is_active=False)
    with pytest.raises(services.AssessmentError, match="ikke er i bruk"):
        record(world.owner, world.person, scores={inactive.pk: 2})
    other = factories.make_municipality("9002", "Annen kommune")
    foreign = FunctionVariable.all_objects.filter(municipality=other).first()
    with pytest.raises(services.AssessmentError, match="ikke er i bruk"):
        record(world.owner, world.person, scores={foreign.pk: 2})


def test_dates_must_make_sense(world):
    with pytest.raises(services.AssessmentError, match="fram i tid"):
        record(world.owner, world.person, on=datetime.date.today() + datetime.timedelta(days=2))
    with pytest.raises(services.AssessmentError, match="etter kartleggingsdatoen"):
        record(world.owner, world.person, on=DAY, next_on=DAY)
    assert not Assessment.all_objects.exists()


def test_update_replaces_scores_but_keeps_those_of_retired_variables(world):
    shipped = variables(world.municipality)
    assessment = record(world.owner, world.person, scores=all_scores(world.municipality, 3))
    save_variable(world.admin, shipped[0], is_active=False)
    new_scores = {v.pk: 1 for v in shipped[1:]} | {shipped[1].pk: None}
    with activate(world.municipality):
        services.assessment_update(
            actor=actor_for(world.owner),
            assessment=assessment,
            assessed_on=DAY,
            next_assessment_on=DAY + datetime.timedelta(days=180),
            what_matters="  Bo hjemme.  ",
            scores=new_scores,
        )
    stored = dict(
        AssessmentScore.all_objects.filter(assessment=assessment).values_list(
            "variable_id", "score"
        )
    )
    assert stored[shipped[0].pk] == 3  # retired variable keeps its score
    assert shipped[1].pk not in stored
    assert {stored[v.pk] for v in shipped[2:]} == {1}
    assessment.refresh_from_db()
    assert assessment.what_matters == "Bo hjemme."
    assert flags(world.person)[assessment.pk] == (False, 15, 16)


def test_comparison_with_the_previous_assessment(world):
    shipped = variables(world.municipality)
    a, b, c, d = (v.pk for v in shipped[:4])
    first = all_scores(world.municipality, 3) | {a: 4, b: 2, c: 9, d: None}
    second = all_scores(world.municipality, 3) | {a: 2, b: 5, c: 3, d: 1}
    record(world.owner, world.person, on=datetime.date(2026, 1, 5), scores=first)
    latest = record(world.owner, world.person, on=datetime.date(2026, 4, 5), scores=second)
    with activate(world.municipality):
        assessment, rows = selectors.latest_comparison(world.person)
    assert assessment == latest
    by_pk = {row.variable.pk: (row.before, row.now, row.change) for row in rows}
    assert by_pk[a] == (4, 2, -2)
    assert by_pk[b] == (2, 5, 3)
    assert by_pk[c] == (9, 3, None)  # 9 (not relevant) is not compared
    assert by_pk[d] == (None, 1, None)
    assert by_pk[shipped[4].pk] == (3, 3, 0)
    assert len(rows) == 17


def test_due_list_takes_the_latest_assessment_per_person(world):
    today = datetime.date(2026, 6, 15)
    persons = [factories.PersonFactory(municipality=world.municipality) for _ in range(4)]
    overdue, on_time, superseded, due_today = persons
    record(
        world.owner,
        overdue,
        on=datetime.date(2025, 12, 1),
        next_on=today - datetime.timedelta(days=5),
    )
    record(
        world.owner,
        on_time,
        on=datetime.date(2026, 1, 1),
        next_on=today + datetime.timedelta(days=1),
    )
    record(
        world.owner, superseded, on=datetime.date(2025, 6, 1), next_on=datetime.date(2025, 12, 1)
    )
    record(world.owner, superseded, on=datetime.date(2026, 1, 2), next_on=datetime.date(2026, 7, 2))
    record(world.owner, due_today, on=datetime.date(2026, 1, 3), next_on=today)
    record(world.owner, world.person, on=datetime.date(2026, 1, 4))  # no next date
    with activate(world.municipality):
        due = list(selectors.assessments_due(today))
    assert [(a.person, a.next_assessment_on) for a in due] == [
        (overdue, datetime.date(2026, 6, 10)),
        (due_today, today),
    ]


def test_every_write_is_audited(world):
    assessment = record(world.owner, world.person)
    created = AuditEvent.all_objects.filter(object_type="assessment", action="create").get()
    assert created.person == world.person
    assert created.object_id == str(assessment.pk)
    assert created.username == "eier"
    with activate(world.municipality):
        services.assessment_update(
            actor=actor_for(world.owner),
            assessment=assessment,
            assessed_on=DAY,
            next_assessment_on=None,
            what_matters="",
            scores={},
        )
    updated = AuditEvent.all_objects.filter(object_type="assessment", action="update").get()
    assert updated.person == world.person

    variable = save_variable(world.admin, None, name="Orientering")
    event = AuditEvent.all_objects.get(object_type="function_variable")
    assert (event.action, event.object_id, event.purpose) == (
        "create",
        str(variable.pk),
        AuditPurpose.ADMINISTRATION,
    )
    assert event.person is None
