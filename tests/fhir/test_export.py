"""The exported Bundle: valid R4B resource by resource, and the codes checked against
the enums that mirror the FHIR value sets (fhir.resources does not check value sets)."""

from __future__ import annotations

import datetime
import random

import pytest

from mestring.access.models import Consent
from mestring.fhir import codes
from mestring.fhir.export import person_bundle
from mestring.people.identity import random_synthetic_national_id
from mestring.plans.models import Goal, PlanRevision
from mestring.tenancy.context import activate
from tests import factories
from tests.fhir.bundles import by_url, resources, validate
from tests.fhir.helpers import rich_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(world):
    plan = rich_person(world)
    with activate(world.municipality):
        bundle = person_bundle(world.person)
    return plan, bundle


def codings(concept: dict, system: str) -> list[str]:
    return [c["code"] for c in concept.get("coding", []) if c["system"] == system]


def test_every_resource_is_valid_r4b(exported):
    _plan, bundle = exported
    validate(bundle)
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert kinds == {
        "Patient",
        "CarePlan",
        "Goal",
        "CareTeam",
        "Encounter",
        "Observation",
        "Consent",
    }
    assert bundle["type"] == codes.BundleType.COLLECTION


def test_references_resolve_inside_the_bundle(exported):
    _plan, bundle = exported
    index = by_url(bundle)
    assert len(index) == len(bundle["entry"])  # fullUrls are unique

    def walk(value):
        if isinstance(value, dict):
            if "reference" in value:
                assert value["reference"] in index, value
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(bundle)


def test_the_same_record_gives_the_same_bundle(world, exported):
    _plan, bundle = exported
    with activate(world.municipality):
        again = person_bundle(world.person)
    assert again["entry"] == bundle["entry"]


def test_patient(world, exported):
    _plan, bundle = exported
    (patient,) = resources(bundle, "Patient")
    assert patient["meta"]["profile"] == [codes.NO_BASIS_PATIENT]
    assert patient["identifier"] == [
        {"system": codes.FODSELSNUMMER, "value": world.person.national_id}
    ]
    assert patient["name"][0]["family"] == "Skjermesen"
    assert patient["name"][0]["given"] == ["Gunnhild"]
    assert patient["birthDate"] == world.person.birth_date.isoformat()
    assert {t["system"] for t in patient["telecom"]} == {"phone", "email"}
    assert patient["address"][0]["postalCode"] == "0155"


def test_d_number_uses_its_own_system(world):
    birth = datetime.date(1950, 5, 17)
    person = factories.PersonFactory(
        municipality=world.municipality,
        birth_date=birth,
        national_id=random_synthetic_national_id(random.Random(3), birth, d_number=True),
        national_id_kind="dnr",
    )
    with activate(world.municipality):
        bundle = person_bundle(person)
    validate(bundle)
    (patient,) = resources(bundle, "Patient")
    assert patient["identifier"][0]["system"] == codes.D_NUMMER


def test_careplan_with_earlier_versions(world, exported):
    plan, bundle = exported
    plans = resources(bundle, "CarePlan")
    current = next(p for p in plans if p["id"] == f"plan-{plan.pk}")
    earlier = [p for p in plans if p is not current]
    revisions = PlanRevision.all_objects.filter(plan=plan).count()
    assert plan.version == revisions and len(earlier) == revisions - 1
    for resource in plans:
        assert resource["status"] in set(codes.CarePlanStatus)
        assert resource["intent"] == codes.CarePlanIntent.PLAN
    assert current["status"] == codes.CarePlanStatus.ACTIVE
    assert {p["status"] for p in earlier} == {codes.CarePlanStatus.REVOKED}
    # a chain: the current plan replaces the latest earlier version, and so on
    index = by_url(bundle)
    chain, resource = [], current
    while resource.get("replaces"):
        resource = index[resource["replaces"][0]["reference"]]
        chain.append(resource["id"])
    assert chain == [f"plan-{plan.pk}-v{n}" for n in range(plan.version - 1, 0, -1)]
    assert current["identifier"][0] == {
        "system": codes.ID_PLAN,
        "value": f"{world.municipality.number}-{plan.pk}",
    }
    assert current["description"].startswith("Å klare meg selv hjemme, gå tur")
    assert current["period"]["start"] == plan.start_date.isoformat()
    assert current["author"]["display"] == "Hjemmetjenesten"
    # goals, care team and activities
    goals = resources(bundle, "Goal")
    assert [index[g["reference"]]["id"] for g in current["goal"]] == [g["id"] for g in goals]
    (team,) = resources(bundle, "CareTeam")
    assert [index[t["reference"]]["id"] for t in current["careTeam"]] == [team["id"]]
    first, second = current["activity"]
    assert first["detail"]["code"]["text"] == "Gåtrening to ganger i uka"
    assert first["detail"]["status"] == codes.CarePlanActivityStatus.IN_PROGRESS
    assert index[first["detail"]["goal"][0]["reference"]]["description"]["text"] == (
        "Jeg vil gå til butikken selv"
    )
    performers = [p["display"] for p in first["detail"]["performer"]]
    assert performers[0] == "Hjemmetjenesten" and len(performers) == 2
    assert second["detail"]["performer"] == [{"display": "Datteren"}]
    assert second["detail"]["status"] == codes.CarePlanActivityStatus.UNKNOWN
    for activity in current["activity"]:
        assert activity["detail"]["status"] in set(codes.CarePlanActivityStatus)


def test_goals(world, exported):
    plan, bundle = exported
    goals = resources(bundle, "Goal")
    stored = list(Goal.all_objects.filter(plan=plan).order_by("position", "pk"))
    assert [g["description"]["text"] for g in goals] == [g.text for g in stored]
    for goal, row in zip(goals, stored, strict=True):
        assert goal["lifecycleStatus"] in set(codes.GoalLifecycleStatus)
        assert goal["lifecycleStatus"] == codes.GOAL_STATUS[row.status]
        hl7 = codings(goal["achievementStatus"], codes.HL7_GOAL_ACHIEVEMENT)
        assert hl7 == [codes.ACHIEVEMENT[row.achievement]]
        assert hl7[0] in set(codes.GoalAchievementStatus)
        assert codings(goal["achievementStatus"], codes.CS_ACHIEVEMENT) == [row.achievement]
    assert goals[0]["target"] == [{"dueDate": stored[0].target_date.isoformat()}]
    assert codings(goals[1]["achievementStatus"], codes.HL7_GOAL_ACHIEVEMENT) == ["improving"]


def test_every_mestring_status_maps_to_the_value_set():
    assert set(codes.GOAL_STATUS.values()) <= set(codes.GoalLifecycleStatus)
    assert set(codes.ACHIEVEMENT.values()) <= set(codes.GoalAchievementStatus)
    assert set(codes.PLAN_STATUS.values()) <= set(codes.CarePlanStatus)
    assert set(codes.MEETING_STATUS.values()) <= set(codes.EncounterStatus)
    assert set(codes.CONSENT_SCOPE.values()) <= set(codes.ConsentScope)
    # every FHIR code read back lands on a Mestring choice
    assert set(codes.GOAL_STATUS_FROM_FHIR) == set(codes.GoalLifecycleStatus) - {"entered-in-error"}
    assert set(codes.ACHIEVEMENT_FROM_FHIR) == set(codes.GoalAchievementStatus)


def test_care_team_marks_the_coordinator(world, exported):
    _plan, bundle = exported
    (team,) = resources(bundle, "CareTeam")
    assert team["status"] in set(codes.CareTeamStatus) and team["status"] == "active"
    chairs = [
        p
        for p in team["participant"]
        for role in p["role"]
        if codes.CareTeamRole.COORDINATOR in codings(role, codes.CS_CARETEAM_ROLE)
    ]
    assert len(chairs) == 1
    assert chairs[0]["member"]["display"] == world.owner.user.get_full_name()
    assert chairs[0]["member"]["identifier"]["system"] == codes.HPR_NUMMER
    for participant in team["participant"]:
        for role in participant["role"]:
            assert set(codings(role, codes.CS_CARETEAM_ROLE)) <= set(codes.CareTeamRole)
    (patient,) = resources(bundle, "Patient")
    members = [p["member"].get("reference") for p in team["participant"]]
    assert by_url(bundle)[members[1]] is patient


def test_meetings_are_encounters(exported):
    _plan, bundle = exported
    encounters = resources(bundle, "Encounter")
    assert [e["status"] for e in encounters] == ["finished", "planned"]
    for encounter in encounters:
        assert encounter["status"] in set(codes.EncounterStatus)
        assert encounter["class"]["system"] == codes.HL7_ACT_CODE
        assert encounter["class"]["code"] in set(codes.EncounterClass)
        assert encounter["period"]["start"] < encounter["period"]["end"]
        for participant in encounter["participant"]:
            (kind,) = participant["type"]
            assert codings(kind, codes.HL7_PARTICIPATION_TYPE)[0] in set(codes.ParticipationType)
    held, _planned = encounters
    assert {
        codings(p["type"][0], codes.HL7_PARTICIPATION_TYPE)[0] for p in held["participant"]
    } == {"ATND"}
    assert held["location"][0]["location"]["display"] == "Rådhuset, møterom 2"


def test_outcome_observations(exported):
    _plan, bundle = exported
    observations = {
        codings(o["code"], codes.CS_INSTRUMENT)[0]: o for o in resources(bundle, "Observation")
    }
    assert set(observations) == set(codes.InstrumentCode)
    for instrument, observation in observations.items():
        assert observation["status"] == codes.ObservationStatus.FINAL
        (category,) = observation["category"]
        assert codings(category, codes.HL7_OBSERVATION_CATEGORY) == [
            codes.OBSERVATION_CATEGORY[instrument]
        ]
        # never a LOINC code for the instruments (none verified; see codes.CS_INSTRUMENT)
        assert codings(observation["code"], codes.LOINC) == []
        assert observation["valueQuantity"]["system"] == codes.UCUM
        assert observation["effectiveDateTime"]
    sppb = observations["sppb"]
    assert sppb["valueQuantity"]["value"] == 6
    parts = {codings(c["code"], codes.CS_INSTRUMENT_ITEM)[0]: c for c in sppb["component"]}
    assert parts["sppb-balance"]["valueQuantity"]["value"] == 3
    assert parts["sppb-gait"]["valueQuantity"]["value"] == 2
    assert parts["sppb-chair"]["valueQuantity"]["value"] == 1
    copm = observations["copm"]
    assert copm["valueQuantity"]["value"] == 4  # mean performance of 3 and 5
    satisfaction = [
        c
        for c in copm["component"]
        if codings(c["code"], codes.CS_INSTRUMENT_ITEM) == ["copm-tilfredshet-snitt"]
    ]
    assert satisfaction[0]["valueQuantity"]["value"] == 3
    psfs = observations["psfs"]
    assert psfs["valueQuantity"]["value"] == pytest.approx(13 / 3, abs=0.01)
    assert [c["code"]["text"] for c in psfs["component"]] == [
        "Gå i trapper",
        "Bære handleposer",
        "Stå opp fra stol",
    ]


def test_consent(world, exported):
    _plan, bundle = exported
    (consent,) = resources(bundle, "Consent")
    stored = Consent.all_objects.get(person=world.person)
    assert consent["status"] in set(codes.ConsentStatus) and consent["status"] == "active"
    assert codings(consent["scope"], codes.HL7_CONSENT_SCOPE) == ["patient-privacy"]
    (category,) = consent["category"]
    assert codings(category, codes.LOINC) == [codes.LOINC_PATIENT_CONSENT]
    assert codings(category, codes.CS_CONSENT_KIND) == ["individuell_plan"]
    assert consent["dateTime"] == stored.given_on.isoformat()
    assert consent["provision"]["type"] in set(codes.ConsentProvisionType)
    assert by_url(bundle)[consent["patient"]["reference"]]["resourceType"] == "Patient"


def test_withdrawn_consent_is_inactive(world):
    from tests.plans.helpers import make_consent

    make_consent(
        world.person,
        given_on=datetime.date(2025, 1, 1),
        withdrawn_on=datetime.date(2025, 6, 1),
    )
    with activate(world.municipality):
        bundle = person_bundle(world.person)
    validate(bundle)
    (consent,) = resources(bundle, "Consent")
    assert consent["status"] == codes.ConsentStatus.INACTIVE
    assert consent["provision"]["period"]["end"] == "2025-06-01"


def test_person_with_nothing_but_a_name(world):
    person = factories.PersonFactory(
        municipality=world.municipality, national_id="", national_id_kind=""
    )
    with activate(world.municipality):
        bundle = person_bundle(person)
    validate(bundle)
    (patient,) = resources(bundle, "Patient")
    assert "identifier" not in patient
    assert len(bundle["entry"]) == 1
