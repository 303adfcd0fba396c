"""The whole citizen login through the development provider, with the test client:
the page, the provider, the callback, choosing whose pages to show, and logout."""

from __future__ import annotations

import datetime
import random
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.people.identity import random_synthetic_national_id
from mestring.people.models import ActingBasis, RelationType
from mestring.portal import devprovider, oidc
from mestring.portal.session import SESSION_KEY
from tests import factories
from tests.portal.login_helpers import dev_login

pytestmark = pytest.mark.django_db
HOME = "/min-side/"  # portal:home (helper "pages")


@pytest.fixture(autouse=True)
def _dev_provider(settings):
    settings.MESTRING_DEV_OIDC = True
    settings.MESTRING_OIDC_ISSUER = ""
    settings.MESTRING_OIDC_MIN_ACR = "idporten-loa-high"
    oidc.clear_cache()
    yield
    oidc.clear_cache()


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


@pytest.fixture
def family(world):
    """A parent with their own record and a child of 10 they have parental responsibility
    for; an adult with a guardian; a relative without a right to act."""
    rng = random.Random(9)
    municipality = world.municipality
    parent = factories.PersonFactory(
        municipality=municipality, given_name="Siri", family_name="Forelder"
    )
    child = factories.PersonFactory(
        municipality=municipality,
        given_name="Mia",
        family_name="Forelder",
        birth_date=years_ago(10),
    )
    parent_as_relative = factories.RelativeFactory(
        person=child,
        name="Siri Forelder",
        relation=RelationType.PARENT,
        acting_basis=ActingBasis.PARENTAL_RESPONSIBILITY,
        national_id=parent.national_id,
    )
    bystander = factories.RelativeFactory(
        person=world.person,
        name="Nils Nabo",
        relation=RelationType.FRIEND,
        acting_basis="",
        national_id=random_synthetic_national_id(rng, years_ago(50)),
    )
    guardian = factories.RelativeFactory(
        person=world.person,
        name="Vera Verge",
        relation=RelationType.GUARDIAN,
        acting_basis=ActingBasis.GUARDIANSHIP,
        national_id=random_synthetic_national_id(rng, years_ago(45)),
    )
    return {
        "parent": parent,
        "child": child,
        "parent_as_relative": parent_as_relative,
        "bystander": bystander,
        "guardian": guardian,
    }


def citizen(client: Client) -> dict | None:
    return client.session.get(SESSION_KEY)


def login_events(outcome: str | None = None):
    events = AuditEvent.all_objects.filter(object_type="innbygger_innlogging")
    return events.filter(outcome=outcome) if outcome else events


def start_only(client: Client, world) -> object:
    """Log in on the provider, but stop before the callback."""
    return dev_login(client, kommune="9001", som=f"person:{world.person.pk}", follow_callback=False)


# --- The login page


def test_login_page_explains_and_offers_the_button(client, world):
    response = client.get(reverse("portal:login"), {"kommune": "9001"})
    assert response.status_code == 200
    assert "ID-porten" in response.text
    assert f"{reverse('portal:login_start')}?kommune=9001" in response.text


def test_login_page_without_municipality_offers_a_choice(client, world):
    factories.make_municipality("9002", "Annenkommune")
    response = client.get(reverse("portal:login"))
    assert response.status_code == 200
    assert 'name="kommune"' in response.text and "Annenkommune" in response.text
    unknown = client.get(reverse("portal:login"), {"kommune": "0000"})
    assert unknown.status_code == 200
    assert "Vi fant ikke kommunen" in unknown.text


def test_start_with_unknown_municipality_goes_back_to_the_login_page(client, world):
    response = client.get(reverse("portal:login_start"), {"kommune": "0000"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")


def test_start_sends_state_nonce_pkce_and_the_minimum_level(client, world):
    response = client.get(reverse("portal:login_start"), {"kommune": "9001"})
    params = parse_qs(urlsplit(response["Location"]).query)
    pending = client.session[oidc.PENDING_KEY]
    assert params["state"] == [pending["state"]]
    assert params["nonce"] == [pending["nonce"]]
    assert params["code_challenge"] == [oidc.pkce_challenge(pending["verifier"])]
    assert params["code_challenge_method"] == ["S256"]
    assert params["acr_values"] == ["idporten-loa-high"]
    assert pending["municipality_id"] == world.municipality.pk


# --- The callback


def test_person_with_only_their_own_record_lands_on_their_pages(client, world):
    response = dev_login(client, kommune="9001", som=f"person:{world.person.pk}")
    assert response.status_code == 302 and response["Location"] == HOME
    data = citizen(client)
    assert data["national_id"] == world.person.national_id
    assert data["acting_for_id"] == world.person.pk
    assert data["acr"] == "idporten-loa-high"
    event = login_events("allowed").get()
    # The login names the citizen, and that it was the person's own (L1).
    assert event.username == world.person.full_name
    assert event.role == "innbygger-innlogging,innbygger"
    assert event.person_id == world.person.pk
    assert event.purpose == "citizen"


def test_parent_of_two_chooses_the_child(client, world, family):
    response = dev_login(client, kommune="9001", som=f"person:{family['parent'].pk}")
    assert response.status_code == 302 and response["Location"] == reverse("portal:choose")
    assert citizen(client)["acting_for_id"] is None
    page = client.get(reverse("portal:choose"))
    assert page.status_code == 200
    assert "Hvem vil du se sidene til?" in page.text
    assert "Siri Forelder" in page.text and "Mia Forelder" in page.text
    assert "Du har foreldreansvar" in page.text and "Deg selv" in page.text
    chosen = client.post(reverse("portal:choose"), {"person": family["child"].pk})
    assert chosen.status_code == 302 and chosen["Location"] == HOME
    assert citizen(client)["acting_for_id"] == family["child"].pk


def test_choosing_someone_else_is_refused(client, world, family):
    dev_login(client, kommune="9001", som=f"person:{family['parent'].pk}")
    response = client.post(reverse("portal:choose"), {"person": world.person.pk})
    assert response.status_code == 400
    assert "Velg hvem du vil se sidene til" in response.text
    assert citizen(client)["acting_for_id"] is None
    assert client.post(reverse("portal:choose"), {"person": "x"}).status_code == 400


def test_guardian_logs_in_for_the_adult(client, world, family):
    response = dev_login(client, kommune="9001", som=f"relative:{family['guardian'].pk}")
    assert response.status_code == 302 and response["Location"] == HOME
    assert citizen(client)["acting_for_id"] == world.person.pk
    assert citizen(client)["name"] == "Vera Verge"


def test_substantial_assurance_is_refused_and_logged(client, world):
    response = dev_login(client, kommune="9001", som=f"person:{world.person.pk}", niva="betydelig")
    assert response.status_code == 403
    assert "Innloggingen må være på høyt sikkerhetsnivå" in response.text
    assert citizen(client) is None
    event = login_events("refused").get()
    assert event.person_id is None
    assert event.reason_code == "acr:idporten-loa-substantial"
    assert not login_events("allowed").exists()


def test_substantial_accepted_when_configured(client, world, settings):
    settings.MESTRING_OIDC_MIN_ACR = "idporten-loa-substantial"
    response = dev_login(client, kommune="9001", som=f"person:{world.person.pk}", niva="betydelig")
    assert response.status_code == 302


def test_relative_without_a_right_to_act_is_not_found(client, world, family):
    response = dev_login(client, kommune="9001", som=f"relative:{family['bystander'].pk}")
    assert response.status_code == 200
    assert "Vi fant deg ikke" in response.text
    assert citizen(client) is None
    assert login_events("refused").get().reason_code == "ikke_funnet"


def test_person_of_another_municipality_is_not_found(client, world):
    other = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=other, family_name="Bortenfor")
    # Logs in as the stranger (listed in 9002) but at 9001.
    start = client.get(reverse("portal:login_start"), {"kommune": "9001"})
    params = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    answer = client.post(
        reverse("portal:dev_oidc_authorize"),
        {**params, "som": f"person:{stranger.pk}", "niva": "hoyt", "kommune": "9002"},
    )
    back = urlsplit(answer["Location"])
    response = client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
    assert "Vi fant deg ikke" in response.text
    assert "Bortenfor" not in response.text
    assert citizen(client) is None


def test_cancelled_login_says_so(client, world):
    start = client.get(reverse("portal:login_start"), {"kommune": "9001"})
    params = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    answer = client.post(reverse("portal:dev_oidc_authorize"), {**params, "avbryt": "1"})
    back = urlsplit(answer["Location"])
    response = client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
    assert response.status_code == 400
    assert "avbrutt" in response.text
    assert citizen(client) is None


def test_callback_without_a_login_under_way_or_with_wrong_state(client, world):
    assert client.get(reverse("portal:callback"), {"code": "x", "state": "y"}).status_code == 400
    answer = dev_login(
        client, kommune="9001", som=f"person:{world.person.pk}", follow_callback=False
    )
    back = urlsplit(answer["Location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert client.get(back.path, {**query, "state": "feil"}).status_code == 400
    # The login under way is used up by the failed attempt: the right state fails too.
    assert client.get(back.path, query).status_code == 400
    assert citizen(client) is None


def test_a_code_is_used_once(client, world):
    answer = dev_login(
        client, kommune="9001", som=f"person:{world.person.pk}", follow_callback=False
    )
    query = parse_qs(urlsplit(answer["Location"]).query)
    code = query["code"][0]
    pending = client.session[oidc.PENDING_KEY]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending["redirect_uri"],
        "client_id": "mestring",
        "code_verifier": pending["verifier"],
    }
    token_url = reverse("portal:dev_oidc_token")
    first = Client().post(token_url, form)
    assert first.status_code == 200 and first.json()["id_token"]
    second = Client().post(token_url, form)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"code_verifier": "feil-verifier-som-er-lang-nok-1234567890"}, "invalid_grant"),
        ({"redirect_uri": "http://testserver/annet/"}, "invalid_grant"),
        ({"client_id": "en-annen"}, "invalid_client"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"code": "tull"}, "invalid_grant"),
    ],
)
def test_token_endpoint_checks_pkce_client_and_redirect(client, world, change, error):
    answer = dev_login(
        client, kommune="9001", som=f"person:{world.person.pk}", follow_callback=False
    )
    pending = client.session[oidc.PENDING_KEY]
    form = {
        "grant_type": "authorization_code",
        "code": parse_qs(urlsplit(answer["Location"]).query)["code"][0],
        "redirect_uri": pending["redirect_uri"],
        "client_id": "mestring",
        "code_verifier": pending["verifier"],
    }
    response = Client().post(reverse("portal:dev_oidc_token"), {**form, **change})
    assert response.status_code in (400, 401)
    assert response.json()["error"] == error


def test_codes_expire(client, world, monkeypatch):
    answer = dev_login(
        client, kommune="9001", som=f"person:{world.person.pk}", follow_callback=False
    )
    monkeypatch.setattr(devprovider, "CODE_MAX_AGE", -1)
    back = urlsplit(answer["Location"])
    response = client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
    assert response.status_code == 400
    assert citizen(client) is None


def test_authorize_refuses_a_foreign_redirect_and_missing_pkce(client, world):
    start = client.get(reverse("portal:login_start"), {"kommune": "9001"})
    params = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    url = reverse("portal:dev_oidc_authorize")
    assert client.get(url, {**params, "redirect_uri": "https://ond.example/cb"}).status_code == 400
    assert client.get(url, {**params, "code_challenge_method": "plain"}).status_code == 400
    assert client.get(url, {**params, "client_id": "annen"}).status_code == 400


def test_dev_provider_lists_persons_and_relatives_of_the_municipality(client, world, family):
    other = factories.make_municipality("9002", "Annenkommune")
    factories.PersonFactory(municipality=other, family_name="Bortenfor")
    start = client.get(reverse("portal:login_start"), {"kommune": "9001"})
    params = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    page = client.get(reverse("portal:dev_oidc_authorize"), params)
    assert "Logg inn som Siri Forelder" in page.text
    assert "Logg inn som Vera Verge" in page.text
    assert "Bortenfor" not in page.text
    assert "Betydelig" in page.text


# --- The development provider is off outside development


@override_settings(MESTRING_DEV_OIDC=False)
def test_dev_provider_answers_404_when_off(client, world):
    for name in ("dev_oidc_discovery", "dev_oidc_jwks", "dev_oidc_authorize"):
        assert client.get(reverse(f"portal:{name}")).status_code == 404, name
    assert client.post(reverse("portal:dev_oidc_token")).status_code == 404


@override_settings(MESTRING_DEV_OIDC=False, MESTRING_OIDC_ISSUER="")
def test_login_without_provider_is_a_clear_message(client, world):
    response = client.get(reverse("portal:login_start"), {"kommune": "9001"})
    assert response.status_code == 503
    assert "ikke satt opp" in response.text


def test_discovery_and_jwks_documents(client, world):
    doc = client.get(reverse("portal:dev_oidc_discovery")).json()
    assert doc["issuer"] == "http://testserver/dev-oidc"
    assert doc["token_endpoint"] == "http://testserver/dev-oidc/token"
    keys = client.get(reverse("portal:dev_oidc_jwks")).json()["keys"]
    assert keys[0]["kty"] == "RSA" and "d" not in keys[0]


# --- Choose and logout


def test_choose_needs_a_citizen_session(client, world, client_for):
    assert client.get(reverse("portal:choose"))["Location"] == reverse("portal:login")
    staff = client_for(world.owner)
    response = staff.get(reverse("portal:choose"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")


def test_logout_ends_the_session(client, world):
    dev_login(client, kommune="9001", som=f"person:{world.person.pk}")
    assert client.get(reverse("portal:logout")).status_code == 405
    response = client.post(reverse("portal:logout"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?kommune=9001"
    assert citizen(client) is None
    assert client.get(reverse("portal:choose"))["Location"] == reverse("portal:login")
