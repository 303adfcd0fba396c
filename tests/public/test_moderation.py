"""User organisations: the public form, moderation by staff, the personal link and a
new link on request; every write audited, refusals for staff without ADMIN_UNITS."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, AuditOutcome
from mestring.public.models import OrganisationEvent, OrganisationStatus, UserOrganisation
from mestring.public.services import hash_token
from tests.public.helpers import give_token, make_event, make_org, org_data, token_from_mail

pytestmark = pytest.mark.django_db

REGISTER = reverse("public:organisation_register", args=["9001"])
CATALOGUE = reverse("public:catalogue", args=["9001"])
MODERATION = reverse("public:moderation")


def edit_url(token: str) -> str:
    return reverse("public:organisation_edit", args=["9001", token])


def audit(action: str, object_type: str = "user_organisation") -> list[AuditEvent]:
    return list(AuditEvent.all_objects.filter(action=action, object_type=object_type))


def test_the_whole_moderation_flow(world, client, client_for, mailoutbox):
    # An organisation registers itself: pending, not shown.
    response = client.post(REGISTER, org_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("public:organisation_registered", args=["9001"])
    assert "Takk for registreringen" in client.get(response["Location"]).content.decode()
    organisation = UserOrganisation.all_objects.get()
    assert organisation.status == OrganisationStatus.PENDING
    assert organisation.municipality == world.municipality
    assert "Synsforeningen lokallag" not in client.get(CATALOGUE).content.decode()
    created = audit("create")
    assert len(created) == 1
    assert created[0].user_id is None and created[0].role == "offentlig skjema"
    assert created[0].object_id == str(organisation.pk)
    assert created[0].client_address == "127.0.0.1"

    # Staff see it pending and approve it: an e-mail with the personal link.
    admin = client_for(world.admin)
    listing = admin.get(MODERATION).content.decode()
    assert "Synsforeningen lokallag" in listing
    detail = reverse("public:moderation_detail", args=[organisation.pk])
    assert admin.get(detail).status_code == 200
    approve = reverse("public:organisation_approve", args=[organisation.pk])
    assert admin.post(approve).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED
    assert organisation.approved_by == world.admin
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["syn@demo.invalid"]
    token = token_from_mail(mail)
    assert f"http://testserver{edit_url(token)}" in mail.body
    # Only the hash of the token is stored.
    assert organisation.edit_token_hash == hash_token(token)
    assert token not in organisation.edit_token_hash
    assert organisation.edit_token_expires_at > timezone.now() + datetime.timedelta(days=89)
    approved = audit("approve")
    assert len(approved) == 1 and approved[0].username == world.admin.user.username
    assert "Synsforeningen lokallag" in client.get(CATALOGUE).content.decode()

    # The organisation edits its entry and adds an event through the link, no login.
    page = client.get(edit_url(token))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    changed = client.post(edit_url(token), org_data(purpose="Nytt formål: treff hver tirsdag."))
    assert changed.status_code == 302
    add = reverse("public:event_create", args=["9001", token])
    future = (timezone.localdate() + datetime.timedelta(days=14)).strftime("%d.%m.%Y")
    response = client.post(
        add,
        {"title": "Høstmøte", "kind": "arrangement", "starts_on": future, "place": "Biblioteket"},
    )
    assert response.status_code == 302
    event = OrganisationEvent.all_objects.get()
    html = client.get(CATALOGUE).content.decode()
    assert "Nytt formål: treff hver tirsdag." in html
    assert "Høstmøte" in html
    updates = audit("update")
    assert len(updates) == 1 and updates[0].role == "brukerorganisasjon (personlig lenke)"
    assert len(audit("create", "organisation_event")) == 1

    # ...edits and removes the event.
    event_url = reverse("public:event_edit", args=["9001", token, event.pk])
    client.post(event_url, {"title": "Vintermøte", "kind": "kurs", "starts_on": future})
    event.refresh_from_db()
    assert event.title == "Vintermøte"
    delete = reverse("public:event_delete", args=["9001", token, event.pk])
    assert client.post(delete).status_code == 302
    assert not OrganisationEvent.all_objects.exists()
    assert len(audit("delete", "organisation_event")) == 1


def test_registration_errors_keep_what_was_typed(world, client):
    response = client.post(
        REGISTER, org_data(email="ikke-en-adresse", website="ikke en nettside", purpose="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv en gyldig e-postadresse" in html
    assert "Skriv en gyldig nettadresse" in html
    assert "Skriv kort om formålet og tilbudet deres." in html
    assert 'value="Synsforeningen lokallag"' in html
    assert 'value="ikke-en-adresse"' in html
    assert not UserOrganisation.all_objects.exists()


def test_honeypot_filled_saves_nothing_but_answers_the_same(world, client):
    response = client.post(REGISTER, org_data(nettsted_adresse="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:organisation_registered", args=["9001"])
    assert not UserOrganisation.all_objects.exists()
    assert not audit("create")
    # The field is on the form, hidden from people.
    html = client.get(REGISTER).content.decode()
    assert 'name="nettsted_adresse"' in html and 'tabindex="-1"' in html


def test_reject_needs_a_reason_and_is_audited(world, client_for, client):
    organisation = make_org(
        world.municipality, name="Tvilsomt lag", status=OrganisationStatus.PENDING
    )
    admin = client_for(world.admin)
    url = reverse("public:organisation_reject", args=[organisation.pk])
    response = admin.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Skriv en grunn til at organisasjonen avvises." in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING
    assert admin.post(url, {"reason": "Ikke en brukerorganisasjon."}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.REJECTED
    assert organisation.rejection_reason == "Ikke en brukerorganisasjon."
    assert len(audit("reject")) == 1
    assert organisation.name not in client.get(CATALOGUE).content.decode()


def test_rejecting_an_approved_entry_unpublishes_it_and_ends_its_link(world, client_for, client):
    organisation = make_org(world.municipality, name="Publisert lag")
    token = give_token(organisation)
    assert client.get(edit_url(token)).status_code == 200
    url = reverse("public:organisation_reject", args=[organisation.pk])
    client_for(world.admin).post(url, {"reason": "Lagt ned."})
    assert "Publisert lag" not in client.get(CATALOGUE).content.decode()
    assert client.get(edit_url(token)).status_code == 404


def test_invalid_and_expired_links_give_clear_pages(world, client):
    response = client.get(edit_url("finnes-ikke"))
    assert response.status_code == 404
    assert "Lenken virker ikke" in response.content.decode()
    organisation = make_org(world.municipality)
    token = give_token(organisation, days=-1)
    response = client.get(edit_url(token))
    assert response.status_code == 410
    assert "Lenken er utløpt" in response.content.decode()
    # A post through an expired link changes nothing.
    assert client.post(edit_url(token), org_data(name="Kapret")).status_code == 410
    organisation.refresh_from_db()
    assert organisation.name == "Organisasjon"
    # A link of a pending organisation does not work either.
    pending = make_org(world.municipality, name="Venter", status=OrganisationStatus.PENDING)
    assert client.get(edit_url(give_token(pending))).status_code == 404
    # The link is bound to its municipality.
    assert client.get(reverse("public:organisation_edit", args=["9999", token])).status_code == 404


def test_a_link_reaches_only_its_own_organisations_events(world, client):
    mine = make_org(world.municipality, name="Mitt lag")
    theirs = make_org(world.municipality, name="Deres lag", email="deres@demo.invalid")
    event = make_event(theirs, "Deres treff", 5)
    token = give_token(mine)
    url = reverse("public:event_edit", args=["9001", token, event.pk])
    assert client.get(url).status_code == 404
    delete = reverse("public:event_delete", args=["9001", token, event.pk])
    assert client.post(delete).status_code == 404
    assert OrganisationEvent.all_objects.filter(pk=event.pk).exists()


def test_event_form_errors_keep_input(world, client):
    token = give_token(make_org(world.municipality))
    url = reverse("public:event_create", args=["9001", token])
    response = client.post(url, {"title": "Treff", "kind": "kurs", "starts_on": "32.13.2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Datoen må skrives som dd.mm.åååå." in html
    assert 'value="32.13.2026"' in html


def test_new_link_request_answers_the_same_whatever_the_address(world, client, mailoutbox):
    url = reverse("public:link_request", args=["9001"])
    organisation = make_org(world.municipality, email="kjent@demo.invalid")
    old = give_token(organisation)
    make_org(world.municipality, name="Venter", email="venter@demo.invalid", status="venter")
    answers = []
    for email in ("ukjent@demo.invalid", "venter@demo.invalid", "KJENT@demo.invalid"):
        response = client.post(url, {"email": email}, follow=True)
        assert response.status_code == 200
        answers.append(response.content.decode().split("<main")[1].split("</main>")[0])
    assert answers[0] == answers[1] == answers[2]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["kjent@demo.invalid"]
    new = token_from_mail(mailoutbox[0])
    assert client.get(edit_url(new)).status_code == 200
    assert client.get(edit_url(old)).status_code == 404  # the new link replaces the old one
    assert len(audit("issue_link")) == 1
    bad = client.post(url, {"email": "ikke gyldig"})
    assert bad.status_code == 200
    assert "Skriv en gyldig e-postadresse" in bad.content.decode()


STAFF_PAGES = [
    ("get", "public:moderation", False),
    ("get", "public:moderation_detail", True),
    ("post", "public:organisation_approve", True),
    ("post", "public:organisation_reject", True),
    ("get", "public:profile_edit", False),
]


@pytest.mark.parametrize(("method", "name", "with_id"), STAFF_PAGES)
def test_staff_without_admin_units_are_refused(world, client_for, client, method, name, with_id):
    organisation = make_org(world.municipality, status=OrganisationStatus.PENDING)
    url = reverse(name, args=[organisation.pk] if with_id else [])
    for staff in (world.outsider, world.caseworker, world.owner):
        response = getattr(client_for(staff), method)(url, {"reason": "x"})
        assert response.status_code == 403
    assert getattr(client, method)(url).status_code == 302  # anonymous: to the login page
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING
    refusals = AuditEvent.all_objects.filter(
        outcome=AuditOutcome.REFUSED, object_type="page", object_id=name
    )
    assert refusals.count() == 3


def test_moderation_of_another_municipalitys_organisation_is_404(world, client_for):
    from tests import factories

    other = factories.make_municipality("9002", "Annenkommune")
    organisation = make_org(other, status=OrganisationStatus.PENDING)
    admin = client_for(world.admin)
    assert admin.get(reverse("public:moderation_detail", args=[organisation.pk])).status_code == 404
    assert (
        admin.post(reverse("public:organisation_approve", args=[organisation.pk])).status_code
        == 404
    )
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING


def test_moderation_list_needs_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    admin = client_for(world.admin)
    admin.get(MODERATION)
    for index in range(30):
        make_org(world.municipality, name=f"Lag {index}", status=OrganisationStatus.PENDING)
    with django_assert_max_num_queries(14):
        response = admin.get(MODERATION)
    assert response.content.decode().count("/admin/brukerorganisasjoner/") >= 25


def test_profile_edit_saves_and_shows_on_the_public_page(world, client_for, client):
    from tests import factories

    unit = factories.UnitFactory(municipality=world.municipality, name="Koordinerende enhet")
    admin = client_for(world.admin)
    url = reverse("public:profile_edit")
    assert admin.get(url).status_code == 200
    data = {
        "intro": "Velkommen.",
        "how_to_apply": "Ring oss.",
        "coordinating_unit": str(unit.pk),
        "phone": "11 22 33 44",
        "email": "ke@demo.invalid",
        "address": "Torget 1",
        "opening_hours": "08–15",
    }
    assert admin.post(url, data).status_code == 302
    assert len(audit("update", "public_profile")) == 1
    html = client.get(CATALOGUE).content.decode()
    for text in ("Velkommen.", "Ring oss.", "Koordinerende enhet", "11 22 33 44", "Torget 1"):
        assert text in html
    bad = admin.post(url, {**data, "email": "feil"})
    assert bad.status_code == 200
    assert 'value="feil"' in bad.content.decode()


def test_approval_stands_when_the_mail_server_fails(world, client_for, monkeypatch):
    def refuse(**kwargs: object) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr("mestring.public.services.send_mail", refuse)
    organisation = make_org(world.municipality, status=OrganisationStatus.PENDING)
    admin = client_for(world.admin)
    url = reverse("public:organisation_approve", args=[organisation.pk])
    response = admin.post(url, follow=True)
    assert response.status_code == 200
    assert "kunne ikke sendes" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED
