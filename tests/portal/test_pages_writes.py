"""What the citizen does on the pages: what matters, comments, proposals, messages
(with notices that carry no health information), applications, consent and
sperring, the calendar file and the decision letter."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from mestring.access.models import AuditEvent, Consent
from mestring.casework.models import ApplicationLine, Case
from mestring.catalogue.models import Service
from mestring.plans.models import IndividualPlan
from mestring.portal.models import BlockRequest, CitizenComment, Message
from tests.plans import helpers as plan_helpers
from tests.portal.pages_helpers import citizen_client, future, make_plan_world
from tests.teams import helpers as team_helpers

pytestmark = pytest.mark.django_db


def _last_event() -> AuditEvent:
    return AuditEvent.all_objects.order_by("-seq").first()


def test_comment_on_a_goal_is_saved_and_audited(world):
    pw = make_plan_world(world)
    client = citizen_client(world.person)
    before = AuditEvent.all_objects.count()
    url = reverse("portal:goal_comment", args=[pw.goal.pk])
    response = client.post(url, {"text": "Jeg vil begynne med nærbutikken."})
    assert response.status_code == 302
    comment = CitizenComment.all_objects.get()
    assert (comment.goal, comment.kind, comment.person) == (pw.goal, "kommentar", world.person)
    assert comment.written_by_name == world.person.full_name and comment.on_behalf_basis == ""
    assert AuditEvent.all_objects.count() == before + 1
    event = _last_event()
    assert (event.action, event.object_type, event.purpose) == (
        "create",
        "citizen_comment",
        "citizen",
    )
    page = client.get(reverse("portal:plan")).content.decode()
    assert "Jeg vil begynne med nærbutikken." in page and "Ikke svart ennå" in page


def test_comment_on_a_measure_and_empty_text_keeps_the_form(world):
    pw = make_plan_world(world)
    client = citizen_client(world.person)
    url = reverse("portal:measure_comment", args=[pw.measure.pk])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 200
    assert "Du må skrive noe her." in response.content.decode()
    client.post(url, {"text": "Fint med trening på tirsdager."})
    assert CitizenComment.all_objects.get().measure == pw.measure


def test_what_matters_does_not_change_the_plan(world):
    pw = make_plan_world(world)
    client = citizen_client(world.person)
    client.post(reverse("portal:what_matters"), {"text": "Å klare meg selv hjemme."})
    note = CitizenComment.all_objects.get()
    assert note.kind == "viktig" and note.plan == pw.plan
    assert IndividualPlan.all_objects.get(pk=pw.plan.pk).what_matters == "Å gå tur med hunden."


def test_proposal_of_a_goal(world):
    make_plan_world(world)
    client = citizen_client(world.person)
    client.post(reverse("portal:goal_propose"), {"text": "Jeg vil gå til postkassen selv."})
    proposal = CitizenComment.all_objects.get()
    assert proposal.kind == "forslag" and proposal.proposal_outcome == ""


def test_proposal_without_a_plan_is_a_plain_error(world):
    client = citizen_client(world.person)
    response = client.post(reverse("portal:goal_propose"), {"text": "Et mål"})
    assert response.status_code == 200
    assert "ingen aktiv plan" in response.content.decode()
    assert "Et mål" in response.content.decode()  # what was typed is kept
    assert not CitizenComment.all_objects.exists()


def test_message_notifies_the_coordinator_as_chosen_without_health_information(
    world, django_capture_on_commit_callbacks
):
    """The coordinator is told by a reminder, with an e-mail notice only when they
    chose e-mail (the reminder scan: tests/jobs/test_event_reminders.py)."""
    from mestring.jobs.models import NotificationPreference, Reminder
    from mestring.jobs.worker import Worker

    make_plan_world(world)
    client = citizen_client(world.person)
    body = "Jeg har mer smerter i hoften etter diabetesmedisinen."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:messages"), {"body": body})
    assert response.status_code == 302
    message = Message.all_objects.get()
    assert (message.sender_kind, message.body) == ("innbygger", body)
    assert mail.outbox == []  # in Mestring only, unless the coordinator chose e-mail
    NotificationPreference.all_objects.create(
        municipality=world.municipality, staff=world.owner, channel="epost"
    )
    Worker().drain()
    assert Reminder.all_objects.filter(
        staff=world.owner, kind="innbyggermelding", object_id=message.pk
    ).exists()
    # One notice per reminder of the coordinator's (the scan finds the plan's too).
    assert mail.outbox
    assert all(notice.to == ["eier@example.org"] for notice in mail.outbox)
    for notice in mail.outbox:
        text = f"{notice.subject}\n{notice.body}"
        assert "Du har en ny påminnelse i Mestring" in text
        for word in ("smerter", "hoften", "diabetes", world.person.given_name, "Skjermesen"):
            assert word not in text


def test_reading_messages_marks_staff_messages_read(world):
    make_plan_world(world)
    client = citizen_client(world.person)
    client.post(reverse("portal:messages"), {"body": "Hei"})
    conversation = Message.all_objects.get().conversation
    Message.all_objects.create(
        municipality=world.municipality,
        conversation=conversation,
        sender_kind="ansatt",
        sender_name="Eier",
        staff=world.owner,
        body="Svar",
    )
    assert "1 ulest melding" in client.get(reverse("portal:home")).content.decode()
    client.get(reverse("portal:messages"))
    assert Message.all_objects.filter(read_at__isnull=True, sender_kind="ansatt").count() == 0


def test_calendar_file_for_a_coming_meeting(world):
    make_plan_world(world)
    group = team_helpers.make_group(world)
    meeting = team_helpers.make_meeting(world, group, starts_at=future())
    client = citizen_client(world.person)
    assert (
        reverse("portal:meeting_ics", args=[meeting.pk])
        in client.get(reverse("portal:plan")).content.decode()
    )
    response = client.get(reverse("portal:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "Ansvarsgruppemøte" in body
    assert world.person.family_name not in body


def test_shared_minutes_only(world):
    make_plan_world(world)
    group = team_helpers.make_group(world)
    held = team_helpers.make_meeting(world, group)
    held.status, held.minutes = "avholdt", "Vi snakket om turene."
    held.save()
    private = team_helpers.make_meeting(world, group)
    private.status, private.minutes = "avholdt", "Intern vurdering."
    private.minutes_shared_with_person = False
    private.save()
    page = citizen_client(world.person).get(reverse("portal:plan")).content.decode()
    assert "Vi snakket om turene." in page
    assert "Intern vurdering." not in page


def test_decision_letter_pdf(world):
    decision = plan_helpers.make_decision(world.person, world.owner)
    client = citizen_client(world.person)
    page = client.get(reverse("portal:decisions")).content.decode()
    assert reverse("portal:decision_letter", args=[decision.pk]) in page
    response = client.get(reverse("portal:decision_letter", args=[decision.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = _last_event()
    assert (event.action, event.object_type, event.purpose) == (
        "export",
        "decision_letter",
        "citizen",
    )


def test_application_for_plan_and_coordinator_creates_a_case(world, client_for):
    client = citizen_client(world.person)
    response = client.post(reverse("portal:apply"), {"what": "begge"})
    assert response.status_code == 302
    case = Case.all_objects.get(person=world.person)
    assert (case.kind, case.applicant, case.status) == ("ip_koordinator", "personen", "mottatt")
    assert case.requests_individual_plan and case.requests_coordinator
    page = client.get(reverse("portal:decisions")).content.decode()
    assert "Søknader som behandles" in page and "Individuell plan og koordinator" in page
    # The case shows in the tjenestekontor's case list.
    lead = plan_helpers.make_lead(world)
    content = client_for(lead).get(reverse("casework:case_list")).content.decode()
    assert world.person.family_name in content


def test_application_for_a_service(world):
    service = Service.all_objects.filter(municipality=world.municipality, is_active=True).first()
    client = citizen_client(world.person)
    response = client.post(reverse("portal:apply"), {"what": "tjeneste"})
    assert response.status_code == 200 and "Velg minst én tjeneste." in response.content.decode()
    response = client.post(reverse("portal:apply"), {"what": "tjeneste", "services": [service.pk]})
    assert response.status_code == 302
    case = Case.all_objects.get(person=world.person)
    assert case.kind == "tjeneste"
    lines = ApplicationLine.all_objects.filter(case=case)
    assert list(lines.values_list("service", flat=True)) == [service.pk]


def test_consent_give_and_withdraw(world):
    client = citizen_client(world.person)
    response = client.post(
        reverse("portal:consent"), {"kind": "deling", "scope": "Dele med fysioterapeuten"}
    )
    assert response.status_code == 302
    consent = Consent.all_objects.get(person=world.person)
    assert (consent.kind, consent.given_by, consent.withdrawn_on) == ("deling", "personen", None)
    assert _last_event().action == "consent_given"
    page = client.get(reverse("portal:consent")).content.decode()
    assert "Dele med fysioterapeuten" in page
    response = client.post(reverse("portal:consent_withdraw", args=[consent.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None and consent.withdrawn_by == "personen"
    assert _last_event().action == "consent_withdrawn"
    # A withdrawn consent cannot be withdrawn again.
    assert client.get(reverse("portal:consent_withdraw", args=[consent.pk])).status_code == 404


def test_consent_page_shows_who_takes_part(world):
    pw = make_plan_world(world)
    group = team_helpers.make_group(world)
    provider = team_helpers.make_provider(world)
    team_helpers.add_provider(world, group, provider)
    page = citizen_client(world.person).get(reverse("portal:consent")).content.decode()
    assert str(pw.coordinator) in page
    assert "Frida Fysio" in page and "Fysioterapeut" in page


def test_block_request(world):
    client = citizen_client(world.person)
    response = client.post(reverse("portal:block_request"), {"text": "Naboen min på legevakten."})
    assert response.status_code == 302
    request = BlockRequest.all_objects.get()
    assert request.person == world.person and request.handled_at is None
    assert "Naboen min på legevakten." in client.get(reverse("portal:consent")).content.decode()


def test_access_log_shows_staff_and_the_person_herself(world, client_for):
    client_for(world.owner).get(reverse("people:overview", args=[world.person.pk]))
    client = citizen_client(world.person)
    client.get(reverse("portal:plan"))
    page = client.get(reverse("portal:access_log")).content.decode()
    assert world.owner.user.get_full_name() in page
    assert "Du selv" in page


def test_access_log_marks_emergency_access(world):
    from mestring.access.audit import record_event
    from mestring.tenancy.context import activate

    outsider = world.outsider
    with activate(world.municipality):
        record_event(
            actor=plan_helpers.actor_for(outsider),
            action="emergency_access",
            object_type="person",
            object_id=world.person.pk,
            person=world.person,
            purpose="emergency",
            reason_code="akutt_helsehjelp",
        )
    page = citizen_client(world.person).get(reverse("portal:access_log")).content.decode()
    assert "Nødtilgang" in page and 'class="row-emergency"' in page
    assert outsider.user.get_full_name() in page


@pytest.mark.attack
@pytest.mark.parametrize("what", ["begge", "tjeneste"])
def test_an_application_sent_twice_makes_one_case(world, what):
    """(M2) The citizen's application form, sent again (a double click, a retry), makes
    one case; a new form page makes a new one."""
    service = Service.all_objects.filter(municipality=world.municipality, is_active=True).first()
    client = citizen_client(world.person)
    page = client.get(reverse("portal:apply")).content.decode()
    token = page.split('name="submission_token" value="', 1)[1].split('"', 1)[0]
    data = {"what": what, "services": [service.pk], "submission_token": token}
    for _attempt in range(2):
        assert client.post(reverse("portal:apply"), data).status_code == 302
    assert Case.all_objects.filter(person=world.person).count() == 1
    fresh = client.get(reverse("portal:apply")).content.decode()
    assert token not in fresh
