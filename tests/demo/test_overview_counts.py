"""Every figure on the demo's overview pages equals the length of the list it stands
for, on the demo municipality as `mestring demo` builds it: a figure that links to a
list is compared with that list (its CSV download, which holds every row, not one
page); a figure without a link is compared with the rows beside it or through the
selectors. And the demo's history is plausible: care relations come from the domain
actions that give them, cases are not open for years, a device's status is where its
last event left it."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import CareRelation, CareRelationKind
from mestring.casework.models import OPEN_CASE_STATUSES, Case
from mestring.catalogue.models import ServiceProvider, WaitingListEntry
from mestring.catalogue.services import in_use
from mestring.demo.build import DEMO_NUMBER, USERS
from mestring.devices.models import (
    DeviceOrder,
    DeviceOrderStatus,
    Item,
    ItemStatus,
    ItemStatusChange,
)
from mestring.institutions.models import PlannedStay, PlannedStayStatus, Stay
from mestring.institutions.selectors import planned_stays
from mestring.people.models import Staff
from mestring.plans.models import CoordinatorAssignment
from mestring.teams.models import Meeting
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality
from tests.conftest import built_once, login

pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]

USERNAMES = [f"demo.{user.username}" for user in USERS]
# A figure followed by its link (the start page), or a link whose text is the figure.
FIGURE_THEN_LINK = re.compile(r'<span class="figure">\s*(\d+)\s*</span>\s*<a\b[^>]*?href="([^"]+)"')
NUMBER_LINK = re.compile(r'<a\b[^>]*?href="([^"]+)"[^>]*>\s*(\d+)\s*</a>')


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    yield from built_once(django_db_blocker, lambda: call_command("demo", "--json"))


def _staff(username: str) -> Staff:
    return Staff.all_objects.select_related("user").get(user__username=username)


def _client(username: str) -> Client:
    return login(Client(), _staff(username))


def _main(page: str) -> str:
    return page[page.find("<main") : page.find("</main>")]


def _figures(page: str) -> list[tuple[int, str]]:
    """(figure, link) for every figure on the page that links to its list."""
    main = _main(page)
    found = [(int(n), html.unescape(h)) for n, h in FIGURE_THEN_LINK.findall(main)]
    found += [(int(n), html.unescape(h)) for h, n in NUMBER_LINK.findall(main)]
    return found


def _csv_tables(client: Client, url: str) -> list[list[list[str]]]:
    """The tables of a list's CSV download: a file may hold several, each after a blank
    line and a one-field title; each table here is its header and rows."""
    path = url.split("#")[0]
    response = client.get(path + ("&" if "?" in path else "?") + "format=csv")
    assert response.status_code == 200, f"{url}: {response.status_code}"
    assert "csv" in response["Content-Type"], f"{url} has no CSV download"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8").lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in text else ","
    tables: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if not any(cell.strip() for cell in row):
            if tables[-1]:
                tables.append([])
            continue
        tables[-1].append(row)
    tables = [t for t in tables if t]
    return [t[1:] if len(t) > 1 and len(t[0]) == 1 and len(t[1]) > 1 else t for t in tables]


def _list_length(client: Client, url: str) -> int:
    """Rows in the list a link opens; a link to a page's second table says so with its
    fragment (the access reviews below the emergency reviews)."""
    tables = _csv_tables(client, url)
    if not tables:
        return 0  # an empty list's file may hold nothing at all
    table = tables[1] if "#" in url and len(tables) > 1 else tables[0]
    return len(table) - 1


@pytest.mark.parametrize("username", USERNAMES)
def test_every_start_page_figure_equals_its_list(demo: None, username: str) -> None:
    client = _client(username)
    figures = _figures(client.get("/").content.decode())
    assert figures, f"{username}'s start page shows no figures"
    wrong = []
    for figure, url in figures:
        with activate(Municipality.objects.get(number=DEMO_NUMBER)):
            length = _list_length(client, url)
        if figure != length:
            wrong.append(f"{figure} → {url} lists {length}")
    assert not wrong, f"{username}'s start page:\n" + "\n".join(wrong)
    if username == "demo.fysioterapeut":
        # Her unit runs hverdagsrehabilitering: its referrals wait for her.
        rehab = [f for f, url in figures if url.startswith(reverse("rehab:waiting_list"))]
        assert rehab and rehab[0] > 0


def test_coordinating_unit_overview_figures_equal_their_lists(demo: None) -> None:
    client = _client("demo.ke-leder")
    page = client.get(reverse("reports:coordination_overview")).content.decode()
    figures = _figures(page)
    assert len(figures) > 10
    assert any(figure > 0 for figure, _url in figures)
    wrong = [
        f"{figure} → {url} lists {length}"
        for figure, url in figures
        if figure != (length := _list_length(client, url))
    ]
    assert not wrong, "\n".join(wrong)


def test_each_coordinators_caseload_equals_their_persons(demo: None) -> None:
    """The coordinator list's «Antall personer» equals the persons the coordinator sees
    on «Mine personer» with ground «Koordinator», and their open appointments."""
    table = _csv_tables(_client("demo.ke-leder"), reverse("plans:coordinator_list"))[0]
    header, rows = table[0], table[1:]
    assert rows
    count_at = header.index("Antall personer")
    for row in rows:
        staff = next(
            s for s in Staff.all_objects.select_related("user") if s.user.get_full_name() == row[0]
        )
        mine = _csv_tables(_client(staff.user.username), reverse("access:my_persons"))[0]
        ground = mine[0].index("Grunnlag")
        as_coordinator = [r for r in mine[1:] if r[ground] == "Koordinator"]
        with activate(staff.municipality):
            appointed = CoordinatorAssignment.objects.filter(
                coordinator=staff, ended_on__isnull=True
            ).count()
        assert int(row[count_at]) == len(as_coordinator) == appointed, row[0]


def test_capacity_figures_equal_assignments_and_waiting_list(demo: None) -> None:
    client = _client("demo.ke-leder")
    table = _csv_tables(client, reverse("catalogue:capacity"))[0]
    header, rows = table[0], table[1:]
    column = {name: header.index(name) for name in ("Tjeneste", "Enhet", "Kapasitet", "I bruk")}
    column.update(free=header.index("Ledig"), waiting=header.index("Venter"))
    today = timezone.localdate()
    municipality = Municipality.objects.get(number=DEMO_NUMBER)
    checked = 0
    for row in rows:
        with activate(municipality):
            provider = ServiceProvider.objects.select_related("service", "unit").get(
                service__name=row[column["Tjeneste"]], unit__name=row[column["Enhet"]]
            )
            used = in_use(service=provider.service, unit=provider.unit, day=today)
            waiting = WaitingListEntry.objects.filter(
                service=provider.service, unit=provider.unit, removed_on__isnull=True
            ).count()
        if provider.capacity is None:
            continue
        checked += 1
        assert Decimal(row[column["I bruk"]]) == used, row
        assert Decimal(row[column["Kapasitet"]]) == provider.capacity, row
        assert Decimal(row[column["free"]]) == max(provider.capacity - used, Decimal(0)), row
        assert used <= provider.capacity, f"more in use than there is room for: {row}"
        listed = _csv_tables(
            client, f"{reverse('catalogue:waiting_list')}?tjeneste={provider.service_id}"
        )
        unit_at = listed[0][0].index("Enhet")
        on_list = [r for r in listed[0][1:] if r[unit_at] == provider.unit.name]
        assert int(row[column["waiting"]]) == waiting == len(on_list), row
    assert checked >= 5
    # The planners' capacity page shows the same figures (its empty median is a dash).
    planning = _csv_tables(client, reverse("planning:capacity"))[0]
    assert [row[:7] for row in planning] == [row[:7] for row in table]


def test_bed_board_occupancy_equals_the_patients_listed(demo: None) -> None:
    page = _client("demo.fysioterapeut").get(reverse("institutions:bed_board")).content.decode()
    sections = re.findall(r"<section\b.*?</section>", _main(page), re.S)
    assert sections
    for section in sections:
        beds, occupied, free = (
            int(n) if n.isdigit() else None
            for n in re.findall(r'<span class="figure">\s*([^<]*?)\s*</span>', section)
        )
        # The patients' table comes before the planned arrivals (their own table).
        patients = section.split('id="planlagt-')[0]
        body = patients.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in patients else ""
        assert occupied == body.count("<tr>"), section[:200]
        if beds is not None:
            assert free == max(beds - (occupied or 0), 0), section[:200]


def test_bed_board_planned_arrivals_come_from_current_assignments(demo: None) -> None:
    """Assigned korttids- and rehabiliteringsopphold are planned arrivals on the bed
    board, each for an assignment in force, expected in the coming two weeks."""
    today = timezone.localdate()
    with activate(Municipality.objects.get(number=DEMO_NUMBER)):
        planned = list(planned_stays().select_related("assignment__decision__case"))
        assert 2 <= len(planned) <= 4
        for arrival in planned:
            assignment = arrival.assignment
            assert assignment is not None, arrival.pk
            assert assignment.decision_id == arrival.decision_id
            assert assignment.decision.case.person_id == arrival.person_id
            assert assignment.unit_id == arrival.unit_id
            assert assignment.ends_on is None or assignment.ends_on >= today
            assert arrival.expected_on == assignment.starts_on
            assert today <= arrival.expected_on <= today + datetime.timedelta(days=14)
        # The one arriving today was admitted from the board: a stay under its decision.
        admitted = Stay.objects.filter(
            decision__assignments__starts_on__lte=today,
            decision__assignments__ends_on__gte=today,
            discharged_on__isnull=True,
        ).distinct()
        assert admitted.exists()
        assert PlannedStay.objects.filter(
            stay__in=admitted, status=PlannedStayStatus.ADMITTED
        ).count() == (admitted.count())
    page = _client("demo.sykepleier").get(reverse("institutions:bed_board")).content.decode()
    arrivals = _main(page).split('id="planlagt-')
    assert len(arrivals) == 2, "the planned arrivals are all at Lokalmedisinsk senter"
    rows = arrivals[1].split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == len(planned)


def test_store_has_device_orders_to_fill_and_deliver(demo: None) -> None:
    """The therapist's orders by type: the store's order list shows those waiting for a
    free item and those reserved for delivery, and «Finn person» finds their persons."""
    with activate(Municipality.objects.get(number=DEMO_NUMBER)):
        orders = list(DeviceOrder.objects.select_related("person", "device_type", "ordered_by"))
        statuses = {order.status for order in orders}
        assert {DeviceOrderStatus.WAITING, DeviceOrderStatus.FILLED} <= statuses
        assert {order.ordered_by.user.username for order in orders} == {"demo.fysioterapeut"}
    client = _client("demo.hjelpemiddeltekniker")
    listed = _main(client.get(reverse("devices:store_orders")).content.decode())
    for order in orders:
        assert html.escape(order.person.family_name) in listed, order.pk
        assert html.escape(order.device_type.name) in listed, order.pk
    found = _main(
        client.get(
            reverse("devices:store_person_search"), {"q": orders[0].person.family_name}
        ).content.decode()
    )
    assert html.escape(orders[0].person.given_name) in found


def test_demo_history_is_plausible(demo: None) -> None:
    today = timezone.localdate()
    with activate(Municipality.objects.get(number=DEMO_NUMBER)):
        # Care relations come from domain actions, each with the reason it gives.
        assert not CareRelation.objects.filter(reason__startswith="Demodata").exists()
        for assignment in CoordinatorAssignment.objects.filter(ended_on__isnull=True):
            assert (
                CareRelation.objects.active()
                .filter(
                    person=assignment.person_id,
                    staff=assignment.coordinator_id,
                    kind=CareRelationKind.COORDINATOR,
                )
                .exists()
            )
        coordinating = CareRelation.objects.active().filter(kind=CareRelationKind.COORDINATOR)
        assert coordinating.count() == (
            CoordinatorAssignment.objects.filter(ended_on__isnull=True).count()
        )
        # No application waits for a decision for months.
        oldest = (
            Case.objects.filter(status__in=OPEN_CASE_STATUSES)
            .order_by("received_on")
            .values_list("received_on", flat=True)
            .first()
        )
        assert oldest is not None and (today - oldest).days <= 60
        # Responsibility groups meet a few times a year, not all this week.
        monday = today - datetime.timedelta(days=today.weekday())
        this_week = Meeting.objects.filter(
            starts_at__date__gte=monday, starts_at__date__lt=monday + datetime.timedelta(days=7)
        ).count()
        assert this_week <= 8
        # A device's status is where its last event left it; the week's returns wait.
        assert Item.objects.filter(status=ItemStatus.CLEANING).count() >= 3
        for item in Item.objects.all():
            last = ItemStatusChange.objects.filter(item=item).order_by("changed_at", "pk").last()
            assert last is not None and last.to_status == item.status, item.label
