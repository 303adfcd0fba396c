"""(L12) Names are one line: a line break or another control character in an
organisation's name is refused by the forms, and a row saved with one before (an
import, an older version) is still approved, its e-mail subject on one line."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.public.models import OrganisationEvent, OrganisationStatus, UserOrganisation
from tests.public.helpers import give_token, make_org, org_data

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

REGISTER = reverse("public:organisation_register", args=["9001"])
ONE_LINE = "Feltet kan ikke ha linjeskift eller kontrolltegn."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Synsforeningen\nlokallag"),
        ("name", "Synsforeningen\r\nBcc: alle@demo.invalid"),
        ("name", "Syns\u2028foreningen"),
        ("contact_name", "Siri\x07Syn"),
        ("phone", "123\n45678"),
    ],
)
def test_registration_refuses_line_breaks_in_one_line_fields(world, client, field, value):
    """(L12) The public registration form refuses a line break or control character
    in a one-line field with a clear error, and keeps what was typed."""
    response = client.post(REGISTER, org_data(**{field: value}))
    assert response.status_code == 200
    assert ONE_LINE in response.content.decode()
    assert not UserOrganisation.all_objects.exists()


def test_the_description_may_have_line_breaks(world, client):
    """(L12) The purpose is a text with paragraphs: line breaks are kept there."""
    response = client.post(REGISTER, org_data(purpose="Likepersoner.\n\nTreff hver tirsdag."))
    assert response.status_code == 302
    assert UserOrganisation.all_objects.get().purpose == "Likepersoner.\n\nTreff hver tirsdag."


def test_the_edit_link_and_event_forms_refuse_line_breaks(world, client):
    """(L12) The organisation's own edit page and its event form refuse them too."""
    organisation = make_org(world.municipality, name="Organisasjon")
    token = give_token(organisation)
    edit = reverse("public:organisation_edit", args=["9001", token])
    response = client.post(edit, org_data(name="Organi\nsasjon"))
    assert response.status_code == 200 and ONE_LINE in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Organisasjon"
    event = reverse("public:event_create", args=["9001", token])
    data = {"title": "Tur\ni skogen", "kind": "kurs", "starts_on": "01.01.2030", "place": "Her"}
    response = client.post(event, data)
    assert response.status_code == 200 and ONE_LINE in response.content.decode()
    assert not OrganisationEvent.all_objects.exists()


def test_approving_a_saved_name_with_a_line_break_works(world, client_for, mailoutbox):
    """(L12) A row saved with a line break in its name before the check is approved
    (no 500): the mail goes out with the name on one line in its subject."""
    organisation = make_org(
        world.municipality,
        name="Synsforeningen\nlokallag\r\nBcc: alle@demo.invalid",
        status=OrganisationStatus.PENDING,
    )
    admin = client_for(world.admin)
    url = reverse("public:organisation_approve", args=[organisation.pk])
    response = admin.post(url)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED
    assert len(mailoutbox) == 1
    subject = mailoutbox[0].subject
    assert "\n" not in subject and "\r" not in subject
    assert "Synsforeningen lokallag Bcc: alle@demo.invalid" in subject
    assert mailoutbox[0].to == [organisation.email] and not mailoutbox[0].bcc
