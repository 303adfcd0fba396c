"""The measure pages: chart and table, the form per instrument (input kept on errors,
comma decimals, preselected episode and time point), detail, correction, deletion, the
threshold admin, refusals and a fixed number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import NoReverseMatch, reverse

from mestring.access.models import AuditEvent
from mestring.assessments.models import FunctionVariable
from mestring.outcomes.models import InstrumentThreshold, Observation, ObservationItem
from tests import factories
from tests.outcomes.helpers import DAY, copm, episode_for, sppb

pytestmark = pytest.mark.django_db

BASE = {"observed_on": "02.03.2026", "time_point": "start", "episode": "", "version": ""}


@pytest.fixture
def owner_client(world, client_for):
    return client_for(world.owner)


def create_url(person, instrument: str) -> str:
    return reverse("outcomes:observation_create", args=[person.pk, instrument])


def test_sppb_with_times_shows_the_points(world, owner_client):
    data = {
        **BASE,
        "side_by_side_s": "10",
        "semi_tandem_s": "10",
        "tandem_s": "10",
        "gait_s": "4,81",
        "chair_s": "11,19",
    }
    response = owner_client.post(create_url(world.person, "sppb"), data, follow=True)
    observation = Observation.all_objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "outcomes:observation_detail", args=[world.person.pk, observation.pk]
    )
    html = response.content.decode()
    assert "Målingen er lagret. Skår: 12." in html
    assert "12 av 12 poeng" in html
    assert "Ganghastighet, 4 meter</th>\n      <td>4,81</td><td>4</td>" in html
    assert observation.total == 12 and observation.observed_on == DAY


def test_sppb_points_instead_of_times(world, owner_client):
    data = {**BASE, "balance": "2", "gait": "0", "chair_s": "14"}
    response = owner_client.post(create_url(world.person, "sppb"), data)
    assert response.status_code == 302
    assert Observation.all_objects.get().total == 2 + 0 + 2


def test_sppb_errors_keep_what_was_typed(world, owner_client):
    data = {**BASE, "side_by_side_s": "ti", "gait_s": "7,5", "chair_s": ""}
    html = owner_client.post(create_url(world.person, "sppb"), data).content.decode()
    assert "Skriv tiden i sekunder, for eksempel 7,5." in html
    assert 'value="ti"' in html and 'value="7,5"' in html
    data = {**BASE, "side_by_side_s": "10", "gait_s": "7,5"}
    html = owner_client.post(create_url(world.person, "sppb"), data).content.decode()
    assert "Skriv tiden for fem reisninger, eller poeng for reise seg fra stol." in html
    assert 'value="7,5"' in html and 'value="02.03.2026"' in html
    assert not Observation.all_objects.exists()


def test_copm_two_activities_blank_rows_ignored(world, owner_client):
    data = {
        **BASE,
        "activity_1": "Lage middag",
        "performance_1": "3",
        "satisfaction_1": "2",
        "activity_3": "Gå til butikken",
        "performance_3": "6",
        "satisfaction_3": "5",
    }
    response = owner_client.post(create_url(world.person, "copm"), data, follow=True)
    observation = Observation.all_objects.get()
    assert (str(observation.total), str(observation.total_secondary)) == ("4.50", "3.50")
    assert ObservationItem.all_objects.filter(observation=observation).count() == 2
    assert "Gå til butikken" in response.content.decode()


def test_copm_needs_one_complete_activity(world, owner_client):
    html = owner_client.post(create_url(world.person, "copm"), BASE).content.decode()
    assert "Skriv inn minst én aktivitet." in html
    data = {**BASE, "activity_1": "Dusje", "performance_1": "11", "satisfaction_2": "4"}
    html = owner_client.post(create_url(world.person, "copm"), data).content.decode()
    assert "Skriv et helt tall fra 1 til 10." in html
    assert "Skriv inn aktiviteten." in html  # row 2 has a score but no activity
    assert 'value="Dusje"' in html and 'value="11"' in html
    assert not Observation.all_objects.exists()


def test_psfs_needs_three_activities(world, owner_client):
    data = {**BASE, "activity_1": "Gå trapper", "score_1": "2", "activity_2": "Bære"}
    html = owner_client.post(create_url(world.person, "psfs"), data).content.decode()
    assert "PSFS må ha minst tre aktiviteter." in html
    assert "Skriv skår fra 0 til 10." in html
    data.update(score_2="0", activity_3="Sykle", score_3="7")
    assert owner_client.post(create_url(world.person, "psfs"), data).status_code == 302
    observation = Observation.all_objects.get()
    assert str(observation.total) == "3.00" and observation.higher_is_better


def test_function_form_has_one_select_per_active_variable(world, owner_client):
    variables = list(
        FunctionVariable.all_objects.filter(municipality=world.municipality, is_active=True)
    )
    html = owner_client.get(create_url(world.person, "funksjon")).content.decode()
    assert html.count("<select") == len(variables) + 2  # time point and episode too
    data = {**BASE, f"variabel_{variables[0].code}": "2", f"variabel_{variables[1].code}": "4"}
    assert owner_client.post(create_url(world.person, "funksjon"), data).status_code == 302
    observation = Observation.all_objects.get()
    assert str(observation.total) == "3.00" and not observation.higher_is_better
    html = owner_client.post(create_url(world.person, "funksjon"), BASE).content.decode()
    assert "Gi minst én funksjonsvariabel en skår." in html


def test_episode_preselected_from_the_query_and_limited_to_the_person(world, owner_client):
    mine = episode_for(world.person)
    other = factories.PersonFactory(municipality=world.municipality)
    theirs = episode_for(other, referral_date=datetime.date(2025, 5, 5))
    url = create_url(world.person, "sppb") + f"?forlop={mine.pk}&tidspunkt=slutt"
    html = owner_client.get(url).content.decode()
    assert re.search(rf'<option value="{mine.pk}" selected>', html)
    assert '<option value="slutt" selected>' in html
    assert "05.05.2025" not in html
    junk = owner_client.get(create_url(world.person, "sppb") + "?forlop=x&tidspunkt=<b>")
    assert junk.status_code == 200

    data = {**BASE, "balance": "1", "gait": "1", "chair": "1", "episode": str(theirs.pk)}
    html = owner_client.post(create_url(world.person, "sppb"), data).content.decode()
    assert "Velg et av personens forløp." in html
    assert not Observation.all_objects.exists()

    data["episode"] = str(mine.pk)
    response = owner_client.post(create_url(world.person, "sppb"), data)
    try:
        expected = reverse(
            "rehab:episode_detail", kwargs={"person_id": world.person.pk, "episode_id": mine.pk}
        )
    except NoReverseMatch:
        expected = reverse("outcomes:person_measures", args=[world.person.pk])
    assert response.status_code == 302 and response.url == expected
    assert Observation.all_objects.get().episode == mine


def test_measures_page_shows_chart_and_table(world, owner_client):
    sppb(world.owner, world.person, on=datetime.date(2026, 1, 5), balance=1, gait=1, chair=1)
    sppb(world.owner, world.person, on=datetime.date(2026, 3, 5), balance=2, gait=2, chair=2)
    copm(world.owner, world.person)
    html = owner_client.get(
        reverse("outcomes:person_measures", args=[world.person.pk])
    ).content.decode()
    assert html.count('<svg class="outcome-chart" role="img"') == 2
    assert "style=" not in html.split("<main", 1)[-1]
    assert "Meningsfull bedring" in html
    assert "<td>+3</td>" in html
    assert "Kommunens terskel for meningsfull endring er 1." in html
    assert "Tilfredshet" in html


def test_measures_page_query_count_is_fixed(world, owner_client, django_assert_max_num_queries):
    url = reverse("outcomes:person_measures", args=[world.person.pk])
    episode = episode_for(world.person)
    sppb(world.owner, world.person, episode=episode)
    copm(world.owner, world.person)
    with django_assert_max_num_queries(30) as few:
        owner_client.get(url)
    for day in range(1, 15):
        sppb(world.owner, world.person, on=datetime.date(2026, 1, day), episode=episode)
        copm(world.owner, world.person, on=datetime.date(2026, 1, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(url)


def test_detail_edit_and_delete(world, owner_client):
    observation = sppb(world.owner, world.person)
    detail = reverse("outcomes:observation_detail", args=[world.person.pk, observation.pk])
    assert "6 av 12 poeng" in owner_client.get(detail).content.decode()

    edit = reverse("outcomes:observation_edit", args=[world.person.pk, observation.pk])
    form = owner_client.get(edit).content.decode()
    assert re.search(r'<option value="2" selected>2</option>', form)
    data = {**BASE, "side_by_side_s": "10", "semi_tandem_s": "5", "gait_s": "5", "chair_s": "9"}
    assert owner_client.post(edit, data).status_code == 302
    observation.refresh_from_db()
    assert observation.total == 1 + 3 + 4
    assert 'value="5"' in owner_client.get(edit).content.decode()

    delete = reverse("outcomes:observation_delete", args=[world.person.pk, observation.pk])
    assert owner_client.get(delete).status_code == 200
    response = owner_client.post(delete)
    assert response.status_code == 302
    assert not Observation.all_objects.exists()
    assert AuditEvent.all_objects.filter(object_type="observation", action="delete").count() == 1


def test_unknown_instrument_and_another_persons_observation_are_not_found(world, owner_client):
    assert owner_client.get(create_url(world.person, "vekt")).status_code == 404
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    theirs = sppb(world.owner, other)
    for name in ("observation_detail", "observation_edit", "observation_delete"):
        url = reverse(f"outcomes:{name}", args=[world.person.pk, theirs.pk])
        assert owner_client.get(url).status_code == 404
        assert owner_client.post(url, BASE).status_code in (404, 405)
    assert Observation.all_objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "read_only"])
def test_outsider_and_read_only_are_refused(world, client_for, who):
    client = client_for(getattr(world, who))
    observation = sppb(world.owner, world.person)
    urls = [
        reverse("outcomes:person_measures", args=[world.person.pk]),
        create_url(world.person, "sppb"),
        reverse("outcomes:observation_detail", args=[world.person.pk, observation.pk]),
        reverse("outcomes:observation_edit", args=[world.person.pk, observation.pk]),
        reverse("outcomes:observation_delete", args=[world.person.pk, observation.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {**BASE, "balance": "4", "gait": "4", "chair": "4"}).status_code == 403
        )
    assert list(Observation.all_objects.values_list("total", flat=True)) == [6]


@pytest.mark.parametrize("instrument", ["sppb", "copm", "psfs", "funksjon"])
def test_junk_never_gives_a_server_error(world, owner_client, instrument):
    junk = {
        "observed_on": "99.99.9999",
        "time_point": "aldri",
        "episode": "abc",
        "version": "x" * 500,
        "note": "y" * 5000,
        "side_by_side_s": "1e999999",
        "gait_s": "-3",
        "chair_s": "Infinity",
        "balance": "7",
        "activity_1": "z" * 300,
        "performance_1": "1e3",
        "satisfaction_1": "-1",
        "score_1": "NaN",
        "variabel_x": "8",
    }
    response = owner_client.post(create_url(world.person, instrument), junk)
    assert response.status_code == 200
    assert not Observation.all_objects.exists()


def test_threshold_admin(world, client_for):
    url = reverse("outcomes:thresholds")
    assert client_for(world.owner).get(url).status_code == 403
    admin = client_for(world.admin)
    html = admin.get(url).content.decode()
    assert "SPPB – Short Physical Performance Battery" in html and "Standard er 2." in html

    bad = admin.post(url, {"terskel_sppb": "1,55", "terskel_copm": "tre", "terskel_psfs": ""})
    html = bad.content.decode()
    assert "Skriv et tall, for eksempel 1,5." in html
    assert 'value="1,55"' in html and 'value="tre"' in html
    assert not InstrumentThreshold.all_objects.exists()

    response = admin.post(url, {"terskel_sppb": "1,5", "terskel_copm": "", "terskel_psfs": "3"})
    assert response.status_code == 302
    own = dict(InstrumentThreshold.all_objects.values_list("instrument", "meaningful_change"))
    assert {key: str(value) for key, value in own.items()} == {"sppb": "1.5", "psfs": "3.0"}
    assert AuditEvent.all_objects.filter(object_type="instrument_threshold").count() == 2
    assert 'value="1,5"' in admin.get(url).content.decode()
    admin.post(url, {"terskel_sppb": "", "terskel_psfs": "3"})
    assert list(InstrumentThreshold.all_objects.values_list("instrument", flat=True)) == ["psfs"]


def test_episode_include_lists_the_episodes_measures(world):
    from django.template.loader import render_to_string

    from mestring.outcomes import selectors
    from mestring.tenancy.context import activate

    episode = episode_for(world.person)
    sppb(world.owner, world.person, episode=episode, time_point="start")
    sppb(world.owner, world.person)  # not in the episode
    with activate(world.municipality):
        observations = selectors.episode_observations(episode)
        html = render_to_string(
            "outcomes/_episode_measures.html",
            {"observations": observations, "person": world.person, "episode": episode},
        )
        empty = render_to_string(
            "outcomes/_episode_measures.html", {"observations": [], "person": world.person}
        )
    assert len(observations) == 1
    assert html.count("<tr>") == 2 and "Oppstart" in html
    assert f"?forlop={episode.pk}" in html
    assert "Ingen målinger er registrert i forløpet." in empty
