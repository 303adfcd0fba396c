"""Import of a Bundle: round trip between municipalities, idempotence, bad Bundles."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from django.utils import timezone

from mestring.access.actor import system_actor
from mestring.access.models import AuditEvent, Consent
from mestring.fhir import codes
from mestring.fhir.export import person_bundle
from mestring.fhir.importer import import_bundle, import_text, refused_message
from mestring.people.identity import random_synthetic_national_id
from mestring.people.models import Person
from mestring.plans.models import Goal, IndividualPlan, Measure, PlanRevision
from mestring.tenancy.context import activate
from tests import factories
from tests.conftest import make_staff
from tests.fhir.bundles import resources, substance, validate
from tests.fhir.helpers import rich_person
from tests.plans.helpers import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def other():
    municipality = factories.make_municipality("9002", "Andrekommune")
    return actor_for(make_staff(municipality, "saksbehandler", "andre-saksbehandler"))


@pytest.fixture
def source(world):
    plan = rich_person(world)
    with activate(world.municipality):
        return plan, person_bundle(world.person)


def run(actor, bundle, *, operator: bool = False):
    with activate(actor.municipality):
        return import_bundle(actor=actor, bundle=bundle, operator=operator)


def export_of(municipality, person):
    with activate(municipality):
        return person_bundle(Person.objects.get(pk=person.pk))


def counts(municipality) -> tuple[int, ...]:
    return tuple(
        model.all_objects.filter(municipality=municipality).count()
        for model in (Person, IndividualPlan, Goal, Measure, Consent, PlanRevision, AuditEvent)
    )


def assert_only_read(municipality, before: tuple[int, ...], person: Person) -> None:
    """Nothing changed; the import compared the Bundle with the record, which is one read
    row about the person."""
    after = counts(municipality)
    assert after[:-1] == before[:-1]
    assert after[-1] == before[-1] + 1
    row = AuditEvent.all_objects.filter(municipality=municipality).order_by("-pk").first()
    assert (row.action, row.object_type, row.person_id) == ("view", "fhir_import", person.pk)


def test_round_trip_into_another_municipality(world, source, other):
    _plan, bundle = source
    outcome = run(other, bundle)
    assert outcome.ok, outcome.errors
    person = outcome.person
    assert person.municipality == other.municipality
    assert person.national_id == world.person.national_id
    # person, consent, plan, two goals, two measures
    assert (outcome.created, outcome.updated, outcome.unchanged) == (7, 0, 0)
    again = export_of(other.municipality, person)
    validate(again)
    assert substance(again) == substance(bundle)
    # the imported plan carries the source's identifier too, so the source finds it
    (plan,) = [p for p in resources(again, "CarePlan") if p["status"] != "revoked"]
    assert {"system": codes.ID_PLAN, "value": f"9001-{_plan.pk}"} in plan["identifier"]
    # and importing it back into the source (the operator's command) changes nothing there
    before = counts(world.municipality)
    back = run(system_actor(world.municipality, label="import"), again, operator=True)
    assert back.ok, back.errors
    assert back.created == back.updated == 0
    assert_only_read(world.municipality, before, world.person)


def test_second_import_changes_nothing(source, other):
    _plan, bundle = source
    assert run(other, bundle).ok
    before = counts(other.municipality)
    outcome = run(other, bundle)  # allowed: the first import gave `other` access
    assert outcome.ok
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 6)
    assert_only_read(other.municipality, before, outcome.person)


def test_import_into_the_source_itself_changes_nothing(world, source):
    _plan, bundle = source
    factories.grant_relation(world.caseworker, world.person)  # the person is known here
    before = counts(world.municipality)
    outcome = run(actor_for(world.caseworker), bundle)
    assert outcome.ok and outcome.created == outcome.updated == 0
    assert_only_read(world.municipality, before, world.person)


def test_changes_in_the_bundle_update_the_plan(source, other):
    _plan, bundle = source
    first = run(other, bundle)
    plan = first.plans[0]
    changed = copy.deepcopy(bundle)
    (goal, _second) = resources(changed, "Goal")
    goal["achievementStatus"] = {
        "coding": [{"system": codes.HL7_GOAL_ACHIEVEMENT, "code": "achieved"}]
    }
    goal["lifecycleStatus"] = "completed"
    outcome = run(other, changed)
    assert outcome.ok, outcome.errors
    assert outcome.updated == 1 and outcome.created == 0  # the goal; the plan gets a revision
    with activate(other.municipality):
        stored = Goal.objects.get(plan=plan, text="Jeg vil gå til butikken selv")
        assert (stored.status, stored.achievement) == ("avsluttet", "nadd")
        assert stored.history.last().to_achievement == "nadd"
        latest = PlanRevision.objects.filter(plan=plan).order_by("-number").first()
        assert latest.summary == "Oppdatert fra FHIR-import"
        assert latest.number == IndividualPlan.objects.get(pk=plan.pk).version


def test_audit_rows_for_every_write(world, source, other):
    _plan, bundle = source
    outcome = run(other, bundle)
    events = AuditEvent.all_objects.filter(municipality=other.municipality)
    actions = sorted((e.action, e.object_type) for e in events)
    assert actions == sorted(
        [
            ("import_create", "person"),
            ("import_create", "consent"),
            ("import_create", "individual_plan"),
            ("import_create", "plan_goal"),
            ("import_create", "plan_goal"),
            ("import_create", "plan_measure"),
            ("import_create", "plan_measure"),
        ]
    )
    assert {e.person_id for e in events} == {outcome.person.pk}
    assert {e.username for e in events} == {"andre-saksbehandler"}
    # The ground of access: the registrar's access to the person the import registered.
    assert {(e.purpose, e.reason_code) for e in events} == {("care", "manuell")}


def minimal_bundle(national_id: str) -> dict:
    """What another system might send: no Mestring identifiers, relative references."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "Patient/p1",
                "resource": {
                    "resourceType": "Patient",
                    "id": "p1",
                    "identifier": [{"system": codes.FODSELSNUMMER, "value": national_id}],
                    "name": [{"family": "Testesen", "given": ["Tore", "Tobias"]}],
                    "birthDate": "1950-03-04",
                },
            },
            {
                "fullUrl": "CarePlan/c1",
                "resource": {
                    "resourceType": "CarePlan",
                    "id": "c1",
                    "status": "active",
                    "intent": "plan",
                    "subject": {"reference": "Patient/p1"},
                    "period": {"start": "2026-02-01"},
                    "goal": [{"reference": "Goal/g1"}],
                    "activity": [{"detail": {"status": "in-progress", "description": "Trening"}}],
                },
            },
            {
                "fullUrl": "Goal/g1",
                "resource": {
                    "resourceType": "Goal",
                    "id": "g1",
                    "lifecycleStatus": "accepted",
                    "description": {"text": "Gå tur hver dag"},
                    "subject": {"reference": "Patient/p1"},
                },
            },
            {
                "fullUrl": "Consent/k1",
                "resource": {
                    "resourceType": "Consent",
                    "id": "k1",
                    "status": "active",
                    "scope": {
                        "coding": [{"system": codes.HL7_CONSENT_SCOPE, "code": "patient-privacy"}]
                    },
                    "category": [{"coding": [{"system": codes.LOINC, "code": "59284-0"}]}],
                    "patient": {"reference": "Patient/p1"},
                    "dateTime": "2026-01-20",
                },
            },
        ],
    }


def synthetic(seed: int = 7, *, d_number: bool = False) -> str:
    import random

    return random_synthetic_national_id(
        random.Random(seed), datetime.date(1950, 3, 4), d_number=d_number
    )


def test_minimal_bundle_from_another_system(other):
    bundle = minimal_bundle(synthetic())
    outcome = run(other, bundle)
    assert outcome.ok, outcome.errors
    person = outcome.person
    assert (person.given_name, person.family_name) == ("Tore Tobias", "Testesen")
    with activate(other.municipality):
        plan = IndividualPlan.objects.get(person=person)
        assert plan.status == "aktiv" and plan.start_date == datetime.date(2026, 2, 1)
        assert plan.consent.given_on == datetime.date(2026, 1, 20)
        assert plan.responsible_unit.name == "Importert fra FHIR"
        goal = Goal.objects.get(plan=plan)
        assert (goal.text, goal.status, goal.achievement) == (
            "Gå tur hver dag",
            "aktiv",
            "ikke_startet",
        )
        assert Measure.objects.get(plan=plan).title == "Trening"
    before = counts(other.municipality)
    second = run(other, bundle)
    assert second.ok and second.created == second.updated == 0
    assert_only_read(other.municipality, before, person)


def test_existing_person_is_matched_and_not_overwritten(world, other):
    bundle = minimal_bundle(world.person.national_id)
    factories.grant_relation(world.caseworker, world.person)
    outcome = run(actor_for(world.caseworker), bundle)
    assert outcome.ok, outcome.errors
    assert outcome.person.pk == world.person.pk
    world.person.refresh_from_db()
    assert world.person.family_name == "Skjermesen"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: "ikke json", "Filen er ikke en FHIR Bundle"),
        (
            lambda b: {**b, "resourceType": "Patient"},
            "resourceType må være «Bundle» (fant «Patient»)",
        ),
        (lambda b: {**b, "entry": []}, "Bundle har ingen ressurser"),
        (lambda b: {**b, "type": "tull"}, "Bundle mangler gyldig type"),
        (lambda b: {**b, "entry": b["entry"][1:]}, "Bundle må ha nøyaktig én Patient, men har 0"),
        (
            lambda b: _set(b, 0, "identifier", []),
            "Patient mangler fødselsnummer eller D-nummer",
        ),
        (
            lambda b: _set(
                b, 0, "identifier", [{"system": codes.FODSELSNUMMER, "value": "12345678901"}]
            ),
            "Patient: ",
        ),
        (
            lambda b: _set(
                b,
                0,
                "identifier",
                [{"system": codes.FODSELSNUMMER, "value": synthetic(d_number=True)}],
            ),
            "nummeret er et D-nummer, men står med systemet for fødselsnummer",
        ),
        (lambda b: _set(b, 1, "period", {}), "CarePlan «c1» mangler startdato (period.start)."),
        (lambda b: _set(b, 1, "intent", "order"), "CarePlan «c1»: intent må være «plan»."),
        (lambda b: _set(b, 1, "status", "tull"), "CarePlan «c1»: ukjent status «tull»."),
        (
            lambda b: _set(b, 1, "goal", [{"reference": "Goal/finnes-ikke"}]),
            "viser til et mål (Goal) som ikke finnes i Bundle",
        ),
        (lambda b: _set(b, 2, "description", {}), "Goal «g1» mangler beskrivelse"),
        (
            lambda b: _set(b, 2, "lifecycleStatus", "tull"),
            "Goal «g1»: ukjent eller manglende lifecycleStatus",
        ),
        (lambda b: _set(b, 1, "subject", {"reference": "Patient/annen"}), "gjelder ikke pasienten"),
        (
            lambda b: {**b, "entry": b["entry"][:3]},
            "Planen kan ikke opprettes uten samtykke til individuell plan",
        ),
        (lambda b: _set(b, 0, "birthDate", "04.03.1950"), "er ikke en dato"),
    ],
)
def test_bad_bundles_are_refused_with_a_message(other, change, message):
    bundle = change(minimal_bundle(synthetic()))
    before = counts(other.municipality)
    with activate(other.municipality):
        if isinstance(bundle, str):
            outcome = import_text(actor=other, text=bundle)
            message = "Filen er ikke gyldig JSON"
        else:
            outcome = import_bundle(actor=other, bundle=bundle)
    assert not outcome.ok
    assert any(message in error for error in outcome.errors), outcome.errors
    assert counts(other.municipality) == before


def _set(bundle: dict, index: int, key: str, value: object) -> dict:
    bundle["entry"][index]["resource"][key] = value
    return bundle


def test_synthetic_numbers_refused_where_not_allowed(other, settings):
    settings.MESTRING_SYNTHETIC_IDS = False
    outcome = run(other, minimal_bundle(synthetic()))
    assert outcome.errors == [
        "Patient: Syntetiske testnumre er ikke tillatt i denne installasjonen."
    ]


def test_second_active_plan_is_refused(world, source, other):
    _plan, bundle = source
    assert run(other, bundle).ok
    national_id = world.person.national_id
    outcome = run(other, minimal_bundle(national_id))
    assert not outcome.ok
    assert "allerede en annen aktiv plan" in outcome.errors[0]


def test_text_that_is_not_utf8_or_not_json(other):
    with activate(other.municipality):
        assert import_text(actor=other, text=b"\xff\xfe{").errors == [
            "Filen er ikke lagret som UTF-8."
        ]
        assert import_text(actor=other, text="{").errors[0].startswith("Filen er ikke gyldig JSON")
        assert (
            import_text(actor=other, text=json.dumps([1, 2]))
            .errors[0]
            .startswith("Filen er ikke en FHIR Bundle")
        )


def test_closed_plan_is_imported_closed(other):
    bundle = minimal_bundle(synthetic(9))
    plan = bundle["entry"][1]["resource"]
    plan["status"] = "completed"
    plan["period"] = {"start": "2025-01-01", "end": "2025-12-31"}
    bundle["entry"][3]["resource"]["dateTime"] = "2024-12-01"
    outcome = run(other, bundle)
    assert outcome.ok, outcome.errors
    stored = outcome.plans[0]
    assert stored.status == "avsluttet" and stored.closed_on == datetime.date(2025, 12, 31)
    assert timezone.localdate() > stored.closed_on


def test_known_person_without_access_is_refused_and_nothing_is_saved(world):
    """The service itself asks the guard; what the page and the API show is tested in
    test_import_access."""
    bundle = minimal_bundle(world.person.national_id)
    before = counts(world.municipality)
    outcome = run(actor_for(world.caseworker), bundle)
    assert outcome.refused and not outcome.ok
    assert outcome.errors == [refused_message()] and outcome.person is None
    after = counts(world.municipality)
    assert after[:-1] == before[:-1] and after[-1] == before[-1] + 1
    refusal = AuditEvent.all_objects.order_by("-pk").first()
    assert (refusal.action, refusal.outcome, refusal.person_id) == (
        "import",
        "refused",
        world.person.pk,
    )


def test_refusal_comes_before_any_message_about_the_record(world, source):
    """A second active plan is a message about the person's record: a stranger gets the
    refusal instead, and learns nothing of the plans."""
    outcome = run(actor_for(world.caseworker), minimal_bundle(world.person.national_id))
    assert outcome.refused and outcome.errors == [refused_message()]


def test_operator_rows_are_administration_and_need_no_user(world):
    bundle = minimal_bundle(world.person.national_id)
    outcome = run(system_actor(world.municipality, label="import"), bundle, operator=True)
    assert outcome.ok, outcome.errors
    rows = AuditEvent.all_objects.filter(person_id=world.person.pk)
    assert rows.exists()
    assert {(row.user_id, row.purpose, row.outcome) for row in rows} == {
        (None, "administration", "allowed")
    }
    with pytest.raises(ValueError):
        run(actor_for(world.owner), bundle, operator=True)


def test_a_code_that_is_not_text_is_not_a_code(other):
    """A coding whose `code` is not a string (a list, an object) is no known code: the
    goal keeps its default, instead of the import failing on the odd value."""
    bundle = minimal_bundle(synthetic())
    _set(
        bundle,
        2,
        "achievementStatus",
        {"coding": [{"system": codes.HL7_GOAL_ACHIEVEMENT, "code": ["achieved"]}]},
    )
    outcome = run(other, bundle)
    assert outcome.ok, outcome.errors
    with activate(other.municipality):
        assert Goal.objects.get(plan__person=outcome.person).achievement == "ikke_startet"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda b: {**b, "type": ["collection"]}, "Bundle mangler gyldig type"),
        (lambda b: _set(b, 1, "status", ["active"]), "CarePlan «c1»: ukjent status"),
        (
            lambda b: _set(b, 2, "lifecycleStatus", {"code": "active"}),
            "Goal «g1»: ukjent eller manglende lifecycleStatus",
        ),
    ],
)
def test_a_status_that_is_not_text_is_refused_with_a_message(other, change, message):
    """Any JSON may stand where a status should: a list or an object is refused as an
    unknown status, not a crash."""
    bundle = change(minimal_bundle(synthetic()))
    before = counts(other.municipality)
    outcome = run(other, bundle)
    assert not outcome.ok
    assert any(message in error for error in outcome.errors), outcome.errors
    assert counts(other.municipality) == before
