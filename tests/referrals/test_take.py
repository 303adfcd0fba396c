"""Taking a message of need from the inbox: the handler opens the message (never the
record) while it is open, without emergency access; giving it to a colleague moves
that view; closing ends it."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, Block, CareRelation, EmergencyAccess
from mestring.referrals.models import Referral
from mestring.referrals.services import referral_transition
from mestring.tenancy.context import activate
from tests import factories
from tests.referrals.helpers import actor_for, make_referral

pytestmark = pytest.mark.django_db

INBOX = "/meldinger/"


def take_url(referral: Referral) -> str:
    return reverse("referrals:take", args=[referral.pk])


def detail_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.person_id, referral.pk])


def handler_relations(referral: Referral):
    """The handler relations in force now."""
    return CareRelation.all_objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=timezone.now()),
        person=referral.person,
        kind="meldingsbehandler",
    )


def test_the_take_url_is_norwegian():
    assert reverse("referrals:take", args=[5]) == "/meldinger/5/ta/"


def test_a_caseworker_takes_a_message_nobody_could_open(world, client_for):
    referral = make_referral(world.person)
    client = client_for(world.caseworker)
    assert client.get(detail_url(referral)).status_code == 403
    inbox = client.get(INBOX, {"vis": "ufordelte"}).content.decode()
    assert "Ta meldingen" in inbox and take_url(referral) in inbox
    assert "Ikke fordelt (1)" in inbox

    response = client.post(take_url(referral))

    assert response.status_code == 302 and response.url == detail_url(referral)
    referral.refresh_from_db()
    assert referral.handler == world.caseworker
    relation = handler_relations(referral).get()
    assert relation.staff == world.caseworker and relation.valid_to is None
    assert not relation.needs_review  # normal work, not a grant to review
    assert client.get(detail_url(referral)).status_code == 200
    # The message only: the record stays closed.
    assert client.get(f"/personer/{world.person.pk}/").status_code == 403
    assert not EmergencyAccess.all_objects.exists()
    event = AuditEvent.all_objects.filter(action="assign", object_type="referral").get()
    assert (event.object_id, event.person_id) == (str(referral.pk), world.person.pk)
    after = client.get(INBOX, {"vis": "ufordelte"}).content.decode()
    assert "Ikke fordelt (0)" in after


def test_giving_a_message_to_a_colleague_moves_the_view(world, client_for, lead):
    referral = make_referral(world.person)
    client = client_for(world.caseworker)
    client.post(take_url(referral))

    response = client_for(world.caseworker).post(take_url(referral), {"staff": lead.pk})

    assert response.status_code == 302 and response.url == INBOX
    referral.refresh_from_db()
    assert referral.handler == lead
    assert [r.staff for r in handler_relations(referral)] == [lead]
    assert client.get(detail_url(referral)).status_code == 403
    assert client_for(lead).get(detail_url(referral)).status_code == 200


def test_closing_the_message_ends_the_handlers_view(world, client_for):
    referral = make_referral(world.person)
    client = client_for(world.caseworker)
    client.post(take_url(referral))
    with activate(world.municipality):
        referral_transition(
            actor=actor_for(world.caseworker),
            referral=referral,
            to_status="avsluttet",
            reason="Behovet er dekket",
        )
    assert not handler_relations(referral).exists()
    assert client.get(detail_url(referral)).status_code == 403


def test_one_handler_relation_serves_two_messages_about_one_person(world, client_for):
    first = make_referral(world.person)
    second = make_referral(world.person)
    client = client_for(world.caseworker)
    client.post(take_url(first))
    client.post(take_url(second))
    assert handler_relations(first).count() == 1
    with activate(world.municipality):
        referral_transition(
            actor=actor_for(world.caseworker),
            referral=first,
            to_status="avsluttet",
            reason="Dekket",
        )
    # The second message is still open and still the caseworker's.
    assert client.get(detail_url(second)).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "owner", "read_only"])
def test_only_the_intake_roles_may_take(world, client_for, who):
    referral = make_referral(world.person)
    response = client_for(getattr(world, who)).post(take_url(referral))
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.handler is None
    assert not handler_relations(referral).exists()


def test_a_message_is_given_only_to_someone_who_does_intake(world, client_for):
    referral = make_referral(world.person)
    client = client_for(world.caseworker)
    response = client.post(take_url(referral), {"staff": world.outsider.pk})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.handler is None
    page = client.get(INBOX).content.decode()
    assert "Velg en ansatt fra listen." in page


def test_nobody_the_person_has_blocked_is_given_the_message(world, client_for):
    referral = make_referral(world.person)
    Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=world.caseworker
    )
    client = client_for(world.caseworker)
    client.post(take_url(referral))
    referral.refresh_from_db()
    assert referral.handler is None
    assert not handler_relations(referral).exists()
    assert "har sperret for at" in client.get(INBOX).content.decode()


def test_a_finished_message_cannot_be_taken(world, client_for):
    referral = make_referral(world.person, status="avsluttet")
    client = client_for(world.caseworker)
    client.post(take_url(referral))
    referral.refresh_from_db()
    assert referral.handler is None
    assert "ferdig behandlet" in client.get(INBOX).content.decode()


def test_a_message_of_another_municipality_is_not_found(world, client_for):
    other = factories.make_municipality("9002", "Nabokommune")
    stranger = factories.PersonFactory(municipality=other)
    referral = make_referral(stranger)
    assert client_for(world.caseworker).post(take_url(referral)).status_code == 404
    referral.refresh_from_db()
    assert referral.handler is None
