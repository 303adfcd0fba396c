"""The coordinator sees and answers what the person wrote; outsiders are refused; the
worklist of unanswered input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.plans.models import Goal
from mestring.portal.models import BlockRequest, CitizenComment, Message
from tests import factories
from tests.conftest import make_staff
from tests.portal.pages_helpers import citizen_client, make_plan_world

pytestmark = pytest.mark.django_db

INBOX_QUERIES = 18  # measured with one person; must not grow with more


def _url(world) -> str:
    return reverse("portal:staff_citizen_input", args=[world.person.pk])


@pytest.fixture
def written(world):
    """The person has commented on a goal, proposed a goal, written a message and asked
    for sperring."""
    pw = make_plan_world(world)
    client = citizen_client(world.person)
    client.post(reverse("portal:goal_comment", args=[pw.goal.pk]), {"text": "Kommentar A"})
    client.post(reverse("portal:goal_propose"), {"text": "Jeg vil lage middag selv"})
    client.post(reverse("portal:messages"), {"body": "Melding B"})
    client.post(reverse("portal:block_request"), {"text": "Sperr naboen"})
    return pw


def test_coordinator_sees_comments_messages_and_requests(world, client_for, written):
    response = client_for(world.owner).get(_url(world))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Kommentar A", "Jeg vil lage middag selv", "Melding B", "Sperr naboen"):
        assert text in content
    assert reverse("access:person_access", args=[world.person.pk]) in content
    # Opening the page marks the citizen's messages read.
    assert not Message.all_objects.filter(read_at__isnull=True).exists()


def test_coordinator_answers_a_comment_and_the_person_sees_it(world, client_for, written):
    comment = CitizenComment.all_objects.get(kind="kommentar")
    before = AuditEvent.all_objects.count()
    response = client_for(world.owner).post(
        _url(world), {"action": "svar", "item": comment.pk, "text": "Godt forslag!"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.answer, comment.answered_by) == ("Godt forslag!", world.owner)
    events = list(AuditEvent.all_objects.order_by("seq")[before:])
    assert [(e.action, e.object_type, e.purpose) for e in events] == [
        ("answer", "citizen_comment", "care")
    ]
    page = citizen_client(world.person).get(reverse("portal:plan")).content.decode()
    assert "Godt forslag!" in page


def test_empty_answer_is_a_plain_error(world, client_for, written):
    comment = CitizenComment.all_objects.get(kind="kommentar")
    response = client_for(world.owner).post(
        _url(world), {"action": "svar", "item": comment.pk, "text": ""}
    )
    assert response.status_code == 200
    assert "Skriv et svar." in response.content.decode()
    assert CitizenComment.all_objects.get(pk=comment.pk).answered_at is None


def test_accepting_a_proposal_creates_a_goal(world, client_for, written):
    proposal = CitizenComment.all_objects.get(kind="forslag")
    response = client_for(world.owner).post(
        _url(world), {"action": "godta", "item": proposal.pk, "text": ""}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    goal = Goal.all_objects.get(text="Jeg vil lage middag selv")
    assert goal.plan == written.plan and goal.status == "aktiv"
    assert (proposal.proposal_outcome, proposal.accepted_goal) == ("godtatt", goal)
    # Twice is refused with a plain message.
    response = client_for(world.owner).post(
        _url(world), {"action": "godta", "item": proposal.pk, "text": ""}
    )
    assert "allerede behandlet" in response.content.decode()
    assert Goal.all_objects.filter(text="Jeg vil lage middag selv").count() == 1


def test_declining_a_proposal_needs_a_reason(world, client_for, written):
    proposal = CitizenComment.all_objects.get(kind="forslag")
    client = client_for(world.owner)
    response = client.post(_url(world), {"action": "avsla", "item": proposal.pk, "text": ""})
    assert "Skriv hvorfor" in response.content.decode()
    client.post(_url(world), {"action": "avsla", "item": proposal.pk, "text": "Vi tar det i mai."})
    proposal.refresh_from_db()
    assert (proposal.proposal_outcome, proposal.answer) == ("avslatt", "Vi tar det i mai.")
    assert not Goal.all_objects.filter(text="Jeg vil lage middag selv").exists()


def test_block_request_marked_handled(world, client_for, written):
    request = BlockRequest.all_objects.get()
    client_for(world.owner).post(
        _url(world), {"action": "sperring", "item": request.pk, "text": "Sperret"}
    )
    request.refresh_from_db()
    assert request.handled_by == world.owner and request.handled_note == "Sperret"


def test_staff_message_reaches_the_citizen(world, client_for, written):
    client_for(world.owner).post(_url(world), {"action": "melding", "text": "Hei fra meg"})
    page = citizen_client(world.person).get(reverse("portal:messages")).content.decode()
    assert "Hei fra meg" in page


def test_an_id_of_another_persons_comment_changes_nothing(world, client_for, written):
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    comment = CitizenComment.all_objects.get(kind="kommentar")
    url = reverse("portal:staff_citizen_input", args=[other.pk])
    response = client_for(world.owner).post(
        url, {"action": "svar", "item": comment.pk, "text": "Feil person"}
    )
    assert response.status_code == 200 and "Fant ikke innspillet." in response.content.decode()
    assert CitizenComment.all_objects.get(pk=comment.pk).answered_at is None


def test_outsider_is_refused(world, client_for, written):
    client = client_for(world.outsider)
    assert client.get(_url(world)).status_code == 403
    comment = CitizenComment.all_objects.get(kind="kommentar")
    response = client.post(_url(world), {"action": "svar", "item": comment.pk, "text": "X"})
    assert response.status_code == 403
    assert CitizenComment.all_objects.get(pk=comment.pk).answered_at is None


def test_inbox_lists_my_persons_with_unanswered_input(world, client_for, written):
    response = client_for(world.owner).get(reverse("portal:staff_inbox"))
    assert response.status_code == 200
    [row] = response.context["page"].object_list
    assert (row.pk, row.open_comments, row.unread_messages, row.open_block_requests) == (
        world.person.pk,
        2,
        1,
        1,
    )
    # The team member sees the person through the unit; the outsider does not.
    assert world.person.family_name in (
        client_for(world.team_member).get(reverse("portal:staff_inbox")).content.decode()
    )
    outsider = client_for(world.outsider).get(reverse("portal:staff_inbox"))
    assert outsider.status_code == 200
    assert world.person.family_name not in outsider.content.decode()


def test_inbox_query_count_is_fixed(world, client_for, django_assert_max_num_queries):
    owner = client_for(world.owner)

    def add_person(n: int) -> None:
        person = factories.PersonFactory(municipality=world.municipality)
        factories.grant_relation(world.owner, person)
        client = citizen_client(person)
        client.post(reverse("portal:messages"), {"body": f"Hei {n}"})
        client.post(reverse("portal:block_request"), {"text": "Sperr"})

    add_person(0)
    owner.get(reverse("portal:staff_inbox"))  # a first request warms the session
    with django_assert_max_num_queries(INBOX_QUERIES):
        owner.get(reverse("portal:staff_inbox"))
    for n in range(1, 6):
        add_person(n)
    with django_assert_max_num_queries(INBOX_QUERIES):
        response = owner.get(reverse("portal:staff_inbox"))
    assert len(response.context["page"].object_list) == 6


def test_read_only_staff_without_relation_see_an_empty_inbox(world, client_for, written):
    planner = make_staff(world.municipality, "planlegger", "planlegger2")
    response = client_for(planner).get(reverse("portal:staff_inbox"))
    assert response.status_code == 200
    assert world.person.family_name not in response.content.decode()
