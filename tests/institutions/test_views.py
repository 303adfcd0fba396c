"""The institution pages: person tab, admission, discharge, rehabilitation plan, bed
board, units and beds, purchase agreements and the two report pages. Refusals, bad
input without a 500, and fixed query counts."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, Block, CareRelation
from mestring.institutions.models import BedCapacity, PurchaseAgreement, RehabilitationPlan, Stay
from tests import factories
from tests.institutions.helpers import admit, make_unit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate  # called per use: a run may pass midnight


def DAY() -> datetime.date:
    return TODAY() - datetime.timedelta(days=10)


def d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


@pytest.fixture
def unit(world):
    return make_unit(world.municipality, beds=1, valid_from=datetime.date(2015, 1, 1))


@pytest.fixture
def owner(world, client_for):
    return client_for(world.owner)


def test_outsider_is_refused_on_person_pages(world, client_for, unit):
    stay = admit(world.owner, world.person, unit, on=DAY())
    client = client_for(world.outsider)
    for url in (
        reverse("institutions:person_stays", args=[world.person.pk]),
        reverse("institutions:stay_create", args=[world.person.pk]),
        reverse("institutions:stay_detail", args=[world.person.pk, stay.pk]),
        reverse("institutions:rehab_plan_edit", args=[world.person.pk, stay.pk]),
    ):
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"discharged_on": d(TODAY()), "discharged_to": "hjem"}).status_code
            == 403
        )
    stay.refresh_from_db()
    assert stay.discharged_on is None


def test_admit_write_plan_and_discharge(world, owner, unit):
    create = reverse("institutions:stay_create", args=[world.person.pk])
    page = owner.get(create)
    assert page.status_code == 200 and "Lokalmedisinsk senter" in page.content.decode()
    response = owner.post(
        create,
        {"unit": unit.pk, "stay_type": "rehabilitering", "admitted_on": d(DAY()), "note": ""},
        follow=True,
    )
    stay = Stay.all_objects.get(person=world.person)
    assert response.redirect_chain[-1][0] == reverse(
        "institutions:stay_detail", args=[world.person.pk, stay.pk]
    )
    html = response.content.decode()
    assert "er lagt inn på Lokalmedisinsk senter" in html
    assert "Skriv rehabiliteringsplan" in html
    assert CareRelation.all_objects.filter(unit=unit, person=world.person, valid_to=None).exists()

    plan_url = reverse("institutions:rehab_plan_edit", args=[world.person.pk, stay.pk])
    response = owner.post(
        plan_url,
        {
            "goals": "Gå trappen hjemme\nLage kaffe selv",
            "daily_training": "Gangtrening",
            "physio_minutes_per_day": "45",
            "responsible": world.owner.pk,
        },
        follow=True,
    )
    assert "Rehabiliteringsplanen er lagret." in response.content.decode()
    assert RehabilitationPlan.all_objects.get(stay=stay).physio_minutes_per_day == 45

    detail = reverse("institutions:stay_detail", args=[world.person.pk, stay.pk])
    response = owner.post(
        detail, {"discharged_on": d(TODAY()), "discharged_to": "hjem"}, follow=True
    )
    assert "Oppholdet er avsluttet." in response.content.decode()
    stay.refresh_from_db()
    assert stay.discharged_to == "hjem"
    assert not CareRelation.all_objects.filter(
        unit=unit, person=world.person, valid_to=None
    ).exists()
    listing = owner.get(reverse("institutions:person_stays", args=[world.person.pk]))
    assert "Rehabilitering" in listing.content.decode() and d(TODAY()) in listing.content.decode()


def test_full_unit_is_refused_with_a_message_and_input_kept(world, owner, unit):
    admit(world.owner, factories.PersonFactory(municipality=world.municipality), unit, on=DAY())
    create = reverse("institutions:stay_create", args=[world.person.pk])
    data = {"unit": unit.pk, "stay_type": "korttid", "admitted_on": d(DAY()), "note": "Etter fall"}
    response = owner.post(create, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "har ingen ledig seng" in html and "Etter fall" in html
    assert not Stay.all_objects.filter(person=world.person).exists()
    response = owner.post(create, {**data, "over_capacity": "on"})
    assert response.status_code == 302
    assert Stay.all_objects.get(person=world.person).over_capacity


def test_junk_input_gives_errors_not_500(world, owner, unit):
    create = reverse("institutions:stay_create", args=[world.person.pk])
    response = owner.post(
        create,
        {"unit": "999999", "stay_type": "ferie", "admitted_on": "31.02.2020", "decision": "x"},
    )
    assert response.status_code == 200
    assert "Datoen må skrives som dd.mm.åååå." in response.content.decode()
    stay = admit(world.owner, world.person, unit, on=DAY(), stay_type="korttid")
    detail = reverse("institutions:stay_detail", args=[world.person.pk, stay.pk])
    response = owner.post(detail, {"discharged_on": "i går", "discharged_to": "månen"})
    assert response.status_code == 200
    response = owner.post(
        detail, {"discharged_on": d(DAY() - datetime.timedelta(days=3)), "discharged_to": "hjem"}
    )
    assert "før innleggelsen" in response.content.decode()
    # No rehabilitation plan for a short-term stay.
    plan = reverse("institutions:rehab_plan_edit", args=[world.person.pk, stay.pk])
    assert owner.get(plan).status_code == 404
    assert (
        owner.get(reverse("institutions:stay_detail", args=[world.person.pk, 999999])).status_code
        == 404
    )


def test_bed_board_permissions_and_fixed_queries(world, client_for, django_assert_max_num_queries):
    big = make_unit(world.municipality, name="Stor", beds=40, valid_from=datetime.date(2015, 1, 1))
    make_unit(world.municipality, name="Liten", beds=3, valid_from=datetime.date(2015, 1, 1))
    world.team_member.units.add(big)  # names are shown to those who work in the unit
    client = client_for(world.team_member)
    url = reverse("institutions:bed_board")
    assert client_for(world.read_only).get(url).status_code == 403

    def person_in_bed():
        person = factories.PersonFactory(municipality=world.municipality)
        Stay.all_objects.create(
            municipality=world.municipality,
            person=person,
            unit=big,
            stay_type="korttid",
            admitted_on=DAY(),
        )
        return person

    first = person_in_bed()
    client.get(url)  # warm caches (session, roles)
    with django_assert_max_num_queries(40) as few:
        response = client.get(url)
    assert first.family_name in response.content.decode()
    for _ in range(15):
        person_in_bed()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert "Stor" in html and "Liten" in html
    assert client.get(url, {"dato": "32.13.2020"}).status_code == 200
    assert "er ikke en dato" in client.get(url, {"dato": "juks"}).content.decode()
    past = client.get(url, {"dato": d(DAY() - datetime.timedelta(days=1))}).content.decode()
    assert first.family_name not in past


def test_unit_beds_admin(world, client_for):
    url = reverse("institutions:unit_beds")
    assert client_for(world.owner).get(url).status_code == 403
    admin = client_for(world.admin)
    target = factories.UnitFactory(municipality=world.municipality, name="Miljøtunet")
    response = admin.post(
        url, {"unit": target.pk, "beds": "2", "valid_from": "01.01.2026"}, follow=True
    )
    assert "Sengetallet for Miljøtunet er lagret." in response.content.decode()
    assert BedCapacity.all_objects.get(unit=target).beds == 2
    assert (
        admin.post(url, {"unit": target.pk, "beds": "mange", "valid_from": "x"}).status_code == 200
    )


def test_agreements(world, client_for):
    centre = make_unit(world.municipality, name="Helgeland rehabiliteringssenter", beds=20)
    admin, worker = client_for(world.admin), client_for(world.team_member)
    create = reverse("institutions:agreement_create")
    assert worker.get(create).status_code == 403
    assert (
        client_for(world.read_only).get(reverse("institutions:agreement_list")).status_code == 403
    )
    data = {
        "name": "Helgeland",
        "centre": centre.pk,
        "year": str(TODAY().year),
        "bed_days": "200",
        "price_per_day": "4500",
        "note": "",
    }
    assert admin.post(create, {**data, "price_per_day": "mye"}).status_code == 200
    response = admin.post(create, data)
    agreement = PurchaseAgreement.all_objects.get()
    assert response.status_code == 302
    admit(world.owner, world.person, centre, on=DAY())
    detail = worker.get(reverse("institutions:agreement_detail", args=[agreement.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200 and "Kjøpte døgn" in html and world.person.family_name in html
    assert worker.get(reverse("institutions:agreement_list")).status_code == 200
    edit = reverse("institutions:agreement_edit", args=[agreement.pk])
    assert admin.post(edit, {**data, "bed_days": "250"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.bed_days == 250 and agreement.price_per_day == Decimal("4500")


def test_report_beds_page_and_csv(world, client_for, unit):
    Stay.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        unit=unit,
        stay_type="korttid",
        admitted_on=datetime.date(2024, 12, 20),
        discharged_on=datetime.date(2025, 1, 11),
    )
    url = reverse("institutions:report_beds")
    assert client_for(world.outsider).get(url).status_code == 403
    client = client_for(world.read_only)
    page = client.get(url, {"enhet": unit.pk, "ar": "2025"})
    html = page.content.decode()
    assert page.status_code == 200 and "Korttidsopphold" in html and "10" in html
    assert world.person.family_name not in html
    csv_page = client.get(url, {"enhet": unit.pk, "ar": "2025", "format": "csv"})
    out = io.StringIO()
    call_command(
        "report",
        "bed-occupancy",
        municipality=world.municipality.number,
        year=2025,
        unit=unit.name,
        format="csv",
        stdout=out,
    )
    assert csv_page.content.decode() == out.getvalue()
    assert client.get(url, {"enhet": "x", "ar": "tjue"}).status_code == 200


def test_report_purchased_page(world, client_for):
    centre = make_unit(world.municipality, name="Helgeland rehabiliteringssenter", beds=20)
    PurchaseAgreement.all_objects.create(
        municipality=world.municipality,
        name="Helgeland",
        centre=centre,
        year=TODAY().year,
        bed_days=200,
        price_per_day=Decimal("4500"),
    )
    url = reverse("institutions:report_purchased")
    assert client_for(world.outsider).get(url).status_code == 403
    client = client_for(world.read_only)
    page = client.get(url)
    assert page.status_code == 200 and "Helgeland" in page.content.decode()
    assert client.get(url, {"format": "csv"})["Content-Type"].startswith("text/csv")
    assert client.get(url, {"avtale": "x", "ar": "1"}).status_code == 200


def test_other_municipality_objects_are_not_found(world, client_for):
    away = factories.make_municipality("9002", "Annen kommune")
    centre = make_unit(away, name="Senter i B", beds=3)
    agreement = PurchaseAgreement.all_objects.create(
        municipality=away,
        name="B-avtale",
        centre=centre,
        year=TODAY().year,
        bed_days=5,
        price_per_day=Decimal("1"),
    )
    admin = client_for(world.admin)
    assert (
        client_for(world.team_member)
        .get(reverse("institutions:agreement_detail", args=[agreement.pk]))
        .status_code
        == 404
    )
    assert admin.get(reverse("institutions:agreement_edit", args=[agreement.pk])).status_code == 404
    assert "Senter i B" not in admin.get(reverse("institutions:unit_beds")).content.decode()
    page = client_for(world.read_only).get(
        reverse("institutions:report_beds"), {"enhet": centre.pk}
    )
    assert "Senter i B" not in page.content.decode()


def _in_bed(world, unit, stay_type="lindrende", **person):
    patient = factories.PersonFactory(municipality=world.municipality, **person)
    Stay.all_objects.create(
        municipality=world.municipality,
        person=patient,
        unit=unit,
        stay_type=stay_type,
        admitted_on=DAY(),
    )
    return patient


@pytest.mark.attack
def test_bed_board_names_only_whom_the_user_may_see_and_logs_each(world, client_for):
    """(M5) The bed board names a patient (palliative ones too) only to staff with a care
    relation or working in the unit of the stay; others see the bed taken without the
    name; each name shown is in that person's access log."""
    ward = make_unit(world.municipality, name="Lindrende enhet", beds=4)
    patient = _in_bed(world, ward, family_name="Palliasen")
    url = reverse("institutions:bed_board")
    # A provider elsewhere: the bed is counted, the name is not shown, nothing logged.
    html = client_for(world.outsider).get(url).content.decode()
    assert "Palliasen" not in html and "Navn vises ikke" in html
    assert "Lindrende enhet" in html
    assert not AuditEvent.all_objects.filter(person=patient).exists()
    assert AuditEvent.all_objects.filter(
        user=world.outsider.user, object_type="bed_board", person=None
    ).exists()
    # Someone working in the ward sees the name, and the patient's log says so.
    world.outsider.units.add(ward)
    html = client_for(world.outsider).get(url).content.decode()
    assert "Palliasen" in html
    event = AuditEvent.all_objects.get(person=patient, object_type="bed_board")
    assert (event.user_id, event.action, event.reason_code) == (
        world.outsider.user.pk,
        "view",
        "enhetens_arbeid",
    )
    # A block wins over the unit's work list.
    Block.all_objects.create(municipality=world.municipality, person=patient, staff=world.outsider)
    assert "Palliasen" not in client_for(world.outsider).get(url).content.decode()
    # A care relation is enough anywhere (the team member's unit has one to world.person).
    _in_bed(world, ward)
    Stay.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        unit=ward,
        stay_type="korttid",
        admitted_on=DAY(),
    )
    html = client_for(world.team_member).get(url).content.decode()
    assert world.person.family_name in html and "Palliasen" not in html
    assert AuditEvent.all_objects.filter(
        person=world.person,
        object_type="bed_board",
        user=world.team_member.user,
        reason_code="tjenesteyter",
    ).exists()
