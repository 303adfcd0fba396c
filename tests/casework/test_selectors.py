"""The coordinating unit's overview: open, overdue and provisional-reply figures,
checked against figures computed here from the dates themselves."""

from __future__ import annotations

import datetime

import pytest

from mestring.casework import selectors, services
from mestring.casework.models import PROVISIONAL_REPLY_DAYS, PROVISIONAL_REPLY_NOTICE_DAYS, Case
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for, apply, decide_subject, make_lead

pytestmark = pytest.mark.django_db

# (days since received, provisional reply sent, decided, closed)
CASES = [
    (0, False, False, False),
    (10, False, False, False),
    (22, False, False, False),  # a day before the prompt starts
    (23, False, False, False),  # prompt: seven days before the mark
    (30, False, False, False),  # on the mark: prompted, not yet overdue
    (31, False, False, False),  # overdue, no reply
    (31, True, False, False),  # overdue, reply sent
    (45, True, False, False),
    (60, False, False, False),
    (40, False, True, False),  # decided: not open
    (50, False, False, True),  # closed without decision
]


@pytest.fixture
def cases(world, frozen):
    lead = make_lead(world.municipality)
    made = []
    for days, replied, decided, closed in CASES:
        person = factories.PersonFactory(municipality=world.municipality)
        case = apply(lead, person, received_on=frozen - datetime.timedelta(days=days))
        with activate(world.municipality):
            if replied:
                services.case_record_provisional_reply(
                    actor=actor_for(lead), case=case, sent_on=frozen
                )
            if decided:
                decide_subject(lead, case, "individuell_plan")
                decide_subject(lead, case, "koordinator")
            if closed:
                services.case_close(actor=actor_for(lead), case=case, reason="Trukket.")
        made.append(case)
    # Another municipality's open, overdue case never counts here.
    municipality_b = factories.make_municipality("9002", "Annenkommune")
    apply(
        make_lead(municipality_b, "leder-b"),
        factories.PersonFactory(municipality=municipality_b),
        received_on=frozen - datetime.timedelta(days=90),
    )
    return made


def _expected(today: datetime.date) -> dict[str, set[int]]:
    """The figures from the rule, case by case."""
    found = {"open": set(), "overdue": set(), "awaiting": set()}
    for case in Case.all_objects.filter(municipality__number="9001"):
        if case.status not in ("mottatt", "kartlegging"):
            continue
        days = (today - case.received_on).days
        found["open"].add(case.pk)
        if days > PROVISIONAL_REPLY_DAYS:
            found["overdue"].add(case.pk)
        if case.provisional_reply_sent_on is None and days >= (
            PROVISIONAL_REPLY_DAYS - PROVISIONAL_REPLY_NOTICE_DAYS
        ):
            found["awaiting"].add(case.pk)
    return found


def test_overview_figures(world, cases, frozen):
    expected = _expected(frozen)
    assert (len(expected["open"]), len(expected["overdue"]), len(expected["awaiting"])) == (9, 4, 4)
    with activate(world.municipality):
        assert selectors.open_count() == len(expected["open"])
        assert selectors.overdue_count() == len(expected["overdue"])
        assert selectors.awaiting_provisional_reply_count() == len(expected["awaiting"])
        assert {c.pk for c in selectors.overdue_cases()} == expected["overdue"]
        assert {c.pk for c in selectors.cases_awaiting_provisional_reply()} == expected["awaiting"]
        for case in Case.objects.all():
            assert case.is_overdue() == (case.pk in expected["overdue"])
            assert case.provisional_reply_prompted() == (case.pk in expected["awaiting"])
        # A week later, more cases have passed the mark.
        later = frozen + datetime.timedelta(days=7)
        assert selectors.overdue_count(later) == len(_expected(later)["overdue"])
        assert selectors.awaiting_provisional_reply_count(later) == len(
            _expected(later)["awaiting"]
        )


def test_processing_days_in_the_list(world, cases, frozen):
    lead = make_lead(world.municipality, "leder-2")
    with activate(world.municipality):
        rows = list(selectors.case_list(actor=actor_for(lead)))
        days = [case.processing_days() for case in rows]
    open_days = sorted((d for d, _r, decided, closed in CASES if not (decided or closed)))
    assert days == open_days[::-1]  # oldest first by default


def test_prompt_goes_away_when_the_reply_is_recorded(world, frozen):
    lead = make_lead(world.municipality)
    case = apply(lead, world.person, received_on=frozen - datetime.timedelta(days=32))
    with activate(world.municipality):
        assert case.provisional_reply_prompted()
        assert list(selectors.cases_awaiting_provisional_reply()) == [case]
        services.case_record_provisional_reply(actor=actor_for(lead), case=case, sent_on=frozen)
        case.refresh_from_db()
        assert not case.provisional_reply_prompted()
        assert not selectors.cases_awaiting_provisional_reply().exists()
        assert list(selectors.overdue_cases()) == [case]  # still overdue until decided


def test_filters_and_sorting(world, cases, frozen):
    lead = make_lead(world.municipality, "leder-3")
    with activate(world.municipality):
        overdue = selectors.case_list(actor=actor_for(lead), show=selectors.CaseFilter.OVERDUE)
        assert {c.pk for c in overdue} == _expected(frozen)["overdue"]
        awaiting = selectors.case_list(
            actor=actor_for(lead), show=selectors.CaseFilter.NO_PROVISIONAL_REPLY
        )
        assert {c.pk for c in awaiting} == _expected(frozen)["awaiting"]
        by_name = list(selectors.case_list(actor=actor_for(lead), sort="navn"))
        names = [(c.person.family_name.lower(), c.person.given_name.lower()) for c in by_name]
        assert names == sorted(names)
        assert not any(c.has_access for c in by_name)  # the lead has no relation to them
