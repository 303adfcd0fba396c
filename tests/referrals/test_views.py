"""Pages of the referrals app: inbox, registration (both paths), a person's messages, detail."""

from __future__ import annotations

import datetime
import random
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, Block, CareRelation
from mestring.casework.models import Case
from mestring.people.identity import random_synthetic_national_id
from mestring.people.models import Person
from mestring.referrals.models import Referral, ReferralStatusChange
from tests import factories
from tests.conftest import login
from tests.referrals.helpers import make_referral

pytestmark = pytest.mark.django_db

INBOX = "/meldinger/"
REGISTER = "/meldinger/ny/"


def detail_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.person_id, referral.pk])


def text(response) -> str:
    """The page's text without tags, with whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


def rows(response) -> list[str]:
    """The text of each body row of the first table."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr>")[1:]
    ]


# --- The inbox


def test_paths_are_norwegian():
    assert reverse("referrals:inbox") == INBOX
    assert reverse("referrals:register") == REGISTER
    assert reverse("referrals:person_referrals", args=[7]) == "/personer/7/meldinger/"
    assert reverse("referrals:detail", args=[7, 9]) == "/personer/7/meldinger/9/"


@pytest.mark.parametrize("who", ["outsider", "owner", "read_only", "admin"])
def test_inbox_needs_the_register_permission(world, client_for, who):
    make_referral(world.person)
    before = AuditEvent.all_objects.count()
    response = client_for(getattr(world, who)).get(INBOX)
    assert response.status_code == 403
    assert world.person.family_name not in response.content.decode()
    refusal = AuditEvent.all_objects.latest("seq")
    assert AuditEvent.all_objects.count() == before + 1
    assert (refusal.outcome, refusal.object_id) == ("refused", "referrals:inbox")


def test_inbox_shows_new_and_overdue_with_counts_and_tabs(world, lead):
    other = factories.PersonFactory(municipality=world.municipality, family_name="Eldresen")
    factories.grant_relation(lead, world.person)
    # Some weeks ahead, so that "late" is overdue by the configured 14 days and no other.
    day = timezone.localdate() + datetime.timedelta(days=60)
    late = make_referral(other, received_on=day - datetime.timedelta(days=20))
    urgent = make_referral(
        world.person, received_on=day - datetime.timedelta(days=1), urgency="haster"
    )
    assessing = make_referral(
        world.person, received_on=day - datetime.timedelta(days=2), status="under_vurdering"
    )
    make_referral(world.person, received_on=day, status="avsluttet")  # handled: not in the inbox
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False):
        client = login(Client(), lead)  # logged in then, or the session would have expired
        response = client.get(INBOX)
        page = text(response)
        assert "Alle åpne (3)" in page and "Nye (2)" in page
        assert "Under vurdering (1)" in page and "Forfalt (1)" in page
        shown = rows(response)
        # Urgent first, then the oldest first.
        expected_days = [day - datetime.timedelta(days=n) for n in (1, 20, 2)]
        assert [r.split()[0] for r in shown] == [f"{d:%d.%m.%Y}" for d in expected_days]
        assert "Haster" in shown[0] and "Ny" in shown[0]
        assert "Forfalt" in shown[1] and "Eldresen" in shown[1] and "Ingen tilgang" in shown[1]
        assert "Forfalt" not in shown[0] + shown[2]
        # Links only to persons the lead may open.
        assert detail_url(urgent) in response.content.decode()
        assert detail_url(late) not in response.content.decode()
        assert "Gi tilgang" in shown[1]  # leder_ke may grant access

        def listed(view: str) -> list[int]:
            found = client.get(INBOX, {"vis": view}).context["page"].object_list
            return [r.pk for r in found]

        assert listed("nye") == [urgent.pk, late.pk]
        assert listed("vurdering") == [assessing.pk]
        assert listed("forfalt") == [late.pk]
        assert listed("tull") == [urgent.pk, late.pk, assessing.pk]
        newest_first = client.get(INBOX, {"sort": "-mottatt"}).context["page"].object_list
        assert [r.pk for r in newest_first] == [urgent.pk, assessing.pk, late.pk]
    # (M5) Each person the inbox names has the view in their access log, on the ground
    # of the intake office's work.
    event = AuditEvent.all_objects.filter(object_type="referral_inbox").latest("seq")
    assert (event.outcome, event.action) == ("allowed", "view")
    assert event.person_id in {urgent.person_id, late.person_id, assessing.person_id}
    assert event.reason_code in ("enhetens_arbeid", "mottak", "manuell", "tjenesteyter")


def test_inbox_queries_do_not_grow_with_the_list(world, client_for, lead):
    client = client_for(lead)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INBOX)
        assert response.status_code == 200
        return len(queries)

    for _ in range(2):
        make_referral(factories.PersonFactory(municipality=world.municipality))
    few = count_queries()
    for index in range(30):
        person = factories.PersonFactory(municipality=world.municipality)
        make_referral(person, urgency="haster" if index % 2 else "normal")
        if index % 3 == 0:
            factories.grant_relation(lead, person)
    assert count_queries() == few
    assert len(client.get(INBOX).context["page"].object_list) == 25  # paginated


def test_person_list_queries_do_not_grow(world, client_for):
    client = client_for(world.owner)
    url = reverse("referrals:person_referrals", args=[world.person.pk])
    unit = factories.UnitFactory(municipality=world.municipality, name="Fastlegekontoret")
    make_referral(world.person, source_unit=unit)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        make_referral(world.person, source_unit=unit, status="videresendt", forwarded_to=unit)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert len(rows(response)) == 11
    assert "Fastlegekontoret" in text(response)


# --- Registration


def base_data(**extra) -> dict[str, str]:
    return {
        "source": "fastlege",
        "received_on": timezone.localdate().strftime("%d.%m.%Y"),
        "urgency": "normal",
        "description": "Trenger opptrening etter hoftebrudd.",
        **extra,
    }


def test_register_page_offers_both_paths(world, client_for):
    response = client_for(world.caseworker).get(REGISTER)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="eksisterende"' in page and 'value="ny"' in page
    assert 'name="q"' in page and 'name="given_name"' in page and 'name="description"' in page
    assert timezone.localdate().strftime("%d.%m.%Y") in page  # received today by default


def test_search_keeps_input_and_shows_only_name_and_birth_date(world, client_for):
    world.person.phone = "99887766"
    world.person.save(update_fields=["phone"])
    client = client_for(world.caseworker)
    response = client.post(REGISTER, base_data(q="Skjerm", sok="1", description="Mitt utkast"))
    assert response.status_code == 200
    page = response.content.decode()
    born = world.person.birth_date.strftime("%d.%m.%Y")
    assert f"Skjermesen, Gunnhild (født {born})" in page
    assert "99887766" not in page and world.person.national_id not in page
    assert "Mitt utkast" in page  # nothing typed is lost
    assert "Rett opp dette" not in page  # a search is not a failed submit
    assert not Referral.all_objects.exists()
    search = AuditEvent.all_objects.latest("seq")
    assert (search.action, search.object_type, search.object_id) == ("search", "person_search", "1")


def test_register_for_existing_person(world, client_for):
    client = client_for(world.caseworker)
    response = client.post(
        REGISTER, base_data(who="eksisterende", q="Skjermesen", person=world.person.pk)
    )
    referral = Referral.all_objects.get()
    assert response.status_code == 302 and response.url == detail_url(referral)
    assert (referral.person, referral.registered_by) == (world.person, world.caseworker)
    # The caseworker had no relation; now they can open what they registered.
    assert CareRelation.all_objects.filter(staff=world.caseworker, person=world.person).exists()
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Trenger opptrening etter hoftebrudd." in page.content.decode()


def test_existing_path_needs_a_chosen_person(world, client_for):
    client = client_for(world.caseworker)
    response = client.post(REGISTER, base_data(who="eksisterende"))
    assert "Søk opp personen meldingen gjelder, og velg den i listen." in text(response)
    assert 'href="#id_q"' in response.content.decode()
    response = client.post(REGISTER, base_data(who="eksisterende", q="Skjermesen"))
    assert "Velg personen meldingen gjelder i listen." in text(response)
    assert 'href="#id_person_0"' in response.content.decode()
    assert not Referral.all_objects.exists()


def test_register_for_new_person(world, client_for):
    client = client_for(world.caseworker)
    number = random_synthetic_national_id(random.Random(5), datetime.date(1949, 2, 11))
    data = base_data(
        who="ny",
        given_name="Nora",
        family_name="Nymelding",
        birth_date="11.02.1949",
        national_id=number,
        source="helseforetak",
        urgency="haster",
    )
    response = client.post(REGISTER, data)
    person = Person.all_objects.get(family_name="Nymelding")
    referral = Referral.all_objects.get()
    assert response.status_code == 302 and response.url == detail_url(referral)
    assert (person.national_id, person.birth_date) == (number, datetime.date(1949, 2, 11))
    assert (referral.person, referral.source, referral.urgency) == (
        person,
        "helseforetak",
        "haster",
    )
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"national_id": "wrong-control"}, "Kontrollsifrene stemmer ikke."),
        ({"national_id": "1234"}, "Fødselsnummeret må ha 11 siffer."),
        ({"birth_date": "31.02.1950"}, "Datoen må skrives som dd.mm.åååå."),
        ({"given_name": ""}, "Skriv inn fornavn."),
    ],
)
def test_new_person_errors_keep_input(world, client_for, extra, message):
    if extra.get("national_id") == "wrong-control":
        valid = random_synthetic_national_id(random.Random(3), datetime.date(1949, 2, 11))
        extra = {"national_id": valid[:-1] + str((int(valid[-1]) + 1) % 10)}
    person = {"given_name": "Nora", "family_name": "Nymelding", "birth_date": "11.02.1949"}
    data = base_data(who="ny", **{**person, **extra})
    response = client_for(world.caseworker).post(REGISTER, data)
    assert response.status_code == 200
    assert message in text(response)
    page = response.content.decode()
    assert 'value="Nymelding"' in page
    assert "Trenger opptrening etter hoftebrudd." in page
    assert not Person.all_objects.filter(family_name="Nymelding").exists()
    assert not Referral.all_objects.exists()


def test_new_person_with_a_taken_number_is_pointed_to_search(world, client_for):
    data = base_data(
        who="ny",
        given_name="Gunnhild",
        family_name="Skjermesen",
        birth_date=world.person.birth_date.strftime("%d.%m.%Y"),
        national_id=world.person.national_id,
    )
    response = client_for(world.caseworker).post(REGISTER, data)
    assert "Velg «Eksisterende person» og søk opp personen." in text(response)
    assert Person.all_objects.count() == 1


def test_message_fields_are_checked(world, client_for):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    response = client_for(world.caseworker).post(
        REGISTER,
        {
            "who": "eksisterende",
            "q": "Skjermesen",
            "person": world.person.pk,
            "received_on": tomorrow,
        },
    )
    page = text(response)
    assert "Velg hvem meldingen kom fra." in page
    assert "Beskriv behovet." in page
    assert "Mottatt-datoen kan ikke være fram i tid." in page
    assert f'value="{tomorrow}"' in response.content.decode()
    radio = re.search(r'<input[^>]*id="id_person_0"[^>]*>', response.content.decode()).group(0)
    assert f'value="{world.person.pk}"' in radio and "checked" in radio


def test_who_must_be_chosen(world, client_for):
    response = client_for(world.caseworker).post(REGISTER, base_data())
    assert "Velg om meldingen gjelder en eksisterende eller ny person." in text(response)
    assert "Skriv inn fornavn." not in text(response)


def test_register_needs_the_permission(world, client_for):
    response = client_for(world.owner).post(REGISTER, base_data(who="ny", given_name="X"))
    assert response.status_code == 403
    assert not Referral.all_objects.exists()


# --- The person's messages and the detail page


def test_outsider_is_refused_on_every_person_page(world, client_for):
    referral = make_referral(world.person)
    client = client_for(world.outsider)
    urls = [reverse("referrals:person_referrals", args=[world.person.pk]), detail_url(referral)]
    for url in urls:
        for method, data in (
            ("get", {}),
            ("post", {"action": "status", "status-to_status": "avsluttet", "status-reason": "x"}),
        ):
            before = AuditEvent.all_objects.count()
            response = getattr(client, method)(url, data)
            assert response.status_code == 403, url
            assert world.person.family_name not in response.content.decode()
            assert AuditEvent.all_objects.count() == before + 1
            assert AuditEvent.all_objects.latest("seq").outcome == "refused"
    assert Referral.all_objects.get().status == "mottatt"


def test_another_persons_message_is_not_found(world, client_for):
    other = factories.PersonFactory(municipality=world.municipality)
    foreign = make_referral(other)
    url = reverse("referrals:detail", args=[world.person.pk, foreign.pk])
    assert client_for(world.owner).get(url).status_code == 404


def test_detail_shows_history_and_triage_with_suggestion_and_overrule(world, client_for):
    referral = make_referral(world.person)
    client = client_for(world.owner)
    page = client.get(detail_url(referral))
    assert page.status_code == 200
    assert "snittet av de tre skårene er 2,33 eller lavere" in text(page)
    data = {
        "action": "triage",
        "triage-pyramid_level": "4",
        "triage-competence": "2",
        "triage-complexity": "2",
        "triage-intensity": "3",
        "triage-care_place": "spesialist",
    }
    response = client.post(detail_url(referral), data)
    assert response.status_code == 302
    page = text(client.get(detail_url(referral)))
    assert "Vurderingen er lagret." in page
    assert "Forslag Kommunen (snitt 2,33)" in page
    assert "Valgt Spesialisthelsetjenesten Forslaget er overstyrt" in page
    assert "Mottatt Under vurdering" in page  # the history row
    referral.refresh_from_db()
    assert (referral.status, referral.care_place, referral.suggested_place) == (
        "under_vurdering",
        "spesialist",
        "kommune",
    )


def test_triage_errors_keep_input(world, client_for):
    referral = make_referral(world.person)
    response = client_for(world.owner).post(
        detail_url(referral),
        {"action": "triage", "triage-pyramid_level": "2", "triage-competence": "4"},
    )
    assert response.status_code == 200
    assert text(response).count("Velg en skår fra 1 til 5.") == 4  # summary and fields: 2 each
    assert '<option value="4" selected>' in response.content.decode()
    assert Referral.all_objects.get().triaged_at is None


def test_status_form_requires_unit_and_reason_to_forward(world, client_for):
    referral = make_referral(world.person)
    unit = factories.UnitFactory(municipality=world.municipality, name="Sykehuset")
    client = client_for(world.owner)
    response = client.post(
        detail_url(referral), {"action": "status", "status-to_status": "videresendt"}
    )
    page = text(response)
    assert "Velg hvilken enhet meldingen sendes videre til." in page
    assert "Skriv hvorfor meldingen sendes videre." in page
    assert Referral.all_objects.get().status == "mottatt"
    response = client.post(
        detail_url(referral),
        {
            "action": "status",
            "status-to_status": "videresendt",
            "status-forwarded_to": unit.pk,
            "status-reason": "Trenger spesialisert rehabilitering",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.forwarded_to, referral.status_reason) == (
        "videresendt",
        unit,
        "Trenger spesialisert rehabilitering",
    )
    page = text(client.get(detail_url(referral)))
    assert "Videresendt til Sykehuset" in page
    assert "Opprett sak fra meldingen" not in page  # a handled message offers no actions


def test_a_refused_transition_is_shown_on_the_form(world, client_for):
    referral = make_referral(world.person, status="under_vurdering")
    response = client_for(world.owner).post(
        detail_url(referral), {"action": "status", "status-to_status": "under_vurdering"}
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in text(response)  # not offered from under vurdering
    assert len(ReferralStatusChange.all_objects.filter(referral=referral)) == 1


def test_open_case_from_the_detail_page(world, client_for):
    received = timezone.localdate() - datetime.timedelta(days=3)
    referral = make_referral(world.person, received_on=received)
    client = client_for(world.owner)
    response = client.post(detail_url(referral), {"action": "case"})
    assert "Kryss av for individuell plan, koordinator eller begge." in text(response)
    assert not Case.all_objects.exists()
    response = client.post(
        detail_url(referral),
        {"action": "case", "sak-requests_coordinator": "on", "sak-caseworker": world.caseworker.pk},
    )
    assert response.status_code == 302 and response.url == detail_url(referral)
    case = Case.all_objects.get()
    assert (case.referral, case.received_on, case.requests_coordinator) == (
        referral,
        received,
        True,
    )
    page = text(client.get(detail_url(referral)))
    assert "Sak opprettet" in page
    assert f"saken regnes som mottatt {received:%d.%m.%Y}" in page
    assert Referral.all_objects.get().status == "sak_opprettet"


def test_one_audit_row_per_response(world, client_for):
    referral = make_referral(world.person)
    client = client_for(world.owner)
    before = AuditEvent.all_objects.count()
    client.get(detail_url(referral))
    view = AuditEvent.all_objects.latest("seq")
    assert AuditEvent.all_objects.count() == before + 1
    assert (view.action, view.object_type, view.person_id) == ("view", "referral", world.person.pk)
    client.post(detail_url(referral), {"action": "status", "status-to_status": "avsluttet"})
    assert AuditEvent.all_objects.count() == before + 2  # a form with errors is a read
    client.post(
        detail_url(referral),
        {"action": "status", "status-to_status": "avsluttet", "status-reason": "Dekket"},
    )
    write = AuditEvent.all_objects.latest("seq")
    assert AuditEvent.all_objects.count() == before + 3
    assert (write.action, write.object_id, write.reason_code) == (
        "status_avsluttet",
        str(referral.pk),
        "tjenesteyter",
    )


def test_suggestion_endpoint(world, client_for):
    client = client_for(world.outsider)
    url = reverse("referrals:suggestion")
    full = client.get(
        url, {"triage-competence": "4", "triage-complexity": "4", "triage-intensity": "3"}
    )
    assert "Forslag: Spesialisthelsetjenesten" in text(full) and "3,67" in text(full)
    partial = client.get(url, {"triage-competence": "4", "triage-complexity": "9"})
    assert "Velg skår for alle tre faktorene" in text(partial)


def test_registrar_blocked_by_the_person_is_sent_to_the_inbox(world, client_for):
    Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=world.caseworker
    )
    client = client_for(world.caseworker)
    response = client.post(
        REGISTER, base_data(who="eksisterende", q="Skjermesen", person=world.person.pk)
    )
    assert response.status_code == 302 and response.url == INBOX
    referral = Referral.all_objects.get()
    # The message is saved, but the block still wins over the relation the service gave.
    assert client.get(detail_url(referral)).status_code == 403


def test_rows_of_another_municipality_stay_out(world, client_for, lead):
    municipality_b = factories.make_municipality("9002", "Annenkommune")
    person_b = factories.PersonFactory(municipality=municipality_b, family_name="Bortenfor")
    referral_b = make_referral(person_b)
    client = client_for(lead)
    assert "Bortenfor" not in client.get(INBOX).content.decode()
    assert client.get(detail_url(referral_b)).status_code == 403
    # A's person with B's message id: not found.
    factories.grant_relation(lead, world.person)
    url = reverse("referrals:detail", args=[world.person.pk, referral_b.pk])
    assert client.get(url).status_code == 404
    response = client.post(REGISTER, base_data(who="eksisterende", q="Bortenfor", sok="1"))
    assert "Ingen personer passer med søket." in text(response)
    assert "Bortenfor" not in text(response)  # the typed query sits in an attribute only


def test_enter_in_the_new_persons_fields_keeps_that_path(world, client_for):
    # Enter in a text field presses the form's first button, the search.
    data = base_data(who="ny", q="", sok="1", given_name="Nora")
    response = client_for(world.caseworker).post(REGISTER, data)
    radio = re.search(r'<input[^>]*value="ny"[^>]*>', response.content.decode()).group(0)
    assert "checked" in radio
    assert 'value="Nora"' in response.content.decode()
    assert "Rett opp dette" not in text(response)


# --- The registrar's intake relation (M1a)


@pytest.mark.attack
def test_registering_opens_the_message_only_for_a_few_days_and_is_reviewed(world, client_for, lead):
    """(M1a) Registering a message of need about any person opens only that person's
    messages, for a few days, and puts the relation in the leader's review queue; the
    rest of the record stays closed."""
    client = client_for(world.caseworker)
    response = client.post(
        REGISTER, base_data(who="eksisterende", q="Skjermesen", person=world.person.pk)
    )
    referral = Referral.all_objects.get()
    assert response.status_code == 302 and response.url == detail_url(referral)
    # The message pages open …
    assert client.get(detail_url(referral)).status_code == 200
    messages_url = reverse("referrals:person_referrals", args=[world.person.pk])
    assert client.get(messages_url).status_code == 200
    # … the record does not, and the refusal is logged.
    for name in ("people:overview", "access:person_consents", "institutions:person_stays"):
        assert client.get(reverse(name, args=[world.person.pk])).status_code == 403
    assert AuditEvent.all_objects.filter(
        user=world.caseworker.user, person=world.person, outcome="refused"
    ).exists()
    relation = CareRelation.all_objects.get(staff=world.caseworker, person=world.person)
    assert relation.kind == "mottak" and relation.needs_review
    # In the review queue for a leader.
    queue = client_for(lead).get(reverse("access:emergency_reviews"))
    assert queue.status_code == 200
    assert reverse("access:relation_review", args=[relation.pk]) in queue.content.decode()
    # Gone after the intake period (three days).
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3, minutes=1)):
        assert client_for(world.caseworker).get(detail_url(referral)).status_code == 403
