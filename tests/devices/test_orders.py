"""Orders by type: filled from a free item or waiting (first ordered, first filled);
the store's unit sees the person only while an order or loan is open; the store's
order list and person search; a worn or noted return is inspected before it is lent
again; label lookups ignore case; assignments to the store's unit become orders."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.catalogue import services as catalogue_services
from mestring.devices.models import (
    DeviceOrder,
    DeviceOrderStatusChange,
    Item,
    ItemStatusChange,
    Loan,
    RepairOrder,
    Store,
    StoreRoom,
)
from mestring.devices.services import loans as loan_services
from mestring.devices.services import nav as nav_services
from mestring.devices.services import orders as order_services
from mestring.devices.services import store as store_services
from mestring.tenancy.context import activate
from tests import factories
from tests.catalogue.helpers import provider, service, service_decision
from tests.conftest import make_staff
from tests.devices.loan_helpers import (
    DAY,
    actor_for,
    deliver,
    device_type,
    give_back,
    make_item,
    order,
    order_type,
)

pytestmark = pytest.mark.django_db


def d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


@pytest.fixture
def store_unit(world):
    return factories.UnitFactory(municipality=world.municipality, name="Hjelpemiddellageret")


@pytest.fixture
def store(world, store_unit):
    with activate(world.municipality):
        store = Store.objects.create(name="Hjelpemiddellageret", unit=store_unit)
        StoreRoom.objects.create(store=store, name="Hovedlager")
    return store


@pytest.fixture
def technician(world, store_unit):
    staff = make_staff(world.municipality, "hjelpemiddeltekniker", "tekniker")
    staff.units.add(store_unit)
    return staff


def store_item(world, store, label, **kwargs) -> Item:
    item = make_item(world.municipality, label, **kwargs)
    item.room = StoreRoom.all_objects.get(store=store)
    item.save(update_fields=["room"])
    return item


def unit_sees(person, unit) -> bool:
    with activate(person.municipality):
        return CareRelation.objects.active().filter(person=person, unit=unit).exists()


def test_an_order_by_type_reserves_a_free_item_and_opens_the_person_to_the_store(
    world, store, store_unit, technician, client_for
):
    item = store_item(world, store, "HM-1")
    person_page = reverse("devices:person_devices", args=[world.person.pk])
    assert client_for(technician).get(person_page).status_code == 403

    placed = order_type(world.owner, world.person)

    placed.refresh_from_db()
    item.refresh_from_db()
    assert placed.status == "fylt" and placed.loan.item == item and item.status == "utlant"
    assert placed.store == store
    history = DeviceOrderStatusChange.all_objects.filter(order=placed).order_by("pk")
    assert [h.to_status for h in history] == ["venter", "fylt"]
    assert AuditEvent.all_objects.filter(
        action="devices.loan.order", object_type="devices.DeviceOrder", object_id=str(placed.pk)
    ).exists()
    # The store's unit sees the person through the order, through the guard.
    assert unit_sees(world.person, store_unit)
    assert client_for(technician).get(person_page).status_code == 200


def test_without_a_free_item_orders_wait_and_the_first_ordered_gets_the_next(
    world, store, technician
):
    dirty = store_item(world, store, "HM-2", status="rengjoring")
    later = factories.PersonFactory(municipality=world.municipality, family_name="Senere")
    first = order_type(world.owner, world.person, on=DAY)
    second = order_type(world.owner, later, on=DAY + datetime.timedelta(days=1))
    assert (first.status, second.status) == ("venter", "venter")
    assert not Loan.all_objects.exists()

    with activate(world.municipality):
        store_services.item_mark_cleaned(actor=actor_for(technician), item=dirty)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "fylt" and first.loan.item == dirty
    assert second.status == "venter"

    # A new item registered in the store goes to the next one waiting.
    with activate(world.municipality):
        new = store_services.item_create(
            actor=actor_for(technician),
            device_type=device_type(world.municipality),
            label="HM-3",
        )
    second.refresh_from_db()
    assert second.status == "fylt" and second.loan.item == new


def test_cancelling_a_reserved_order_frees_the_item_for_the_next_waiting(world, store):
    store_item(world, store, "HM-4")
    later = factories.PersonFactory(municipality=world.municipality, family_name="Senere")
    first = order_type(world.owner, world.person)
    second = order_type(world.owner, later)
    assert second.status == "venter"
    with activate(world.municipality):
        order_services.order_cancel(actor=actor_for(world.owner), order=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "avbestilt" and first.loan is None
    assert second.status == "fylt" and second.loan.item.label == "HM-4"


def test_the_store_loses_sight_of_the_person_with_the_last_return(
    world, store, store_unit, technician, client_for
):
    store_item(world, store, "HM-5")
    placed = order_type(world.owner, world.person)
    loan = deliver(technician, Loan.all_objects.get(pk=placed.loan_id))
    give_back(technician, loan, DAY)
    assert not unit_sees(world.person, store_unit)
    person_page = reverse("devices:person_devices", args=[world.person.pk])
    assert client_for(technician).get(person_page).status_code == 403


@pytest.mark.parametrize(
    ("condition", "note", "inspected"),
    [
        ("slitt", "", True),
        ("god", "Bremsen tar dårlig", True),
        ("mangler_deler", "", True),
        ("god", "", False),
    ],
)
def test_a_worn_or_noted_return_is_inspected_before_it_is_available(
    world, technician, condition, note, inspected
):
    make_item(world.municipality, "HM-6")
    loan = deliver(technician, order(world.owner, world.person, "HM-6"))
    give_back(technician, loan, DAY, condition, note)
    item = Item.all_objects.get(label="HM-6")
    assert item.status == "rengjoring" and item.last_return_id == loan.pk
    with activate(world.municipality):
        store_services.item_mark_cleaned(actor=actor_for(technician), item=item)
    item.refresh_from_db()
    if not inspected:
        assert item.status == "ledig" and item.last_return is None
        return
    assert item.status == "kontroll" and item.last_return_id == loan.pk
    with activate(world.municipality):
        store_services.item_inspected(actor=actor_for(technician), item=item)
    item.refresh_from_db()
    assert item.status == "ledig" and item.last_return is None
    history = ItemStatusChange.all_objects.filter(item=item).order_by("pk")
    assert [h.to_status for h in history][-3:] == [
        "rengjoring",
        "kontroll",
        "ledig",
    ]


def test_the_cleaning_queue_shows_the_return_and_offers_inspection(world, technician, client_for):
    make_item(world.municipality, "HM-7")
    loan = deliver(technician, order(world.owner, world.person, "HM-7"))
    give_back(technician, loan, DAY, "slitt", "Hjul slarker")
    client = client_for(technician)
    queue = reverse("devices:cleaning_queue")
    html = client.get(queue).content.decode()
    assert "HM-7" in html and "Slitt" in html and "Hjul slarker" in html
    item = Item.all_objects.get(label="HM-7")
    response = client.post(reverse("devices:item_cleaned", args=[item.pk]), follow=True)
    html = response.content.decode()
    assert "venter på kontroll" in html and "Til kontroll" in html and "Hjul slarker" in html
    inspected = reverse("devices:item_inspected", args=[item.pk])
    assert inspected in html
    assert client_for(world.outsider).post(inspected).status_code == 403
    response = client.post(inspected, follow=True)
    assert "er kontrollert og ledig" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "ledig"


def test_a_damaged_return_follows_the_item_to_repair(world, technician, client_for):
    make_item(world.municipality, "HM-8")
    loan = deliver(technician, order(world.owner, world.person, "HM-8"))
    give_back(technician, loan, DAY, "skadet", "Knekt håndtak")
    item = Item.all_objects.get(label="HM-8")
    assert item.status == "reparasjon"
    client = client_for(technician)
    assert "Knekt håndtak" in client.get(reverse("devices:repair_list")).content.decode()
    with activate(world.municipality):
        repair = store_services.repair_open(
            actor=actor_for(technician), item=item, description="Nytt håndtak"
        )
    assert RepairOrder.all_objects.get(pk=repair.pk).loan == loan
    html = client.get(reverse("devices:repair_list")).content.decode()
    assert "Skadet, må repareres" in html and "Knekt håndtak" in html
    detail = client.get(reverse("devices:item_detail", args=[item.pk])).content.decode()
    assert "Knekt håndtak" in detail


def test_label_lookups_ignore_case(world, technician, client_for):
    item = make_item(world.municipality, "HM-CASE")
    with activate(world.municipality):
        assert loan_services.find_item("  hm-case ") == item
        assert store_services.item_for_label("Hm-Case") == item
    loan = order(world.owner, world.person, "hm-case")
    assert loan.item == item
    deliver(technician, loan)
    client = client_for(technician)
    scan = client.get(reverse("devices:return_scan"), {"merkelapp": "hm-case"})
    assert "Levert tilbake" in scan.content.decode()
    give_back(technician, loan, DAY)
    response = client.post(reverse("devices:cleaning_queue"), {"label": "hm-case"}, follow=True)
    assert "er rengjort og ledig" in response.content.decode()
    search = client.get(reverse("devices:item_list"), {"q": "hm-case"})
    assert search.status_code == 302 and search.url.endswith(f"/{item.pk}/")
    with activate(world.municipality):
        application = nav_services.nav_application_create(
            actor=actor_for(world.owner), person=world.person, description="Rullestol", sent_on=DAY
        )
        nav_services.nav_application_status(
            actor=actor_for(world.owner),
            application=application,
            to_status="innvilget",
            changed_on=DAY,
        )
        with pytest.raises(nav_services.NavError, match="allerede brukt"):
            nav_services.nav_application_status(
                actor=actor_for(world.owner),
                application=application,
                to_status="levert",
                changed_on=DAY,
                label="hm-CASE",
                device_type=device_type(world.municipality),
            )


def test_the_store_finds_only_persons_with_an_open_order_or_loan(
    world, store, technician, client_for
):
    store_item(world, store, "HM-9")
    order_type(world.owner, world.person)
    factories.PersonFactory(
        municipality=world.municipality, given_name="Gunnhild", family_name="Skjermesen"
    )
    url = reverse("devices:store_person_search")
    html = client_for(technician).get(url, {"q": "skjermesen"}).content.decode()
    person_page = reverse("devices:person_devices", args=[world.person.pk])
    assert html.count("Skjermesen, Gunnhild") == 1 and person_page in html
    assert AuditEvent.all_objects.filter(object_type="devices.person_search").exists()
    # A technician whose unit does not run the store finds the name but gets no link.
    other = make_staff(world.municipality, "hjelpemiddeltekniker", "annen")
    html = client_for(other).get(url, {"q": "skjermesen"}).content.decode()
    assert "Skjermesen, Gunnhild" in html and person_page not in html
    refused = client_for(world.outsider).get(url, {"q": "skjermesen"})
    assert refused.status_code == 403
    bad = client_for(technician).get(url, {"q": "01017012345"})
    assert "ikke fødselsnummer" in bad.content.decode()


def test_the_order_list_chooses_a_type_and_delivers(world, store, technician, client_for):
    store_item(world, store, "HM-10")
    with activate(world.municipality):
        new = DeviceOrder.objects.create(
            person=world.person, store=store, ordered_on=DAY, status="ny"
        )
    client = client_for(technician)
    url = reverse("devices:store_orders")
    assert client_for(world.outsider).get(url).status_code == 403
    html = client.get(url).content.decode()
    assert "Type ikke valgt" in html and "Skjermesen, Gunnhild" in html
    prefix = f"o{new.pk}"
    bad = client.post(url, {"order": new.pk, f"{prefix}-device_type": ""})
    assert "Velg hvilken type hjelpemiddel som trengs." in bad.content.decode()
    response = client.post(
        url,
        {
            "order": new.pk,
            f"{prefix}-device_type": device_type(world.municipality).pk,
            f"{prefix}-expected_return_on": d(DAY + datetime.timedelta(days=30)),
        },
        follow=True,
    )
    assert "HM-10 er reservert" in response.content.decode()
    new.refresh_from_db()
    assert new.status == "fylt"
    loan = new.loan
    response = client.post(
        url,
        {"loan": loan.pk, f"l{loan.pk}-delivered_on": d(timezone.localdate())},
        follow=True,
    )
    assert "utlånet er startet" in response.content.decode()
    loan.refresh_from_db()
    assert loan.delivered_on == timezone.localdate() and loan.delivered_by == technician


def test_the_order_list_has_a_fixed_number_of_queries(
    world, store, technician, client_for, django_assert_max_num_queries
):
    client = client_for(technician)
    url = reverse("devices:store_orders")

    def add(n: int) -> None:
        for index in range(n):
            person = factories.PersonFactory(municipality=world.municipality)
            store_item(world, store, f"Q-{person.pk}-{index}")
            order_type(world.owner, person)
            order_type(world.owner, person)  # waits: one item each

    add(2)
    with django_assert_max_num_queries(200) as small:
        client.get(url)
    add(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.fixture
def alarm(world, store_unit):
    """A device service (a safety alarm) the store's unit provides."""
    svc = service(world.municipality, "trygghetsalarm")
    provider(svc, store_unit, "0")
    return svc


def test_an_assignment_to_the_store_unit_is_an_order_and_its_end_cancels_it(
    world, store, store_unit, technician, alarm, client_for
):
    today = timezone.localdate()
    decision = service_decision(world.person, alarm, world.caseworker)
    with activate(world.municipality):
        assignment = catalogue_services.decision_assign(
            actor=actor_for(world.caseworker), decision=decision, unit=store_unit, starts_on=today
        )
    placed = DeviceOrder.all_objects.get(decision=decision)
    assert (placed.status, placed.store, placed.device_type) == ("ny", store, None)
    html = client_for(technician).get(reverse("devices:store_orders")).content.decode()
    assert "Trygghetsalarm" in html and "Type ikke valgt" in html
    with activate(world.municipality):
        catalogue_services.assignment_end(
            actor=actor_for(world.caseworker), assignment=assignment, ends_on=today
        )
    placed.refresh_from_db()
    assert placed.status == "avbestilt"


def test_an_ended_assignment_keeps_the_store_access_of_an_open_loan(
    world, store, store_unit, alarm
):
    store_item(world, store, "HM-11")
    decision = service_decision(world.person, alarm, world.caseworker)
    with time_machine.travel(timezone.now(), tick=False):
        today = timezone.localdate()
        with activate(world.municipality):
            assignment = catalogue_services.decision_assign(
                actor=actor_for(world.caseworker),
                decision=decision,
                unit=store_unit,
                starts_on=today,
            )
            placed = DeviceOrder.objects.get(decision=decision)
            order_services.order_choose_type(
                actor=actor_for(world.owner),
                order=placed,
                device_type=device_type(world.municipality),
                expected_return_on=today + datetime.timedelta(days=60),
            )
            catalogue_services.assignment_end(
                actor=actor_for(world.caseworker), assignment=assignment, ends_on=today
            )
    placed.refresh_from_db()
    assert placed.status == "fylt"
    # The assignment's relation ends with its last day; the loan's goes on.
    with activate(world.municipality):
        lasting = CareRelation.objects.active().filter(
            person=world.person, unit=store_unit, valid_to__isnull=True
        )
        assert lasting.count() == 1


def test_the_person_page_shows_a_waiting_order_and_cancels_it(world, client_for):
    waiting = order_type(world.owner, world.person, "Personløfter")
    assert waiting.status == "venter"
    page = reverse("devices:person_devices", args=[world.person.pk])
    html = client_for(world.owner).get(page).content.decode()
    assert "Personløfter" in html and "Venter på ledig hjelpemiddel" in html
    cancel = reverse("devices:order_cancel", args=[world.person.pk, waiting.pk])
    assert client_for(world.outsider).post(cancel).status_code == 403
    response = client_for(world.owner).post(cancel, follow=True)
    assert "Bestillingen er avbestilt." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "avbestilt"
    assert AuditEvent.all_objects.filter(
        action="devices.loan.cancel", object_type="devices.DeviceOrder", object_id=str(waiting.pk)
    ).exists()
