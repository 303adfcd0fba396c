"""A relative with a recorded right to act sees and does what the person could; the
audit log says they acted on the person's behalf."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from mestring.access.models import AuditEvent, Consent
from mestring.casework.models import Case
from mestring.people.models import Relative
from mestring.portal.models import CitizenComment, Message
from tests import factories
from tests.portal.pages_helpers import citizen_client, make_attorney, make_plan_world

pytestmark = pytest.mark.django_db


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


@pytest.fixture
def attorney_client(world):
    make_plan_world(world)
    relative = make_attorney(world.person)
    return relative, citizen_client(
        world.person, national_id=relative.national_id, name=relative.name
    )


def test_relative_sees_the_pages_and_the_notice(world, attorney_client):
    relative, client = attorney_client
    before = AuditEvent.all_objects.count()
    response = client.get(reverse("portal:plan"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Jeg vil handle selv" in content
    assert "på vegne av" in content and "fullmakt" in content
    [event] = _events_since(before)
    assert event.purpose == "citizen"
    assert event.reason_code == "pa_vegne_av:fullmakt"
    assert event.username == relative.name
    assert event.role == "pårørende,fullmakt"


def test_relative_writes_are_on_behalf(world, attorney_client):
    relative, client = attorney_client
    before = AuditEvent.all_objects.count()
    client.post(reverse("portal:what_matters"), {"text": "Mor vil bo hjemme."})
    client.post(reverse("portal:messages"), {"body": "Kan vi ta et møte?"})
    client.post(reverse("portal:apply"), {"what": "koordinator"})
    client.post(reverse("portal:consent"), {"kind": "individuell_plan", "scope": "Planen"})
    writes = [e for e in _events_since(before) if e.action != "view"]
    assert {e.object_type for e in writes} >= {"citizen_comment", "citizen_message", "case"}
    for event in writes:
        assert event.purpose == "citizen", event.object_type
        assert event.reason_code == "pa_vegne_av:fullmakt", event.object_type
    note = CitizenComment.all_objects.get()
    assert (note.written_by_name, note.on_behalf_basis, note.relative) == (
        relative.name,
        "fullmakt",
        relative,
    )
    message = Message.all_objects.get()
    assert message.on_behalf_basis == "fullmakt" and message.relative == relative
    assert Case.all_objects.get(person=world.person).applicant == "parorende"
    consent = Consent.all_objects.get(person=world.person, kind="individuell_plan", scope="Planen")
    assert (consent.given_by, consent.given_by_relative) == ("parorende", relative)


def test_staff_answer_notifies_the_relative_who_wrote(
    world, attorney_client, client_for, django_capture_on_commit_callbacks
):
    relative, client = attorney_client
    world.person.email = "gunnhild@example.org"
    world.person.save(update_fields=["email"])
    client.post(reverse("portal:messages"), {"body": "Kan vi ta et møte om demensen?"})
    mail.outbox.clear()
    staff = client_for(world.owner)
    url = reverse("portal:staff_citizen_input", args=[world.person.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"action": "melding", "text": "Ja, torsdag om demens."})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["fred@example.org", "gunnhild@example.org"]
    for notice in mail.outbox:
        assert "demens" not in notice.body and "torsdag" not in notice.body
        assert "Skjermesen" not in notice.body and relative.name not in notice.body
        assert "/min-side/meldinger/" in notice.body


def test_parental_responsibility_ends_at_the_consent_age(world, settings):
    today = datetime.date.today()
    child = factories.PersonFactory(
        municipality=world.municipality, birth_date=today.replace(year=today.year - 17)
    )
    parent = factories.PersonFactory.build(birth_date=datetime.date(1980, 1, 1))
    Relative.all_objects.create(
        municipality=world.municipality,
        person=child,
        name="Forelder",
        relation="forelder",
        acting_basis="foreldreansvar",
        national_id=parent.national_id,
    )
    settings.MESTRING_CHILD_CONSENT_AGE = 18
    client = citizen_client(child, national_id=parent.national_id, name="Forelder")
    assert client.get(reverse("portal:plan")).status_code == 200
    settings.MESTRING_CHILD_CONSENT_AGE = 16  # the 17-year-old now decides alone
    response = client.get(reverse("portal:plan"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:choose")
