"""A person cannot reach anyone else's data: ids of another person's goals, measures,
meetings, decisions and consents are 404, and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.access.models import Consent
from mestring.portal.models import CitizenComment, Conversation, Message
from tests import factories
from tests.plans import helpers as plan_helpers
from tests.portal.pages_helpers import citizen_client, future, make_plan_world
from tests.teams import helpers as team_helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def others(world):
    """world.person's plan, goal, measure, meeting, decision and consent; the citizen
    logged in is somebody else with their own record."""
    pw = make_plan_world(world)
    group = team_helpers.make_group(world)
    meeting = team_helpers.make_meeting(world, group, starts_at=future())
    decision = plan_helpers.make_decision(world.person, world.owner)
    consent = Consent.all_objects.filter(person=world.person).first()
    me = factories.PersonFactory(municipality=world.municipality, family_name="Megselv")
    return {"pw": pw, "meeting": meeting, "decision": decision, "consent": consent, "me": me}


def test_ids_of_another_persons_objects_are_404(world, others):
    client = citizen_client(others["me"])
    pw = others["pw"]
    urls = [
        reverse("portal:goal_comment", args=[pw.goal.pk]),
        reverse("portal:measure_comment", args=[pw.measure.pk]),
        reverse("portal:meeting_ics", args=[others["meeting"].pk]),
        reverse("portal:decision_letter", args=[others["decision"].pk]),
        reverse("portal:consent_withdraw", args=[others["consent"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "Hei"}).status_code in (404, 405), url
    assert not CitizenComment.all_objects.exists()
    assert Consent.all_objects.get(pk=others["consent"].pk).withdrawn_on is None


def test_my_pages_show_nothing_of_another_person(world, others):
    client = citizen_client(others["me"])
    Message.all_objects.create(
        municipality=world.municipality,
        conversation=Conversation.all_objects.create(
            municipality=world.municipality, person=world.person
        ),
        sender_kind="ansatt",
        sender_name="Eier",
        body="Hemmelig svar til Skjermesen",
    )
    for name in (
        "portal:home",
        "portal:plan",
        "portal:messages",
        "portal:decisions",
        "portal:consent",
        "portal:access_log",
    ):
        content = client.get(reverse(name)).content.decode()
        assert "Jeg vil handle selv" not in content, name
        assert "Hemmelig svar" not in content, name
        assert "Skjermesen" not in content, name
        assert "Individuell plan og/eller" not in content, name
    assert "Du har ingen vedtak" in client.get(reverse("portal:decisions")).content.decode()


def test_the_same_ids_open_for_the_person_herself(world, others):
    client = citizen_client(world.person)
    pw = others["pw"]
    assert client.get(reverse("portal:goal_comment", args=[pw.goal.pk])).status_code == 200
    assert client.get(reverse("portal:measure_comment", args=[pw.measure.pk])).status_code == 200
    url = reverse("portal:consent_withdraw", args=[others["consent"].pk])
    assert client.get(url).status_code == 200
