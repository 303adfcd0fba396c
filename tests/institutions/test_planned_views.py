"""The planned arrivals on the bed board and «Skriv inn»: for the ward's own staff who
may open the person; refused to those without the permission, without a care relation,
or from another unit; bad input keeps what was typed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from mestring.catalogue import services as catalogue_services
from mestring.institutions.models import PlannedStay, PlannedStayStatus, Stay
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for
from tests.catalogue.helpers import provider, service, service_decision
from tests.conftest import make_staff
from tests.institutions.helpers import make_unit

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def ward(world):
    unit = make_unit(world.municipality, name="Korttidsavdelingen", beds=1)
    provider(service(world.municipality, "korttidsopphold"), unit, "2")
    return unit


@pytest.fixture
def nurse(world, ward):
    staff = make_staff(world.municipality, "tjenesteyter", "sykepleier")
    staff.units.add(ward)
    return staff


@pytest.fixture
def planned(world, ward):
    decision = service_decision(
        world.person, service(world.municipality, "korttidsopphold"), world.caseworker
    )
    with activate(world.municipality):
        catalogue_services.decision_assign(
            actor=actor_for(world.caseworker), decision=decision, unit=ward, starts_on=TODAY
        )
    return PlannedStay.all_objects.get(decision=decision)


def _url(planned):
    return reverse("institutions:planned_admit", args=[planned.person_id, planned.pk])


def test_the_board_shows_the_planned_arrival_with_skriv_inn_to_the_ward(
    world, client_for, nurse, planned
):
    html = client_for(nurse).get(reverse("institutions:bed_board")).content.decode()
    assert "Planlagte innleggelser" in html
    assert world.person.family_name in html
    assert _url(planned) in html
    assert "Korttidsopphold (utredning/behandling)" in html  # the decision's service
    # Not in a bed: one bed, none taken.
    assert '<span class="figure">0</span> belagt' in html


def test_another_units_provider_sees_no_name_and_no_skriv_inn(world, client_for, planned):
    html = client_for(world.outsider).get(reverse("institutions:bed_board")).content.decode()
    assert "Planlagte innleggelser" in html
    assert world.person.family_name not in html
    assert _url(planned) not in html


def test_skriv_inn_admits_the_planned_stay(world, client_for, nurse, planned):
    client = client_for(nurse)
    page = client.get(_url(planned))
    assert page.status_code == 200
    assert "Skriv inn planlagt opphold" in page.content.decode()
    assert 'value="15.06.2026"' in page.content.decode()  # today, as the user writes it
    response = client.post(_url(planned), {"admitted_on": "15.06.2026", "note": "Fra hjemmet"})
    stay = Stay.all_objects.get(person=world.person, unit=planned.unit)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "institutions:stay_detail", args=[world.person.pk, stay.pk]
    )
    planned.refresh_from_db()
    assert (planned.status, planned.stay) == (PlannedStayStatus.ADMITTED, stay)
    assert (stay.decision, stay.note, stay.admitted_by) == (planned.decision, "Fra hjemmet", nurse)
    # Done: the page leads to the stay, the board no longer lists the plan.
    assert client.get(_url(planned)).status_code == 302
    board = client.get(reverse("institutions:bed_board")).content.decode()
    assert "Planlagte innleggelser" not in board


@pytest.mark.parametrize(
    "data,message",
    [
        ({"admitted_on": "31.02.2026"}, "Datoen må skrives som dd.mm.åååå."),
        ({"admitted_on": ""}, "Skriv inn innleggelsesdatoen."),
        ({"admitted_on": "20.06.2026"}, "Innleggelsesdatoen kan ikke være fram i tid."),
    ],
)
def test_bad_input_keeps_what_was_typed(client_for, nurse, planned, data, message):
    response = client_for(nurse).post(_url(planned), {**data, "note": "Min merknad"})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "Min merknad" in html
    assert not Stay.all_objects.exists()


def test_a_full_ward_refuses_unless_over_capacity(world, client_for, nurse, planned, ward):
    other = factories.PersonFactory(municipality=world.municipality)
    Stay.all_objects.create(
        municipality=world.municipality,
        person=other,
        unit=ward,
        stay_type="langtid",
        admitted_on=TODAY - datetime.timedelta(days=3),
    )
    client = client_for(nurse)
    refused = client.post(_url(planned), {"admitted_on": "15.06.2026"})
    assert "har ingen ledig seng" in refused.content.decode()
    client.post(_url(planned), {"admitted_on": "15.06.2026", "over_capacity": "on"})
    assert Stay.all_objects.get(person=world.person).over_capacity


def test_refusals(world, client_for, planned, ward, nurse):
    url = _url(planned)
    # No care relation to the person (another unit's provider).
    assert client_for(world.outsider).get(url).status_code == 403
    assert client_for(world.outsider).post(url, {"admitted_on": "15.06.2026"}).status_code == 403
    # A care relation but not the ward's staff.
    assert client_for(world.owner).get(url).status_code == 403
    assert client_for(world.owner).post(url, {"admitted_on": "15.06.2026"}).status_code == 403
    # The ward's unit but without the permission to register stays.
    reader = make_staff(world.municipality, "koordinator", "leser")
    reader.units.add(ward)
    assert client_for(reader).get(url).status_code == 403
    # Another person's id in the URL.
    stranger = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(nurse, stranger)
    wrong = reverse("institutions:planned_admit", args=[stranger.pk, planned.pk])
    assert client_for(nurse).get(wrong).status_code == 404
    assert not Stay.all_objects.exists()
    planned.refresh_from_db()
    assert planned.status == PlannedStayStatus.PLANNED


def test_a_cancelled_plan_cannot_be_admitted(world, client_for, nurse, planned):
    with activate(world.municipality):
        catalogue_services.assignment_end(
            actor=actor_for(world.caseworker), assignment=planned.assignment, ends_on=TODAY
        )
    client = client_for(nurse)
    page = client.get(_url(planned)).content.decode()
    assert "Den planlagte innleggelsen er avlyst." in page
    client.post(_url(planned), {"admitted_on": "15.06.2026"})
    assert not Stay.all_objects.exists()


def test_the_persons_stays_tab_lists_the_plan(world, client_for, nurse, planned):
    url = reverse("institutions:person_stays", args=[world.person.pk])
    html = client_for(nurse).get(url).content.decode()
    assert "Planlagte innleggelser" in html and _url(planned) in html
    # The person's own provider elsewhere sees the plan, without «Skriv inn».
    other = client_for(world.owner).get(url).content.decode()
    assert "Planlagte innleggelser" in other and _url(planned) not in other
