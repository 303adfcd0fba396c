"""The assessment pages: the score form (radio groups, input kept on errors), the
detail with meanings and comparison, the worklist, the variable admin, refusals and
fixed query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.assessments.models import Assessment, AssessmentScore, FunctionVariable
from tests import factories
from tests.assessments.helpers import DAY, all_scores, record, variables

pytestmark = pytest.mark.django_db


def form_data(municipality, *, skip: int = 0, **extra: str) -> dict[str, str]:
    shipped = variables(municipality)
    data = {
        "assessed_on": "02.03.2026",
        "next_assessment_on": "02.09.2026",
        "what_matters": "Klare meg selv hjemme.",
        "case": "",
    }
    for index, variable in enumerate(shipped):
        if index >= skip:
            data[f"skaar_{variable.pk}"] = str([1, 2, 3, 4, 5, 9][index % 6])
    return {**data, **extra}


@pytest.fixture
def owner_client(world, client_for):
    return client_for(world.owner)


def test_form_has_one_radio_group_per_variable_with_meanings(world, owner_client):
    page = owner_client.get(reverse("assessments:assessment_create", args=[world.person.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<fieldset class="ds-fieldset"') == 17
    assert '<legend class="ds-label">Sosial deltakelse</legend>' in html
    assert "3 – Trenger noe hjelp eller tilsyn" in html
    assert "9 – Ikke relevant" in html
    first = variables(world.municipality)[0]
    values = re.findall(rf'name="skaar_{first.pk}" value="(\d)"', html)
    assert values == ["1", "2", "3", "4", "5", "9"]
    assert "Hva er viktig for deg?" in html


def test_recording_a_complete_assessment(world, owner_client):
    url = reverse("assessments:assessment_create", args=[world.person.pk])
    response = owner_client.post(url, form_data(world.municipality), follow=True)
    assessment = Assessment.all_objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "assessments:assessment_detail", args=[world.person.pk, assessment.pk]
    )
    html = response.content.decode()
    assert "Kartleggingen er lagret og er fullstendig." in html
    assert "Trenger mye hjelp" in html  # meaning of the 4 given to the fourth variable
    assert assessment.assessed_on == DAY and assessment.assessed_by == world.owner
    assert assessment.next_assessment_on == datetime.date(2026, 9, 2)
    assert AssessmentScore.all_objects.filter(assessment=assessment).count() == 17


def test_missing_scores_are_saved_and_flagged(world, owner_client):
    url = reverse("assessments:assessment_create", args=[world.person.pk])
    response = owner_client.post(url, form_data(world.municipality, skip=2), follow=True)
    html = response.content.decode()
    assert "men er ufullstendig: 2 variabler mangler skår." in html
    assert "Kartleggingen er ufullstendig" in html
    assert html.count("Ikke skåret") == 2
    listing = owner_client.get(reverse("assessments:person_assessments", args=[world.person.pk]))
    assert "Ufullstendig: 15 av 17 skåret" in listing.content.decode()


def test_bad_input_keeps_what_was_typed(world, owner_client):
    url = reverse("assessments:assessment_create", args=[world.person.pk])
    first = variables(world.municipality)[0]
    data = form_data(
        world.municipality,
        next_assessment_on="01.01.2026",
        what_matters="Synge i koret.",
        **{f"skaar_{first.pk}": "7"},
    )
    response = owner_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Neste kartlegging må være etter kartleggingsdatoen." in html
    assert "Velg 1, 2, 3, 4, 5 eller 9 (ikke relevant)." in html
    assert 'value="02.03.2026"' in html and "Synge i koret." in html
    second = variables(world.municipality)[1]
    assert re.search(rf'name="skaar_{second.pk}" value="2" checked', html)
    assert not Assessment.all_objects.exists()

    bad_date = owner_client.post(url, form_data(world.municipality, assessed_on="31.02.2026"))
    assert "Datoen må skrives som dd.mm.åååå." in bad_date.content.decode()


def test_detail_compares_with_the_previous_and_edit_replaces_scores(world, owner_client):
    shipped = variables(world.municipality)
    record(
        world.owner,
        world.person,
        on=datetime.date(2026, 1, 5),
        scores=all_scores(world.municipality, 4),
    )
    latest = record(
        world.owner,
        world.person,
        on=datetime.date(2026, 4, 5),
        scores=all_scores(world.municipality, 2),
    )
    detail = reverse("assessments:assessment_detail", args=[world.person.pk, latest.pk])
    html = owner_client.get(detail).content.decode()
    assert "Forrige kartlegging var 05.01.2026." in html
    assert html.count("-2 (bedre)") == 17

    edit = reverse("assessments:assessment_edit", args=[world.person.pk, latest.pk])
    form = owner_client.get(edit).content.decode()
    assert re.search(rf'name="skaar_{shipped[0].pk}" value="2" checked', form)
    data = form_data(world.municipality, assessed_on="05.04.2026", next_assessment_on="")
    data[f"skaar_{shipped[0].pk}"] = "5"
    response = owner_client.post(edit, data)
    assert response.status_code == 302 and response.url == detail
    assert AssessmentScore.all_objects.get(assessment=latest, variable=shipped[0]).score == 5
    assert AuditEvent.all_objects.filter(object_type="assessment", action="update").count() == 1


def test_assessment_of_another_person_is_not_found(world, owner_client):
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    theirs = record(world.owner, other)
    url = reverse("assessments:assessment_detail", args=[world.person.pk, theirs.pk])
    assert owner_client.get(url).status_code == 404
    edit = reverse("assessments:assessment_edit", args=[world.person.pk, theirs.pk])
    assert owner_client.post(edit, form_data(world.municipality)).status_code == 404


@pytest.mark.parametrize("name", ["person_assessments", "assessment_create"])
def test_outsider_is_refused_person_pages(world, client_for, name):
    client = client_for(world.outsider)
    url = reverse(f"assessments:{name}", args=[world.person.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(world.municipality)).status_code == 403
    assert not Assessment.all_objects.exists()


def test_outsider_is_refused_an_assessment(world, client_for):
    assessment = record(world.owner, world.person)
    client = client_for(world.outsider)
    for name in ("assessment_detail", "assessment_edit"):
        url = reverse(f"assessments:{name}", args=[world.person.pk, assessment.pk])
        assert client.get(url).status_code == 403
    refused = AuditEvent.all_objects.filter(username="utenforstaende", outcome="refused")
    assert refused.count() == 2


def test_due_page_needs_person_register_and_lists_both(world, client_for):
    url = reverse("assessments:due")
    assert client_for(world.outsider).get(url).status_code == 403
    past = datetime.date.today() - datetime.timedelta(days=400)
    scores = all_scores(world.municipality) | {variables(world.municipality)[0].pk: None}
    record(
        world.owner,
        world.person,
        on=past,
        next_on=past + datetime.timedelta(days=30),
        scores=scores,
    )
    client = client_for(world.caseworker)
    due = client.get(url).content.decode()
    assert "Skjermesen, Gunnhild" in due and "Ufullstendig: 16 av 17 skåret" in due
    incomplete = client.get(url, {"vis": "ufullstendige"}).content.decode()
    assert "Skjermesen, Gunnhild" in incomplete
    event = AuditEvent.all_objects.filter(object_type="assessments_due").last()
    assert event.username == "saksbehandler"


def test_variable_admin(world, client_for):
    assert client_for(world.caseworker).get(reverse("assessments:variable_list")).status_code == 403
    client = client_for(world.admin)
    listing = client.get(reverse("assessments:variable_list")).content.decode()
    assert "Sosial deltakelse" in listing and "Hørsel" in listing
    variable = variables(world.municipality)[0]
    url = reverse("assessments:variable_edit", args=[variable.pk])
    form = client.get(url).content.decode()
    assert 'value="Trenger noe hjelp eller tilsyn"' in form
    data = {
        "name": "Sosial deltakelse",
        "description": "Delta i sosiale aktiviteter",
        "position": "0",
        "meaning_1": "A",
        "meaning_2": "B",
        "meaning_3": "C",
        "meaning_4": "D",
        "meaning_5": "E",
        "meaning_9": "",
    }
    shown_again = client.post(url, data)
    assert shown_again.status_code == 200
    assert "Skriv hva skåren betyr." in shown_again.content.decode()
    assert 'value="Delta i sosiale aktiviteter"' in shown_again.content.decode()
    response = client.post(url, {**data, "meaning_9": "Ikke aktuelt"})
    assert response.status_code == 302
    variable.refresh_from_db()
    assert variable.is_active is False  # the box was not ticked
    assert variable.score_meanings == {
        "1": "A",
        "2": "B",
        "3": "C",
        "4": "D",
        "5": "E",
        "9": "Ikke aktuelt",
    }
    created = client.post(
        reverse("assessments:variable_create"),
        {
            **data,
            "name": "Økonomi",
            "meaning_9": "Ikke aktuelt",
            "is_active": "on",
            "position": "40",
        },
    )
    assert created.status_code == 302
    assert FunctionVariable.all_objects.get(name="Økonomi").code == "okonomi"
    assert variables(world.municipality)[-1].name == "Økonomi"


def test_list_pages_run_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    owner = client_for(world.owner)
    caseworker = client_for(world.caseworker)
    person_url = reverse("assessments:person_assessments", args=[world.person.pk])
    due_url = reverse("assessments:due")
    past = datetime.date.today() - datetime.timedelta(days=300)

    def add(count: int) -> None:
        for n in range(count):
            person = factories.PersonFactory(municipality=world.municipality)
            record(world.owner, world.person, on=past + datetime.timedelta(days=n))
            record(world.owner, person, on=past, next_on=past + datetime.timedelta(days=10))

    def counts() -> tuple[int, int]:
        with django_assert_max_num_queries(40) as on_person:
            assert owner.get(person_url).status_code == 200
        with django_assert_max_num_queries(40) as on_due:
            assert caseworker.get(due_url).status_code == 200
        return len(on_person.captured_queries), len(on_due.captured_queries)

    add(1)
    small = counts()
    add(12)
    assert counts() == small
