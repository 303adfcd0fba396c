"""The rehab pages: outsider refused, the owner walks an episode, junk input gives a
Norwegian error and no 500, the waiting list has a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.rehab.models import Episode, Programme, Visit
from tests import factories
from tests.rehab.helpers import DAY, ended, refer, started

pytestmark = pytest.mark.django_db


def d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


@pytest.fixture
def owner_client(world, client_for):
    return client_for(world.owner)


def test_outsider_is_refused_everywhere(world, client_for):
    episode = started(world.owner, world.person)
    client = client_for(world.outsider)
    pid = world.person.pk
    for url in (
        reverse("rehab:person_episodes", args=[pid]),
        reverse("rehab:episode_create", args=[pid]),
        reverse("rehab:episode_detail", args=[pid, episode.pk]),
        reverse("rehab:visit_create", args=[pid, episode.pk]),
        reverse("rehab:episode_end", args=[pid, episode.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    # Work lists and admin need their permission: planner (read_only) has none of them.
    reader = client_for(world.read_only)
    assert reader.get(reverse("rehab:waiting_list")).status_code == 403
    assert reader.get(reverse("rehab:programme_list")).status_code == 403
    assert client.get(reverse("rehab:report")).status_code == 403
    assert reader.get(reverse("rehab:report")).status_code == 200


def test_owner_refers_assesses_starts_visits_and_ends(world, owner_client):
    pid = world.person.pk
    response = owner_client.post(
        reverse("rehab:episode_create", args=[pid]),
        {
            "programme": Programme.all_objects.get(code="hverdagsrehabilitering").pk,
            "referral_date": d(DAY),
            "referral_source": "sykehus",
            "referred_by": "Avdeling B",
            "reason": "Hoftebrudd",
        },
        follow=True,
    )
    episode = Episode.all_objects.get()
    assert "Henvisningen er registrert." in response.content.decode()
    base = [pid, episode.pk]
    steps = [
        ("rehab:episode_assess", {"assessed_on": d(DAY), "assessment": "aktuell"}),
        ("rehab:episode_start", {"start_date": d(DAY)}),
        ("rehab:visit_create", {"visited_on": d(DAY), "staff": world.owner.pk, "minutes": "50"}),
        ("rehab:goal_create", {"text": "Gå trappa selv"}),
        ("rehab:team_add", {"staff": world.team_member.pk, "role": "Fysio", "started_on": d(DAY)}),
        (
            "rehab:episode_end",
            {"outcome": "fullfort", "end_date": d(DAY + datetime.timedelta(days=30))},
        ),
    ]
    for name, data in steps:
        response = owner_client.post(reverse(name, args=base), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    page = owner_client.get(reverse("rehab:episode_detail", args=base)).content.decode()
    assert "Antall besøk: 1. Minutter i alt: 50." in page
    assert "Gå trappa selv" in page and "Fullført" in page
    episode.refresh_from_db()
    assert episode.status == "fullfort"
    listing = owner_client.get(reverse("rehab:person_episodes", args=[pid])).content.decode()
    assert "Hverdagsrehabilitering, henvist" in listing


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "rehab:visit_create",
            {"visited_on": "31.02.2026", "staff": "x", "minutes": "mange"},
            "dd.mm.åååå",
        ),
        (
            "rehab:visit_create",
            {"visited_on": "01.01.2020", "staff": "", "minutes": "30"},
            "Besøket må være mellom",
        ),
        ("rehab:episode_end", {"outcome": "kanskje", "end_date": ""}, "fullført eller avbrutt"),
        ("rehab:episode_end", {"outcome": "avbrutt", "end_date": "01.04.2026"}, "avbrutt"),
        (
            "rehab:episode_assess",
            {"assessed_on": "x", "assessment": "aktuell"},
            "Kan ikke endre status",
        ),
        (
            "rehab:team_add",
            {"staff": "999999", "started_on": "01.01.2026"},
            "Velg en ansatt fra listen.",
        ),
        ("rehab:goal_create", {"text": ""}, "Skriv målet"),
    ],
)
def test_junk_input_gives_an_error_not_a_500(world, owner_client, name, data, message):
    episode = started(world.owner, world.person)
    response = owner_client.post(reverse(name, args=[world.person.pk, episode.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html or "dd.mm.åååå" in html


def test_junk_referral_keeps_the_input(world, owner_client):
    response = owner_client.post(
        reverse("rehab:episode_create", args=[world.person.pk]),
        {
            "programme": "abc",
            "referral_date": "i går",
            "referral_source": "nabo",
            "referred_by": "Ola",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Velg et program fra listen." in html and 'value="i går"' in html
    assert Episode.all_objects.count() == 0


def test_other_persons_episode_is_404(world, owner_client):
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    episode = started(world.owner, other)
    url = reverse("rehab:episode_detail", args=[world.person.pk, episode.pk])
    assert owner_client.get(url).status_code == 404


def test_waiting_list_query_count_is_fixed(world, client_for, django_assert_max_num_queries):
    client = client_for(world.caseworker)
    url = reverse("rehab:waiting_list")
    refer(world.owner, world.person, on=DAY)
    ended(world.owner, world.person)
    Episode.all_objects.update(follow_up_due_on=timezone.localdate())
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    for _ in range(8):
        person = factories.PersonFactory(municipality=world.municipality)
        factories.grant_relation(world.owner, person)
        refer(world.owner, person, on=DAY - datetime.timedelta(days=3))
        ended(world.owner, person)
    Episode.all_objects.update(follow_up_due_on=timezone.localdate())
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    days = (timezone.localdate() - (DAY - datetime.timedelta(days=3))).days
    assert f"<td>{days}</td>" in html
    assert "Oppfølging som skal gjøres" in html
    assert client.get(url + "?program=finnes-ikke&side=abc&oppfolging=-1").status_code == 200


def test_programme_admin(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        reverse("rehab:programme_create"),
        {"code": "hverdagsrehabilitering", "name": "Kopi", "follow_up_weeks": "8"},
    )
    assert "Det finnes allerede et program med koden" in response.content.decode()
    response = client.post(
        reverse("rehab:programme_create"),
        {
            "code": "fallforebygging",
            "name": "Fallforebygging",
            "follow_up_weeks": "8",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert "Fallforebygging" in client.get(reverse("rehab:programme_list")).content.decode()
    programme = Programme.all_objects.get(code="fallforebygging")
    response = client.post(
        reverse("rehab:programme_edit", args=[programme.pk]),
        {"code": "fallforebygging", "name": "Fall", "follow_up_weeks": "-3"},
    )
    assert "Antall uker kan ikke være negativt." in response.content.decode()


def test_report_page_and_csv(world, client_for):
    ended(world.owner, world.person)
    Visit.all_objects.all()
    client = client_for(world.read_only)
    page = client.get(reverse("rehab:report") + "?ar=2026")
    assert page.status_code == 200 and "Hverdagsrehabilitering 2026" in page.content.decode()
    csv_response = client.get(reverse("rehab:report") + "?ar=2026&format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode().startswith("figure,key,value")
    bad = client.get(reverse("rehab:report") + "?ar=tjuetjue")
    assert bad.status_code == 200 and "er ikke et årstall" in bad.content.decode()


@pytest.mark.attack
def test_waiting_list_names_only_whom_the_user_may_see_and_logs_each(
    world, client_for, django_assert_max_num_queries
):
    """(M5) The rehabilitation waiting list names a person only to staff with a care
    relation or in the unit that runs the programme; others see the row without the
    name; each name shown is in the person's access log."""
    waiting = factories.PersonFactory(municipality=world.municipality, family_name="Ventesen")
    factories.grant_relation(world.owner, waiting)
    refer(world.owner, waiting, on=DAY)
    url = reverse("rehab:waiting_list")
    html = client_for(world.caseworker).get(url).content.decode()
    assert "Ventesen" not in html and "Navn vises ikke" in html
    assert not AuditEvent.all_objects.filter(
        person=waiting, object_type="episode_waiting_list"
    ).exists()
    # The unit that runs the programme sees the names of its waiting list.
    team = factories.UnitFactory(municipality=world.municipality, name="Hverdagsteamet")
    Programme.all_objects.filter(municipality=world.municipality).update(unit=team)
    world.caseworker.units.add(team)
    client = client_for(world.caseworker)
    client.get(url)  # warm caches
    with django_assert_max_num_queries(40) as few:
        html = client.get(url).content.decode()
    assert "Ventesen" in html
    assert AuditEvent.all_objects.filter(
        person=waiting,
        object_type="episode_waiting_list",
        user=world.caseworker.user,
        reason_code="enhetens_arbeid",
    ).exists()
    for _ in range(8):
        refer(world.owner, factories.PersonFactory(municipality=world.municipality), on=DAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "Navn vises ikke" not in html
    logged = AuditEvent.all_objects.filter(
        object_type="episode_waiting_list", user=world.caseworker.user, person__isnull=False
    )
    assert logged.values("person").distinct().count() == 9  # every name shown, once each view
