"""(M1) Relations a leader reviews afterwards — the registrar's intake relation
and access a leader grants themselves — and the rules for self-granted access."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.access.services import AccessRuleError, care_relation_grant, care_relation_review
from mestring.tenancy.context import activate
from tests import factories
from tests.referrals.helpers import actor_for

pytestmark = pytest.mark.django_db


def day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


@pytest.fixture
def lead(world):
    lead = factories.StaffFactory(municipality=world.municipality, user__username="leder")
    factories.give_role(lead, "leder_ke")
    return lead


@pytest.fixture
def other_lead(world):
    other = factories.StaffFactory(municipality=world.municipality, user__username="leder2")
    factories.give_role(other, "leder_ke")
    return other


@pytest.mark.attack
def test_self_granted_access_needs_an_end_within_the_limit(world, client_for, lead):
    """(M1b) A coordinating-unit leader cannot give themselves access with any end date:
    past the policy limit the form says so in Norwegian, and nothing is granted."""
    client = client_for(lead)
    url = reverse("access:person_access", args=[world.person.pk])
    limit = settings.MESTRING_SELF_GRANT_MAX_DAYS
    assert limit == 30
    response = client.post(
        url, {"grant": "1", "staff": lead.pk, "reason": "Oppfølging", "valid_to": day(limit + 1)}
    )
    assert response.status_code == 200
    assert "kan vare i høyst 30 dager" in response.content.decode()
    # Through their own unit it is the same.
    unit = factories.UnitFactory(municipality=world.municipality, name="Koordinerende enhet")
    lead.units.add(unit)
    response = client.post(
        url, {"grant": "1", "unit": unit.pk, "reason": "Oppfølging", "valid_to": day(365)}
    )
    assert "kan vare i høyst 30 dager" in response.content.decode()
    assert not CareRelation.all_objects.filter(person=world.person, created_by=lead.user).exists()
    # The service holds the same rule for any caller.
    with activate(world.municipality), pytest.raises(AccessRuleError):
        care_relation_grant(
            actor=actor_for(lead),
            person=world.person,
            kind="manuell",
            reason="Oppfølging",
            staff=lead,
            valid_to=timezone.now() + datetime.timedelta(days=limit + 2),
        )


@pytest.mark.attack
def test_self_granted_access_needs_a_reason_and_is_reviewed(world, client_for, lead, other_lead):
    """(M1b) Self-granted access needs a reason (blank is refused), is marked as
    self-granted in the audit, and appears in the review queue for another leader."""
    client = client_for(lead)
    url = reverse("access:person_access", args=[world.person.pk])
    response = client.post(
        url, {"grant": "1", "staff": lead.pk, "reason": "   ", "valid_to": day(5)}
    )
    assert "Skriv hvorfor tilgangen trengs." in response.content.decode()
    assert not CareRelation.all_objects.filter(staff=lead).exists()
    response = client.post(
        url, {"grant": "1", "staff": lead.pk, "reason": "Akutt oppfølging", "valid_to": day(30)}
    )
    assert response.status_code == 302
    relation = CareRelation.all_objects.get(staff=lead)
    assert relation.self_granted and relation.needs_review
    grant = AuditEvent.all_objects.get(object_type="care_relation", action="grant")
    assert grant.self_granted
    # Not reviewable by the one who gave it …
    review_url = reverse("access:relation_review", args=[relation.pk])
    response = client.post(review_url, {"verdict": "begrunnet", "note": ""})
    assert "Du kan ikke gjennomgå en tilgang du selv har fått eller gitt." in (
        response.content.decode()
    )
    # … but by another leader, from the queue; unjustified ends the access.
    reviewer = client_for(other_lead)
    queue = reviewer.get(reverse("access:emergency_reviews"))
    assert review_url in queue.content.decode()
    response = reviewer.post(review_url, {"verdict": "ikke_begrunnet", "note": "Ikke avklart"})
    assert response.status_code == 302
    relation.refresh_from_db()
    assert relation.reviewed_by == other_lead and relation.verdict == "ikke_begrunnet"
    assert relation.valid_to <= timezone.now()
    assert review_url not in reviewer.get(reverse("access:emergency_reviews")).content.decode()
    assert AuditEvent.all_objects.filter(
        object_type="care_relation", action="review", person=world.person
    ).exists()


def test_granting_someone_else_is_not_self_granted(world, client_for, lead):
    client = client_for(lead)
    url = reverse("access:person_access", args=[world.person.pk])
    response = client.post(
        url, {"grant": "1", "staff": world.outsider.pk, "reason": "Vikar", "valid_to": day(90)}
    )
    assert response.status_code == 302
    relation = CareRelation.all_objects.get(staff=world.outsider)
    assert not relation.self_granted and not relation.needs_review


def test_review_rules(world, lead, other_lead):
    with activate(world.municipality):
        relation = care_relation_grant(
            actor=actor_for(lead),
            person=world.person,
            kind="mottak",
            reason="Registrerte melding om behov",
            staff=lead,
            valid_to=timezone.now() + datetime.timedelta(days=3),
        )
        assert relation.needs_review and not relation.self_granted
        with pytest.raises(AccessRuleError):
            care_relation_review(
                actor=actor_for(lead), relation=relation, verdict="begrunnet", note=""
            )
        with pytest.raises(AccessRuleError):
            care_relation_review(
                actor=actor_for(other_lead), relation=relation, verdict="x", note=""
            )
        care_relation_review(
            actor=actor_for(other_lead), relation=relation, verdict="begrunnet", note=""
        )
        relation.refresh_from_db()
        assert relation.valid_to > timezone.now()  # justified: it runs its course
        with pytest.raises(AccessRuleError):
            care_relation_review(
                actor=actor_for(other_lead), relation=relation, verdict="begrunnet", note=""
            )


def test_review_page_needs_the_review_permission(world, client_for, lead):
    with activate(world.municipality):
        relation = care_relation_grant(
            actor=actor_for(lead),
            person=world.person,
            kind="mottak",
            reason="Registrerte melding om behov",
            staff=lead,
            valid_to=timezone.now() + datetime.timedelta(days=3),
        )
    url = reverse("access:relation_review", args=[relation.pk])
    assert client_for(world.owner).get(url).status_code == 403
    assert client_for(world.owner).post(url, {"verdict": "begrunnet"}).status_code == 403
