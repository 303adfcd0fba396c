"""Planning pages: who may see them, uploads with errors shown, junk parameters and a
fixed number of queries."""

from __future__ import annotations

import json
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mestring.planning.demo import build_planning_demo
from mestring.planning.models import PopulationFigure
from mestring.tenancy.context import activate
from tests import factories
from tests.planning.helpers import csv_text, dataset

pytestmark = pytest.mark.django_db
PAGES = ["planning:demography", "planning:projected_need", "planning:capacity"]


def _demo(world):
    import datetime

    with activate(world.municipality):
        build_planning_demo(random.Random(1), datetime.date(2026, 6, 1))


@pytest.mark.parametrize("name", PAGES)
def test_a_planner_sees_the_pages_and_an_outsider_is_refused(world, client_for, name):
    _demo(world)
    assert client_for(world.read_only).get(reverse(name)).status_code == 200
    assert client_for(world.outsider).get(reverse(name)).status_code == 403


def test_only_the_planner_imports(world, client_for):
    url = reverse("planning:population_import")
    assert client_for(world.read_only).get(url).status_code == 200  # the planner
    assert client_for(world.caseworker).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 403


def test_demography_shows_the_table_the_marks_the_chart_and_the_ratio(world, client_for):
    _demo(world)
    response = client_for(world.read_only).get(reverse("planning:demography"))
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "framskrevet" in html and "90+" in html and "2040" in html
    with activate(world.municipality):
        working = PopulationFigure.objects.get(age_group="20-66", year=2030).count
        old = sum(
            PopulationFigure.objects.filter(year=2030, age_from__gte=67).values_list(
                "count", flat=True
            )
        )
    assert f"{working / old:.2f}".replace(".", ",") in html


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("planning:demography", "?region=%00%27<script>"),
        ("planning:demography", "?region=" + "x" * 500),
        ("planning:projected_need", "?ar=tjue"),
        ("planning:projected_need", "?ar=1850"),
        ("planning:projected_need", "?ar=99999999999999999999"),
        ("planning:projected_need", "?ar=2019"),
        ("planning:capacity", "?ar=%FF"),
        ("planning:capacity", "?ar=3000"),
    ],
)
def test_junk_parameters_give_a_page_not_an_error(world, client_for, name, query):
    _demo(world)
    response = client_for(world.read_only).get(reverse(name) + query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[-1]


def test_a_bad_year_keeps_what_was_typed_with_a_message(world, client_for):
    response = client_for(world.read_only).get(reverse("planning:projected_need") + "?ar=tjue")
    html = response.content.decode()
    assert "«tjue» er ikke et årstall" in html and 'value="tjue"' in html


def test_projected_need_page_shows_assumptions_and_figures(world, client_for):
    _demo(world)
    response = client_for(world.read_only).get(reverse("planning:projected_need") + "?ar=2025")
    html = response.content.decode()
    assert "Forutsetninger" in html and "Basisår: 2025." in html
    assert "Alder regnes per 1. juli 2025." in html
    assert "Hjemmesykepleie" in html


def test_upload_csv_then_the_same_file_again(world, client_for):
    client = client_for(world.read_only)
    url = reverse("planning:population_import")
    text = csv_text([("9001", "0-19", 2024, 10), ("9001", "67+", 2024, 5)])
    upload = SimpleUploadedFile("befolkning.csv", text.encode(), content_type="text/csv")
    response = client.post(url, {"format": "csv", "file": upload}, follow=True)
    assert "Importert fra befolkning.csv: 2 nye, 0 endret, 0 uendret." in response.content.decode()
    upload = SimpleUploadedFile("befolkning.csv", text.encode(), content_type="text/csv")
    response = client.post(url, {"format": "csv", "file": upload}, follow=True)
    assert "0 nye, 0 endret, 2 uendret." in response.content.decode()
    assert PopulationFigure.all_objects.count() == 2


def test_a_bad_upload_shows_every_error_and_keeps_the_format(world, client_for):
    client = client_for(world.read_only)
    data = dataset(["9001"], ["0-19"], [2024], [1, 2])
    upload = SimpleUploadedFile("ssb.json", json.dumps(data).encode())
    response = client.post(
        reverse("planning:population_import"), {"format": "jsonstat", "file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Filen har 2 verdier, men dimensjonene gir 1" in html
    assert "Filen har 1 feil og er ikke importert. Ingenting er lagret." in html
    assert 'value="jsonstat" checked' in html
    assert not PopulationFigure.all_objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("æøå".encode("latin-1"), "Filen er ikke lagret som UTF-8"),
        (b"region,age_group,year,count\n9001,barn,2024,1\n", "rad 2, kolonne «age_group»"),
    ],
)
def test_bad_csv_uploads_are_explained(world, client_for, content, message):
    upload = SimpleUploadedFile("feil.csv", content)
    response = client_for(world.read_only).post(
        reverse("planning:population_import"), {"format": "csv", "file": upload}
    )
    assert response.status_code == 200 and message in response.content.decode()


def test_an_upload_without_a_file_or_format_is_explained(world, client_for):
    response = client_for(world.read_only).post(reverse("planning:population_import"), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Velg formatet til filen." in html and "Velg en fil å laste opp." in html


@pytest.mark.parametrize("name", PAGES)
def test_queries_do_not_grow_with_the_data(world, client_for, django_assert_max_num_queries, name):
    _demo(world)
    client = client_for(world.read_only)
    client.get(reverse(name))  # warm up the session
    with django_assert_max_num_queries(30):
        small = client.get(reverse(name) + "?ar=2025")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(reverse(name) + "?ar=2025")
    # More regions, persons and decisions: the same number of queries.
    with activate(world.municipality):
        for figure in list(PopulationFigure.objects.all()[:20]):
            figure.pk, figure.region = None, "Annen"
            figure.save()
    for _ in range(5):
        factories.PersonFactory(municipality=world.municipality)
    with CaptureQueriesContext(connection) as second:
        client.get(reverse(name) + "?ar=2025")
    assert small.status_code == 200
    assert len(first) == len(second)
