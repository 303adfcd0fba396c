"""The person's own copy (innsyn): complete, only the person's, JSON and PDF, guarded."""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
from collections import deque
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from mestring.access.actor import system_actor
from mestring.access.models import AuditEvent, Consent
from mestring.maintenance.innsyn import build_copy
from mestring.maintenance.services import InnsynError, innsyn_export
from mestring.people.models import Person
from mestring.plans import services as plan_services
from mestring.plans.models import Goal, IndividualPlan
from mestring.portal import services as portal_services
from mestring.rehab import services as rehab_services
from mestring.rehab.models import Episode
from mestring.teams.models import Meeting
from mestring.tenancy.context import activate
from tests import factories
from tests.conftest import make_staff
from tests.referrals.helpers import make_referral

pytestmark = pytest.mark.urls("tests.maintenance.urls")

REFERRAL_TEXT = "Trenger hjelp med trapper etter hoftebrudd."
# Every kind the issue names, by model: the copy must hold at least one of each.
REQUIRED = [
    "people.Relative",
    "referrals.Referral",
    "casework.Case",
    "casework.Decision",
    "plans.IndividualPlan",
    "plans.Goal",
    "plans.Measure",
    "plans.Evaluation",
    "teams.ResponsibilityGroup",
    "teams.Meeting",
    "rehab.Episode",
    "rehab.Visit",
    "outcomes.Observation",
    "institutions.Stay",
    "devices.Loan",
    "access.Consent",
    "portal.Message",
    "assessments.Assessment",
    "friskliv.Prescription",
]


def person_models() -> set[type[models.Model]]:
    """Models whose rows hang under a person, found from the model graph."""
    found: set[type[models.Model]] = set()
    queue: deque[type[models.Model]] = deque([Person])
    while queue:
        model = queue.popleft()
        for rel in model._meta.related_objects:
            if rel.many_to_many or rel.related_model is AuditEvent:
                continue
            if rel.related_model not in found:
                found.add(rel.related_model)
                queue.append(rel.related_model)
    return found


def fill(world, person: Person) -> None:
    """Records of every kind for `person`, made by the apps' own test helpers."""
    from tests.assessments.guard_ids import make_ids as assessments
    from tests.casework.guard_ids import make_ids as casework
    from tests.devices.guard_ids import make_ids as devices
    from tests.friskliv.guard_ids import make_ids as friskliv
    from tests.institutions.guard_ids import make_ids as institutions
    from tests.outcomes.guard_ids import make_ids as outcomes
    from tests.plans.guard_ids import make_ids as plans
    from tests.rehab.guard_ids import make_ids as rehab
    from tests.teams.guard_ids import make_ids as teams

    factories.grant_relation(world.owner, person)
    scoped = dataclasses.replace(world, person=person)
    make_referral(person, description=f"{REFERRAL_TEXT} ({person.given_name})")
    factories.RelativeFactory(municipality=world.municipality, person=person)
    for make in (casework, assessments, friskliv, outcomes, rehab, teams):
        make(scoped)
    if person == world.person:
        # These helpers use fixed names (an item label, a coordinator's user name).
        plans(scoped)
        devices(scoped)
        institutions(scoped)
    actor = system_actor(world.municipality)
    with activate(world.municipality):
        plan = IndividualPlan.objects.filter(person=person).first()
        if plan is not None:
            goal = Goal.objects.filter(plan=plan).first()
            plan_services.evaluation_add(
                actor=actor,
                plan=plan,
                goal=goal,
                evaluated_on=timezone.localdate(),
                text="Går nå til butikken.",
            )
        episode = Episode.objects.filter(person=person).first()
        rehab_services.visit_record(
            actor=actor,
            episode=episode,
            visited_on=episode.start_date,
            staff=world.owner,
            minutes=45,
            note="Trente på trapp.",
        )
        Meeting.objects.filter(group__person=person).update(minutes="Referat fra møtet.")
        staff_actor = dataclasses.replace(actor, staff=world.owner)
        portal_services.message_send_staff(
            actor=staff_actor, person=person, body="Hei, vi kommer tirsdag.", link="/"
        )


@pytest.fixture
def two_persons(world):
    other = factories.PersonFactory(
        municipality=world.municipality, given_name="Annen", family_name="Personsen"
    )
    fill(world, world.person)
    fill(world, other)
    return world.person, other


def _ids(copy: dict) -> dict[str, set[int]]:
    return {s["type"]: {r["id"] for r in s["records"]} for s in copy["sections"]}


def test_the_copy_holds_every_record_of_the_person_and_none_of_another(world, two_persons):
    person, other = two_persons
    with activate(world.municipality):
        mine, theirs = _ids(build_copy(person)), _ids(build_copy(other))
        copy = build_copy(person)
    missing = [label for label in REQUIRED if not mine.get(label)]
    assert missing == []
    # Every row of every person-owned model is in exactly one person's copy: nothing
    # left out, nothing of the other person's shown.
    for model in person_models():
        label = model._meta.label
        assert not (mine.get(label, set()) & theirs.get(label, set())), label
        all_ids = set(model._base_manager.values_list("pk", flat=True))
        assert all_ids <= mine.get(label, set()) | theirs.get(label, set()), label
    assert copy["person"]["national_id"] == person.national_id
    text = json.dumps(copy, ensure_ascii=False)
    assert REFERRAL_TEXT in text and "Annen" not in text
    assert "Referat fra møtet." in text and "Trente på trapp." in text
    # The access log is the person's only.
    assert copy["access_log"]
    assert AuditEvent.all_objects.filter(person=other).exists()
    assert len(copy["access_log"]) == AuditEvent.all_objects.filter(person=person).count()


def test_command_writes_json_and_pdf_and_logs_the_export(world, two_persons, tmp_path: Path):
    person, _other = two_persons
    json_file, pdf_file = tmp_path / "innsyn.json", tmp_path / "innsyn.pdf"
    before = AuditEvent.all_objects.filter(person=person, action="export").count()
    for fmt, file in (("json", json_file), ("pdf", pdf_file)):
        call_command(
            "innsyn",
            municipality="9001",
            person=person.person_ref,
            format=fmt,
            output=str(file),
            stdout=io.StringIO(),
        )
    data = json.loads(json_file.read_text())
    assert data["person"]["given_name"] == "Gunnhild"
    assert any(s["type"] == "plans.Goal" for s in data["sections"])
    reader = PdfReader(pdf_file)
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "Gunnhild Skjermesen" in text
    assert REFERRAL_TEXT in text
    assert "Annen" not in text
    assert AuditEvent.all_objects.filter(person=person, action="export").count() == before + 2
    with pytest.raises(CommandError, match="Fant ingen person"):
        call_command(
            "innsyn", municipality="9001", person="NOPE", output=str(json_file), format="json"
        )


def test_command_does_not_find_a_person_of_another_municipality(world, tmp_path: Path):
    elsewhere = factories.make_municipality("9002", "Nabokommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    with pytest.raises(CommandError, match="Fant ingen person"):
        call_command(
            "innsyn",
            municipality="9001",
            person=stranger.person_ref,
            format="json",
            output=str(tmp_path / "x.json"),
        )


def test_unknown_format_is_refused(world):
    with activate(world.municipality), pytest.raises(InnsynError, match="Ukjent format"):
        innsyn_export(actor=system_actor(world.municipality), person=world.person, fmt="xml")


# --- the staff page ---------------------------------------------------------------------


@pytest.fixture
def leader(world):
    staff = make_staff(world.municipality, "leder_ke", "lederke")
    factories.grant_relation(staff, world.person)
    return staff


def _url(person: Person, **query: str) -> str:
    url = reverse("maintenance:person_innsyn", kwargs={"person_id": person.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_page_and_downloads_for_the_coordinating_unit_leader(world, leader, client_for):
    make_referral(world.person, description=REFERRAL_TEXT)
    client = client_for(leader)
    page = client.get(_url(world.person))
    assert page.status_code == 200
    assert "Last ned som PDF" in page.content.decode()
    response = client.get(_url(world.person, format="json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["person"]["family_name"] == "Skjermesen"
    pdf = client.get(_url(world.person, format="pdf"))
    assert pdf.status_code == 200
    assert pdf.content[:4] == b"%PDF"
    # Exactly one audit row per download, an export about the person.
    exports = AuditEvent.all_objects.filter(person=world.person, object_type="innsyn")
    assert exports.filter(action="export").count() == 2
    bad = client.get(_url(world.person, format="exe"))
    assert bad.status_code == 302


def test_refused_without_care_relation_or_in_another_municipality(world, leader, client_for):
    unrelated = make_staff(world.municipality, "leder_ke", "lederke2")  # no relation
    other = factories.PersonFactory(municipality=world.municipality)
    for staff, person in (
        (world.outsider, world.person),
        (unrelated, world.person),
        (leader, other),  # a relation to someone else only
    ):
        for query in ({}, {"format": "json"}):
            response = client_for(staff).get(_url(person, **query))
            assert response.status_code == 403, (staff, person, query)
            # The full name: a family name alone may also be the signed-in user's.
            assert f"{person.given_name} {person.family_name}".encode() not in response.content
            assert person.national_id
            assert person.national_id.encode() not in response.content
            refusal = AuditEvent.all_objects.order_by("-seq").first()
            assert (refusal.outcome, refusal.person_id) == ("refused", person.pk)
    elsewhere = factories.make_municipality("9002", "Nabokommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    response = client_for(leader).get(_url(stranger, format="json"))
    assert response.status_code in (403, 404)
    assert stranger.family_name.encode() not in response.content


def test_care_relation_without_the_permission_sees_the_page_but_gets_no_copy(world, client_for):
    client = client_for(world.owner)  # coordinator: care relation, no ACCESS_GRANT
    page = client.get(_url(world.person))
    assert page.status_code == 200
    assert "Last ned som PDF" not in page.content.decode()
    assert "leder for koordinerende enhet" in page.content.decode()
    before = AuditEvent.all_objects.count()
    response = client.get(_url(world.person, format="json"))
    assert response.status_code == 403
    assert b"national_id" not in response.content
    assert AuditEvent.all_objects.count() == before + 1
    refusal = AuditEvent.all_objects.order_by("-seq").first()
    assert (refusal.outcome, refusal.action, refusal.object_type) == (
        "refused",
        "export",
        "innsyn",
    )


def test_consent_rows_are_in_the_copy(world):
    with activate(world.municipality):
        consent = Consent.objects.create(
            person=world.person,
            kind="individuell_plan",
            scope="Deling med fastlege",
            given_by="personen",
            given_on=datetime.date(2026, 1, 2),
        )
        copy = build_copy(world.person)
    assert consent.pk in _ids(copy)["access.Consent"]
