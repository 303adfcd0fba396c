"""Lists that name a person the user cannot open ("Frister", "Kartlegging til
oppfølging") show no link there: a row whose case nobody has taken offers "Ta saken"
(or "Fordel til") to the intake roles instead, and taking it makes the row a link."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from mestring.assessments.models import Assessment
from mestring.casework.models import Case
from tests import factories
from tests.casework.helpers import days_ago
from tests.casework.service_helpers import make_assessment, register

pytestmark = pytest.mark.django_db

DEADLINES = "/frister/"
DUE = "/kartlegging/forfalt/"


def take_url(case: Case) -> str:
    return reverse("casework:case_take", args=[case.pk])


def detail_url(case: Case) -> str:
    return reverse("casework:case_detail", args=[case.person_id, case.pk])


def test_the_lists_are_where_the_test_looks():
    assert reverse("casework:deadlines") == DEADLINES
    assert reverse("assessments:due") == DUE


def test_an_overdue_case_nobody_has_is_taken_from_the_deadlines(world, lead, client_for):
    untaken = register(lead, world.person, ["stottekontakt"], received_on=days_ago(45))
    Case.all_objects.filter(pk=untaken.pk).update(caseworker=None)
    others = register(
        lead,
        factories.PersonFactory(municipality=world.municipality, family_name="Annensen"),
        ["avlastning"],
        received_on=days_ago(40),
    )
    client = client_for(world.caseworker)

    body = client.get(DEADLINES, {"vis": "overtid"}).content.decode()

    assert world.person.full_name in body and "Annensen" in body
    # Nobody has the first: the action, no link. The lead has the second: neither.
    assert take_url(untaken) in body and "Ta saken" in body
    assert detail_url(untaken) not in body
    assert take_url(others) not in body and detail_url(others) not in body
    assert client.get(detail_url(untaken)).status_code == 403

    response = client.post(take_url(untaken), {"tilbake": "frister", "vis": "overtid"})

    assert response.status_code == 302 and response.url == detail_url(untaken)
    body = client.get(DEADLINES, {"vis": "overtid"}).content.decode()
    assert f'href="{detail_url(untaken)}"' in body
    assert take_url(untaken) not in body
    assert client.get(detail_url(untaken)).status_code == 200


def test_given_to_a_colleague_from_the_deadlines_goes_back_there(world, lead, client_for):
    case = register(lead, world.person, ["stottekontakt"], received_on=days_ago(45))
    Case.all_objects.filter(pk=case.pk).update(caseworker=None)
    client = client_for(world.caseworker)

    response = client.post(
        take_url(case), {"staff": str(lead.pk), "tilbake": "frister", "vis": "overtid"}
    )

    assert response.status_code == 302 and response.url == f"{DEADLINES}?vis=overtid"
    assert Case.all_objects.get(pk=case.pk).caseworker == lead
    # Only a known list and tab: anything else goes back to the case list.
    case2 = register(lead, world.person, ["avlastning"], received_on=days_ago(45))
    Case.all_objects.filter(pk=case2.pk).update(caseworker=None)
    response = client.post(
        take_url(case2), {"staff": str(lead.pk), "tilbake": "//evil.example", "vis": "x"}
    )
    assert response.status_code == 302 and response.url == reverse("casework:case_list")


def test_an_assessment_due_whose_case_nobody_has_is_taken(world, lead, client_for):
    case = register(lead, world.person, ["stottekontakt"], received_on=days_ago(5))
    Case.all_objects.filter(pk=case.pk).update(caseworker=None)
    assessment = make_assessment(lead, world.person, assessed_on=days_ago(100), next_on=days_ago(1))
    Assessment.all_objects.filter(pk=assessment.pk).update(case=case)
    link = reverse("assessments:assessment_detail", args=[world.person.pk, assessment.pk])
    client = client_for(world.caseworker)

    body = client.get(DUE).content.decode()

    assert world.person.family_name in body
    assert take_url(case) in body and link not in body
    assert 'name="tilbake" value="kartlegging"' in body

    response = client.post(take_url(case), {"staff": str(lead.pk), "tilbake": "kartlegging"})
    assert response.status_code == 302 and response.url == DUE
    # Now the lead's: for the caseworker, neither a link nor an action.
    body = client.get(DUE).content.decode()
    assert take_url(case) not in body and link not in body

    lead_client = client_for(lead)
    body = lead_client.get(DUE).content.decode()
    assert f'href="{link}"' in body and take_url(case) not in body


def test_who_lacks_the_intake_permission_sees_and_takes_nothing(world, lead, client_for):
    case = register(lead, world.person, ["stottekontakt"], received_on=days_ago(45))
    Case.all_objects.filter(pk=case.pk).update(caseworker=None)
    client = client_for(world.team_member)

    assert client.get(DEADLINES, {"vis": "overtid"}).status_code == 403
    assert client.get(DUE).status_code == 403
    assert client.post(take_url(case), {"tilbake": "frister"}).status_code == 403
    assert Case.all_objects.get(pk=case.pk).caseworker is None


def test_the_action_is_only_for_the_intake_permission(world, lead):
    case = register(lead, world.person, ["stottekontakt"], received_on=days_ago(45))
    Case.all_objects.filter(pk=case.pk).update(caseworker=None)
    case.refresh_from_db()
    request = RequestFactory().get(DEADLINES)
    context = {
        "case": case,
        "named": True,
        "openable": False,
        "about": "x",
        "row_id": 1,
        "hand_out_staff": [],
        "request": request,
    }
    request.actor = type("A", (), {"staff": world.caseworker})()
    assert take_url(case) in render_to_string(
        "casework/_take_case.html", {**context, "may_take": True}
    )
    for other in ({"may_take": False}, {"may_take": True, "named": False}):
        assert render_to_string("casework/_take_case.html", {**context, **other}).strip() == ""
