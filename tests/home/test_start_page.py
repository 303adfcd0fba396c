"""The start page of each role: every count is the length of the list it links to,
that list opens for the user, a user without the relation counts nothing of the
person's, and the page runs the same number of queries whatever the amount of data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import CareRelation
from mestring.catalogue.models import Assignment, WaitingListEntry
from mestring.devices.models import Item, Loan, RepairOrder
from mestring.plans import services as plan_services
from mestring.plans.models import Measure
from mestring.portal.models import Conversation, Message
from mestring.tenancy.context import activate
from tests import factories
from tests.catalogue.helpers import provider, service, service_decision
from tests.conftest import make_staff
from tests.devices.loan_helpers import device_type
from tests.plans.helpers import actor_for, make_lead, make_plan, make_pool_coordinator

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _home(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.context["waiting"], response.content.decode()


def _listed(client, url: str) -> int:
    """The number of rows of the list at `url` (all its pages), which must open."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def _appoint(world, coordinator, person):
    lead = make_lead(world)
    with activate(world.municipality):
        return plan_services.coordinator_appoint(
            actor=actor_for(lead), person=person, coordinator=coordinator, started_on=TODAY()
        )


def _citizen_message(person, body: str = "Hei, jeg lurer på noe.") -> Message:
    conversation, _created = Conversation.all_objects.get_or_create(
        municipality=person.municipality, person=person
    )
    return Message.all_objects.create(
        municipality=person.municipality,
        conversation=conversation,
        sender_kind="innbygger",
        sender_name="Pårørende",
        body=body,
    )


def _coordinator_work(world):
    """A coordinator appointed today for a new person (by the coordinating-unit lead),
    who wrote a message; the person's plan is due for revision in five days and a
    measure the coordinator is responsible for ends in three."""
    coordinator = make_pool_coordinator(world, "kari")
    person = factories.PersonFactory(municipality=world.municipality, family_name="Nyberg")
    _appoint(world, coordinator, person)
    _citizen_message(person)
    plan = make_plan(world, staff=world.owner, next_revision_on=TODAY() + datetime.timedelta(5))
    plan.person = person
    plan.save()
    Measure.all_objects.create(
        municipality=world.municipality,
        plan=plan,
        title="Trening i basseng",
        responsible_staff=coordinator,
        end_on=TODAY() + datetime.timedelta(days=3),
    )
    return coordinator, person


def test_coordinator_sees_appointment_person_message_and_deadlines_each_opening(world, client_for):
    coordinator, person = _coordinator_work(world)
    client = client_for(coordinator)
    waiting, body = _home(client)
    assert waiting["new_appointments"] == 1
    assert waiting["new_persons"] == 1  # the coordinator relation the appointment gave
    assert waiting["citizen_input"] == 1
    assert waiting["revisions_due"] == 1
    assert waiting["measures_ending"] == 1
    for key, url in (
        ("new_appointments", reverse("core:new_appointments")),
        ("new_persons", reverse("core:new_persons")),
        ("citizen_input", reverse("portal:staff_inbox")),
        ("revisions_due", reverse("core:revisions_due")),
        ("measures_ending", reverse("core:measures_ending")),
        ("follow_ups", reverse("teams:my_follow_ups")),
        ("my_persons", reverse("access:my_persons")),
        ("reminders", reverse("jobs:reminders") + "?vis=nye"),
    ):
        assert f'href="{url}"' in body.replace("&amp;", "&"), key
        assert _listed(client, url) == waiting[key], key
    # The person is named and linked on the coordinator's lists, and opens.
    listed = client.get(reverse("core:new_appointments")).content.decode()
    overview = reverse("people:overview", args=[person.pk])
    assert f'href="{overview}"' in listed and "Nyberg" in listed
    assert client.get(overview).status_code == 200
    # No person data on the start page itself.
    assert "Nyberg" not in body


def test_a_user_without_the_relation_counts_nothing_of_the_person(world, client_for):
    _coordinator_work(world)
    client = client_for(world.outsider)
    waiting, _body = _home(client)
    for key in ("new_appointments", "new_persons", "citizen_input", "revisions_due"):
        assert waiting[key] == 0, key
    assert waiting["measures_ending"] == 0
    for name in ("new_appointments", "new_persons", "revisions_due", "measures_ending"):
        page = client.get(reverse(f"core:{name}")).content.decode()
        assert "Nyberg" not in page
    assert "Nyberg" not in client.get(reverse("portal:staff_inbox")).content.decode()


def test_a_relation_the_user_made_is_no_news_and_an_old_one_neither(world, client_for):
    person = factories.PersonFactory(municipality=world.municipality)
    own = factories.grant_relation(world.owner, person)
    own.created_by = world.owner.user
    own.save()
    old = factories.grant_relation(
        world.owner, factories.PersonFactory(municipality=world.municipality)
    )
    old.valid_from = timezone.now() - datetime.timedelta(days=30)
    old.save()
    waiting, _body = _home(client_for(world.owner))
    # Only the world's own relation (given by the test set-up, not by the owner) is new.
    given = CareRelation.all_objects.filter(staff=world.owner, created_by__isnull=True)
    assert waiting["new_persons"] == given.exclude(pk=old.pk).count() == 1


def _capacity(world):
    """Dagplass at one unit: 2 places, none in use, one person waiting. Praktisk
    bistand at another: 1 hour a week, 3 hours in use."""
    lead = make_staff(world.municipality, "leder_ke", "leder-kap")
    day_unit = factories.UnitFactory(municipality=world.municipality, name="Dagsenteret")
    home_unit = factories.UnitFactory(municipality=world.municipality, name="Hjemmehjelpen")
    day = service(world.municipality, "dagplass")
    provider(day, day_unit, "2")
    waiting = factories.PersonFactory(municipality=world.municipality)
    WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=service_decision(waiting, day, lead),
        service=day,
        unit=day_unit,
        added_on=TODAY() - datetime.timedelta(days=40),
    )
    help_service = service(world.municipality, "praktisk-bistand")
    provider(help_service, home_unit, "1")
    served = factories.PersonFactory(municipality=world.municipality)
    Assignment.all_objects.create(
        municipality=world.municipality,
        decision=service_decision(served, help_service, lead, hours="3"),
        unit=home_unit,
        starts_on=TODAY() - datetime.timedelta(days=10),
    )


def test_planner_sees_capacity_needing_attention_and_planning_shortcuts(world, client_for):
    _capacity(world)
    client = client_for(world.read_only)  # planlegger
    waiting, body = _home(client)
    assert (waiting["capacity_free"], waiting["capacity_over"]) == (1, 1)
    for key, query in (("capacity_free", ""), ("capacity_over", "?vis=over")):
        url = reverse("core:capacity_attention") + query
        assert f'href="{url}"' in body
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["rows"]) == waiting[key]
    free_row = client.get(reverse("core:capacity_attention")).context["rows"][0]
    assert (free_row.service.code, free_row.free, free_row.waiting) == ("dagplass", Decimal(2), 1)
    for name in ("planning:capacity", "planning:projected_need", "planning:demography"):
        url = reverse(name)
        assert f'href="{url}"' in body
        assert client.get(url).status_code == 200
    # Figures only: the planner has no intake queues nor device work.
    assert "messages" not in waiting and "deliveries" not in waiting
    # Without the statistics right, no capacity count and the list is refused.
    assert "capacity_free" not in _home(client_for(world.owner))[0]
    assert client_for(world.owner).get(reverse("core:capacity_attention")).status_code == 403


def _device_work(world, technician):
    kind = device_type(world.municipality)
    person = factories.PersonFactory(municipality=world.municipality)

    def item(label: str, status: str) -> Item:
        return Item.all_objects.create(
            municipality=world.municipality,
            device_type=kind,
            label=label,
            value_nok=Decimal(2500),
            owner="kommune",
            status=status,
        )

    Loan.all_objects.create(
        municipality=world.municipality,
        item=item("HM-1", "utlant"),
        person=person,
        ordered_on=TODAY(),
        ordered_by=technician,
        expected_return_on=TODAY() + datetime.timedelta(days=90),
    )
    Loan.all_objects.create(
        municipality=world.municipality,
        item=item("HM-2", "utlant"),
        person=person,
        ordered_on=TODAY() - datetime.timedelta(days=120),
        ordered_by=technician,
        delivered_on=TODAY() - datetime.timedelta(days=110),
        delivered_by=technician,
        expected_return_on=TODAY() - datetime.timedelta(days=5),
    )
    item("HM-3", "rengjoring")
    RepairOrder.all_objects.create(
        municipality=world.municipality,
        item=item("HM-4", "reparasjon"),
        opened_on=TODAY(),
        description="Bremsen tar ikke",
    )


def test_technician_sees_deliveries_returns_cleaning_and_repairs(world, client_for):
    technician = make_staff(world.municipality, "hjelpemiddeltekniker", "tekniker")
    _device_work(world, technician)
    client = client_for(technician)
    waiting, body = _home(client)
    assert [waiting[k] for k in ("deliveries", "returns_overdue", "cleaning", "repairs")] == [
        1,
        1,
        1,
        1,
    ]
    for key, name in (
        ("deliveries", "devices:deliveries"),
        ("returns_overdue", "devices:overdue"),
        ("cleaning", "devices:cleaning_queue"),
        ("repairs", "devices:repair_list"),
    ):
        url = reverse(name)
        assert f'href="{url}"' in body, key
        assert _listed(client, url) == waiting[key], key
    for name in ("devices:return_scan", "devices:item_list", "devices:stock"):
        assert f'href="{reverse(name)}"' in body
    # Others have no device counts.
    assert "deliveries" not in _home(client_for(world.owner))[0]


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:home")).status_code == 200
    return len(captured)


ROLES = [
    "koordinator",
    "saksbehandler",
    "leder_ke",
    "tjenesteyter",
    "planlegger",
    "hjelpemiddeltekniker",
    "administrator",
]


@pytest.mark.parametrize("role", ROLES)
def test_start_page_queries_do_not_grow_with_the_data(world, client_for, role):
    user = make_staff(world.municipality, role, f"bruker-{role}")
    client = client_for(user)
    # Some data to start with (a list of none is read with fewer queries than of one).
    unit = factories.UnitFactory(municipality=world.municipality, name="Første enhet")
    provider(service(world.municipality, "dagplass"), unit, "1")
    _home(client)  # the first request warms the session and the caches
    before = _queries(client)
    for _round in range(2):
        person = factories.PersonFactory(municipality=world.municipality)
        factories.grant_relation(user, person)
        _citizen_message(person)
    _capacity(world)
    _device_work(world, user)
    assert _queries(client) == before
