"""Services of the referrals app: registration, status table, triage rule, opening a case."""

from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.casework.models import Case
from mestring.kernel.states import TransitionNotAllowed
from mestring.people.models import Person
from mestring.referrals import selectors, services
from mestring.referrals.models import (
    REFERRAL_TRANSITIONS,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
)
from mestring.referrals.rules import due_on, suggest_place
from mestring.register.services import DuplicateNationalId
from mestring.tenancy.context import activate
from tests import factories
from tests.referrals.helpers import actor_for, make_referral

pytestmark = pytest.mark.django_db

STATUSES = [value for value, _label in ReferralStatus.choices]


def register(staff, person, **extra):
    data = {
        "source": "fastlege",
        "source_unit": None,
        "received_on": timezone.localdate(),
        "description": "Falt hjemme, trenger vurdering av rehabilitering.",
        "urgency": "normal",
        **extra,
    }
    with activate(person.municipality):
        return services.referral_register(actor=actor_for(staff), person=person, **data)


def history(referral: Referral) -> list[ReferralStatusChange]:
    return list(ReferralStatusChange.all_objects.filter(referral=referral).order_by("pk"))


def audit_actions(object_type: str) -> list[str]:
    events = AuditEvent.all_objects.filter(object_type=object_type).order_by("seq")
    return list(events.values_list("action", flat=True))


# --- Registration


@pytest.mark.attack
def test_register_writes_history_audit_and_gives_the_registrar_access(world):
    """(M1a) Registering a message gives the registrar a short intake relation for the
    review queue, not 30 days of manual access to the whole record."""
    referral = register(world.caseworker, world.person, urgency="haster")
    assert (referral.status, referral.urgency, referral.registered_by) == (
        "mottatt",
        "haster",
        world.caseworker,
    )
    assert [(h.from_status, h.to_status) for h in history(referral)] == [("", "mottatt")]
    assert audit_actions("referral") == ["create"]
    event = AuditEvent.all_objects.get(object_type="referral")
    assert (event.person_id, event.object_id) == (world.person.pk, str(referral.pk))
    relation = CareRelation.all_objects.get(staff=world.caseworker, person=world.person)
    assert relation.kind == "mottak"
    assert relation.reason == "Registrerte melding om behov"
    days_left = (relation.valid_to - timezone.now()).total_seconds() / 86400
    assert settings.MESTRING_INTAKE_ACCESS_DAYS == 3
    assert 2.9 < days_left <= 3
    assert relation.needs_review and relation.reviewed_at is None
    assert audit_actions("care_relation") == ["grant"]


def test_register_by_someone_with_access_grants_nothing_more(world):
    before = CareRelation.all_objects.count()
    register(world.owner, world.person)
    register(world.team_member, world.person)  # access through the unit counts too
    assert CareRelation.all_objects.count() == before
    assert audit_actions("care_relation") == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"description": "   "}, "Beskriv behovet."),
        ({"source": "postdue"}, "Velg hvem meldingen kom fra."),
        ({"urgency": "snart"}, "Velg hastegrad."),
        (
            # A callable: the date is worked out when the test runs, not when it is collected.
            lambda: {"received_on": timezone.localdate() + datetime.timedelta(days=2)},
            "Mottatt-datoen kan ikke være fram i tid.",
        ),
    ],
)
def test_register_refuses_bad_input_with_a_message(world, extra, message):
    extra = extra() if callable(extra) else extra
    with pytest.raises(services.ReferralRuleError, match=message):
        register(world.owner, world.person, **extra)
    assert not Referral.all_objects.exists()


def new_person_data(**extra):
    return {
        "given_name": "Nils",
        "family_name": "Nyregistrert",
        "birth_date": datetime.date(1951, 4, 3),
        "national_id": "",
        "national_id_kind": "",
        **extra,
    }


def test_register_new_person_creates_both_and_access(world):
    with activate(world.municipality):
        referral = services.referral_register_new_person(
            actor=actor_for(world.caseworker),
            person_data=new_person_data(),
            source="parorende",
            source_unit=None,
            received_on=timezone.localdate(),
            description="Datteren ringer, far klarer seg dårlig hjemme.",
            urgency="normal",
        )
    person = Person.all_objects.get(family_name="Nyregistrert")
    assert referral.person == person
    assert CareRelation.all_objects.filter(staff=world.caseworker, person=person).count() == 1
    person_events = AuditEvent.all_objects.filter(person=person).order_by("seq")
    assert [(e.object_type, e.action) for e in person_events] == [
        ("person", "create"),
        ("referral", "create"),
    ]


def test_register_new_person_with_taken_number_saves_nothing(world):
    with activate(world.municipality), pytest.raises(DuplicateNationalId):
        services.referral_register_new_person(
            actor=actor_for(world.caseworker),
            person_data=new_person_data(national_id=world.person.national_id),
            source="nav",
            source_unit=None,
            received_on=timezone.localdate(),
            description="Behov",
            urgency="normal",
        )
    assert not Person.all_objects.filter(family_name="Nyregistrert").exists()
    assert not Referral.all_objects.exists()


# --- Status changes


@pytest.mark.parametrize(("start", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_transition_table_is_enforced(world, start, target):
    referral = make_referral(world.person, status=start)
    allowed = target in REFERRAL_TRANSITIONS.get(start, set())
    unit = factories.UnitFactory(municipality=world.municipality, name="Helseforetaket")
    with activate(world.municipality):
        if target == ReferralStatus.CASE_OPENED and allowed:
            with pytest.raises(services.ReferralRuleError, match="Opprett sak"):
                services.referral_transition(
                    actor=actor_for(world.owner), referral=referral, to_status=target
                )
            return
        if not allowed:
            labels = dict(ReferralStatus.choices)
            expected = f"Kan ikke endre status fra «{labels[start]}» til «{labels[target]}»."
            with pytest.raises(TransitionNotAllowed) as refused:
                services.referral_transition(
                    actor=actor_for(world.owner), referral=referral, to_status=target, reason="x"
                )
            assert str(refused.value) == expected
            assert len(history(referral)) == 1
            assert Referral.all_objects.get(pk=referral.pk).status == start
            return
        services.referral_transition(
            actor=actor_for(world.owner),
            referral=referral,
            to_status=target,
            reason="Begrunnet",
            forwarded_to=unit,
        )
    referral.refresh_from_db()
    assert referral.status == target
    last = history(referral)[-1]
    assert (last.from_status, last.to_status, last.changed_by) == (start, target, world.owner.user)
    assert audit_actions("referral") == [f"status_{target}"]
    # Only a forwarded message keeps the unit it went to.
    assert (referral.forwarded_to == unit) == (target == ReferralStatus.FORWARDED)


@pytest.mark.parametrize(
    ("target", "reason", "with_unit", "message"),
    [
        ("videresendt", "", True, "Skriv hvorfor meldingen sendes videre."),
        ("videresendt", "Hører til spesialisthelsetjenesten", False, "Velg hvilken enhet"),
        ("avsluttet", "  ", False, "Skriv hvorfor meldingen avsluttes."),
    ],
)
def test_forwarding_and_closing_need_a_reason(world, target, reason, with_unit, message):
    referral = make_referral(world.person)
    unit = factories.UnitFactory(municipality=world.municipality) if with_unit else None
    with activate(world.municipality), pytest.raises(services.ReferralRuleError, match=message):
        services.referral_transition(
            actor=actor_for(world.owner),
            referral=referral,
            to_status=target,
            reason=reason,
            forwarded_to=unit,
        )
    assert Referral.all_objects.get(pk=referral.pk).status == "mottatt"
    assert len(history(referral)) == 1
    assert audit_actions("referral") == []


def test_closing_keeps_the_reason_in_status_and_history(world):
    referral = make_referral(world.person)
    with activate(world.municipality):
        services.referral_transition(
            actor=actor_for(world.owner),
            referral=referral,
            to_status="avsluttet",
            reason="  Behovet er dekket av fastlegen.  ",
        )
    referral.refresh_from_db()
    assert referral.status_reason == "Behovet er dekket av fastlegen."
    assert history(referral)[-1].reason == "Behovet er dekket av fastlegen."


# --- Triage


def expected_place(competence: int, complexity: int, intensity: int) -> str:
    """The rule as the user reads it: the mean rounded to two decimals, 2,33 and 3,67."""
    mean = round((competence + complexity + intensity) / 3, 2)
    if competence == 5 or mean >= 3.67:
        return "spesialist"
    if mean <= 2.33:
        return "kommune"
    return "felles"


def test_suggestion_follows_the_rule_for_every_combination():
    scores = range(1, 6)
    table = list(itertools.product(scores, scores, scores))
    assert len(table) == 125
    for combination in table:
        assert suggest_place(*combination) == expected_place(*combination), combination
    # The borders, written out.
    assert suggest_place(3, 2, 2) == "kommune"  # mean 2,33
    assert suggest_place(2, 3, 3) == "felles"  # mean 2,67
    assert suggest_place(4, 3, 3) == "felles"  # mean 3,33
    assert suggest_place(4, 4, 3) == "spesialist"  # mean 3,67
    assert suggest_place(5, 1, 1) == "spesialist"  # specialised competence decides alone
    assert suggest_place(1, 5, 5) == "spesialist"  # mean 3,67


def triage(staff, referral, **scores):
    data = {"pyramid_level": 3, "competence": 1, "complexity": 2, "intensity": 2, **scores}
    with activate(referral.municipality):
        return services.referral_triage(actor=actor_for(staff), referral=referral, **data)


def test_triage_takes_the_suggestion_and_moves_to_assessment(world):
    referral = make_referral(world.person)
    triage(world.owner, referral)
    referral.refresh_from_db()
    assert (referral.suggested_place, referral.care_place) == ("kommune", "kommune")
    assert not referral.place_overruled
    assert (referral.pyramid_level, referral.triaged_by) == (3, world.owner)
    assert referral.status == "under_vurdering"
    assert [(h.from_status, h.to_status) for h in history(referral)] == [
        ("", "mottatt"),
        ("mottatt", "under_vurdering"),
    ]
    assert audit_actions("referral") == ["triage", "status_under_vurdering"]


def test_triage_can_be_overruled_and_redone_without_a_second_status_change(world):
    referral = make_referral(world.person)
    triage(world.owner, referral, care_place="felles")
    referral.refresh_from_db()
    assert (referral.suggested_place, referral.care_place) == ("kommune", "felles")
    assert referral.place_overruled
    triage(world.owner, referral, competence=5, complexity=4, intensity=4)
    referral.refresh_from_db()
    assert (referral.suggested_place, referral.care_place) == ("spesialist", "spesialist")
    assert not referral.place_overruled
    assert len(history(referral)) == 2
    assert audit_actions("referral") == ["triage", "status_under_vurdering", "triage"]


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"competence": 0}, "Hver faktor skåres fra 1 til 5."),
        ({"intensity": 6}, "Hver faktor skåres fra 1 til 5."),
        ({"pyramid_level": 9}, "Velg nivå i rehabiliteringspyramiden."),
        ({"care_place": "utlandet"}, "Velg hvor behovet bør møtes."),
    ],
)
def test_triage_refuses_bad_scores(world, scores, message):
    referral = make_referral(world.person)
    with pytest.raises(services.ReferralRuleError, match=message):
        triage(world.owner, referral, **scores)
    assert Referral.all_objects.get(pk=referral.pk).triaged_at is None


def test_a_handled_message_cannot_be_triaged(world):
    referral = make_referral(world.person, status="avsluttet")
    with pytest.raises(services.ReferralRuleError, match="ferdig behandlet"):
        triage(world.owner, referral)


# --- Opening a case


def test_open_case_creates_the_case_and_sets_the_status(world):
    received = timezone.localdate() - datetime.timedelta(days=5)
    referral = make_referral(world.person, received_on=received)
    unit = factories.UnitFactory(municipality=world.municipality, name="Koordinerende enhet")
    with activate(world.municipality):
        case = services.referral_open_case(
            actor=actor_for(world.owner),
            referral=referral,
            requests_individual_plan=True,
            requests_coordinator=False,
            responsible_unit=unit,
            caseworker=world.caseworker,
        )
    case = Case.all_objects.get(pk=case.pk)
    assert (case.person, case.referral, case.received_on) == (world.person, referral, received)
    assert (case.requests_individual_plan, case.requests_coordinator) == (True, False)
    assert (case.responsible_unit, case.caseworker) == (unit, world.caseworker)
    referral.refresh_from_db()
    assert referral.status == "sak_opprettet"
    assert history(referral)[-1].to_status == "sak_opprettet"
    # The caseworker reaches the person while the case is open.
    assert CareRelation.all_objects.filter(
        staff=world.caseworker, person=world.person, kind="saksbehandler"
    ).exists()
    assert audit_actions("case") == ["create"]
    assert audit_actions("referral") == ["status_sak_opprettet"]


def test_open_case_needs_an_open_message_and_a_request(world):
    closed = make_referral(world.person, status="videresendt")
    with activate(world.municipality):
        # A finished message is a conflict with its state, said in plain words.
        with pytest.raises(services.ReferralFinished, match="ferdig behandlet \\(Videresendt\\)"):
            services.referral_open_case(
                actor=actor_for(world.owner),
                referral=closed,
                requests_individual_plan=True,
                requests_coordinator=True,
            )
        with pytest.raises(services.ReferralRuleError, match="individuell plan, koordinator"):
            services.referral_open_case(
                actor=actor_for(world.owner),
                referral=make_referral(world.person),
                requests_individual_plan=False,
                requests_coordinator=False,
            )
    assert not Case.all_objects.exists()


# --- Overdue


def test_overdue_by_urgency_after_the_configured_days(world):
    day = datetime.date(2026, 3, 2)
    normal = make_referral(world.person, received_on=day)
    urgent = make_referral(world.person, received_on=day, urgency="haster")
    handled = make_referral(world.person, received_on=day, status="avsluttet")
    assert (due_on(day, "normal"), due_on(day, "haster")) == (
        day + datetime.timedelta(days=14),
        day + datetime.timedelta(days=3),
    )

    def state(today: datetime.date) -> tuple[bool, bool, bool, int, int]:
        moment = datetime.datetime.combine(today, datetime.time(12))
        with time_machine.travel(moment, tick=False), activate(world.municipality):
            return (
                normal.is_overdue(),
                urgent.is_overdue(),
                handled.is_overdue(),
                selectors.overdue_count(),
                selectors.waiting_count(),
            )

    assert state(day + datetime.timedelta(days=3)) == (False, False, False, 0, 2)
    assert state(day + datetime.timedelta(days=4)) == (False, True, False, 1, 2)
    assert state(day + datetime.timedelta(days=14)) == (False, True, False, 1, 2)
    assert state(day + datetime.timedelta(days=15)) == (True, True, False, 2, 2)


def test_overdue_days_come_from_settings(world, settings):
    settings.MESTRING_REFERRAL_DAYS_NORMAL = 7
    settings.MESTRING_REFERRAL_DAYS_URGENT = 1
    today = timezone.localdate()
    make_referral(world.person, received_on=today - datetime.timedelta(days=8))
    make_referral(world.person, received_on=today - datetime.timedelta(days=7))
    make_referral(world.person, received_on=today - datetime.timedelta(days=2), urgency="haster")
    with activate(world.municipality):
        assert selectors.overdue_count() == 2
        assert selectors.inbox_counts() == {
            "alle": 3,
            "ufordelte": 3,
            "nye": 3,
            "vurdering": 0,
            "forfalt": 2,
        }
