"""One waiting list per service: the programme's waiting list shows its referrals and
those on the allocation office's waiting list for the service it runs, in one order
(priority, then date) with the same waiting days; a person who gets the place moves
from one kind of row to the other, never on the list twice."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.catalogue import selectors as catalogue_selectors
from mestring.catalogue import services as catalogue_services
from mestring.catalogue.models import WaitingListEntry
from mestring.rehab import selectors
from mestring.rehab.models import Episode, Programme
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for
from tests.catalogue.helpers import provider, service, service_decision
from tests.rehab.helpers import everyday, refer

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def therapy_unit(world):
    """The programme's own unit provides hverdagsrehabilitering, room for one."""
    unit = factories.UnitFactory(municipality=world.municipality, name="Fysio- og ergoterapi")
    programme = everyday(world.municipality)
    programme.unit = unit
    programme.save()
    provider(service(world.municipality, "hverdagsrehabilitering"), unit, "1")
    return unit


def person(world, name):
    return factories.PersonFactory(municipality=world.municipality, family_name=name)


def decision(world, who):
    return service_decision(
        who, service(world.municipality, "hverdagsrehabilitering"), world.caseworker
    )


def on_list(world, who, unit, added_on, priority=2):
    return WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=decision(world, who),
        service=service(world.municipality, "hverdagsrehabilitering"),
        unit=unit,
        added_on=added_on,
        priority=priority,
    )


def therapist(world, unit):
    staff = factories.StaffFactory(municipality=world.municipality)
    staff.units.add(unit)
    factories.give_role(staff, "tjenesteyter")
    return staff


def names(rows):
    return [row.person.family_name for row in rows]


def test_those_waiting_for_a_place_are_on_the_programmes_list_in_order(world, therapy_unit):
    with activate(world.municipality):
        catalogue_services.decision_assign(
            actor=actor_for(world.caseworker),
            decision=decision(world, person(world, "Plassen")),
            unit=therapy_unit,
            starts_on=TODAY - 3 * DAY,
        )
    on_list(world, person(world, "Normal"), therapy_unit, TODAY - 369 * DAY)
    on_list(world, person(world, "Haster"), therapy_unit, TODAY - 10 * DAY, priority=1)
    on_list(world, person(world, "Hvorsomhelst"), None, TODAY - 2 * DAY)
    # Another service, no programme runs it: not on this list.
    day_places = service(world.municipality, "dagplass")
    WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=service_decision(person(world, "Annet"), day_places, world.caseworker),
        service=day_places,
        unit=therapy_unit,
        added_on=TODAY - 400 * DAY,
    )
    programme = everyday(world.municipality)
    with activate(world.municipality):
        rows = selectors.waiting_rows(programme, TODAY)
        catalogue_rows = catalogue_selectors.with_waiting_days(
            list(catalogue_selectors.waiting_list(service=programme.service)), TODAY
        )
        count = selectors.waiting_count_for_units([therapy_unit.pk])
    assert names(rows) == ["Haster", "Normal", "Plassen", "Hvorsomhelst"]
    assert [row.episode is not None for row in rows] == [False, False, True, False]
    # The same waiting days and order as on the allocation office's list.
    from_catalogue = {r.entry.pk: r.waiting_days for r in catalogue_rows}
    assert {row.entry.pk: row.waiting_days for row in rows if row.entry} == from_catalogue
    assert [r.entry.pk for r in catalogue_rows] == [row.entry.pk for row in rows if row.entry]
    assert rows[1].waiting_days == 369
    # The start page's count is the list's length.
    assert count == len(rows) == 4


def test_an_entry_goes_to_the_programme_of_its_unit(world, therapy_unit):
    other_unit = factories.UnitFactory(municipality=world.municipality, name="Sone nord")
    provider(service(world.municipality, "hverdagsrehabilitering"), other_unit, "1")
    north = Programme.all_objects.create(
        municipality=world.municipality,
        code="hverdagsrehab-nord",
        name="Hverdagsrehabilitering nord",
        unit=other_unit,
        service=service(world.municipality, "hverdagsrehabilitering"),
    )
    on_list(world, person(world, "Nordmann"), other_unit, TODAY - 5 * DAY)
    on_list(world, person(world, "Sørmann"), therapy_unit, TODAY - 5 * DAY)
    with activate(world.municipality):
        assert names(selectors.waiting_rows(north, TODAY)) == ["Nordmann"]
        assert names(selectors.waiting_rows(everyday(world.municipality), TODAY)) == ["Sørmann"]
        assert selectors.waiting_count_for_units([other_unit.pk]) == 1
        assert selectors.waiting_count_for_units([therapy_unit.pk, other_unit.pk]) == 2


def test_the_place_given_turns_the_entry_into_the_referral(world, therapy_unit):
    first = person(world, "Først")
    actor = actor_for(world.caseworker)
    with activate(world.municipality):
        taken = catalogue_services.decision_assign(
            actor=actor,
            decision=decision(world, first),
            unit=therapy_unit,
            starts_on=TODAY - 10 * DAY,
        )
    entry = on_list(world, person(world, "Venter"), therapy_unit, TODAY - 30 * DAY)
    programme = everyday(world.municipality)
    with activate(world.municipality):
        before = selectors.waiting_rows(programme, TODAY)
        catalogue_services.assignment_end(actor=actor, assignment=taken, ends_on=TODAY - DAY)
        catalogue_services.waiting_assign(actor=actor, entry=entry)
        after = selectors.waiting_rows(programme, TODAY)
        count = selectors.waiting_count_for_units([therapy_unit.pk])
    assert [(r.person.family_name, r.entry is not None) for r in before] == [
        ("Venter", True),
        ("Først", False),
    ]
    episode = Episode.all_objects.get(decision=entry.decision)
    assert [
        (r.person.family_name, r.episode) for r in after if r.person.family_name == "Venter"
    ] == [("Venter", episode)]
    assert count == len(after)


def test_the_page_names_and_links_only_as_the_guard_allows(world, therapy_unit, client_for):
    entry = on_list(world, person(world, "Ventesen"), therapy_unit, TODAY - 369 * DAY)
    waiting_person = entry.decision.case.person
    url = reverse("rehab:waiting_list")
    link = reverse("rehab:person_episodes", args=[waiting_person.pk])
    # Outside the unit, no care relation: the row is there without the name.
    html = client_for(world.outsider).get(url).content.decode()
    assert "Ventesen" not in html and "Navn vises ikke" in html
    assert "Venter på ledig plass – vedtak" in html and "<td>369</td>" in html
    # The unit the person waits for: named as the unit's work, not linked.
    staff = therapist(world, therapy_unit)
    client = client_for(staff)
    html = client.get(url).content.decode()
    assert "Ventesen" in html and link not in html
    event = AuditEvent.all_objects.filter(person=waiting_person, user=staff.user).latest("seq")
    assert (event.object_type, event.reason_code) == ("episode_waiting_list", "enhetens_arbeid")
    # With a care relation: linked, and the link opens.
    factories.grant_relation(staff, waiting_person)
    html = client.get(url).content.decode()
    assert link in html
    assert client.get(link).status_code == 200
    # The planner has no permission for the list.
    assert client_for(world.read_only).get(url).status_code == 403


def test_the_page_runs_a_fixed_number_of_queries(
    world, therapy_unit, client_for, django_assert_max_num_queries
):
    staff = therapist(world, therapy_unit)
    client = client_for(staff)
    url = reverse("rehab:waiting_list")
    on_list(world, person(world, "En"), therapy_unit, TODAY - DAY)
    refer(world.owner, person(world, "Henvist"), on=TODAY - 2 * DAY)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(8):
        on_list(world, person(world, f"Flere{n}"), therapy_unit if n % 2 else None, TODAY - n * DAY)
        refer(world.owner, person(world, f"Henvist{n}"), on=TODAY - n * DAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 18
    csv = client.get(url, {"format": "csv"})
    assert csv.status_code == 200
    assert "Venter på ledig plass" in b"".join(csv.streaming_content).decode()
