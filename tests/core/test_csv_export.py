"""Every list and report page in the menu offers CSV (`?format=csv`): same permission,
same refusal, same audit row, the same filters and columns, and every row."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mestring.access.models import AuditEvent, Role, StaffRole
from mestring.access.permissions import PERMISSIONS
from mestring.casework.models import LegalBasis
from mestring.core import csvexport
from mestring.demo.build import build_demo
from mestring.home.hubs import HUBS
from mestring.people.models import Staff, Unit
from mestring.tenancy.context import activate
from tests import factories
from tests.conftest import built_once, login, make_staff

pytestmark = pytest.mark.django_db

# Menu pages that are forms, not lists or tables.
NOT_LISTS = {
    "devices:return_scan",
    "planning:population_import",
    "actionplan:import",
    "public:profile_edit",
    "maintenance:retention_settings",
}
# Pages whose CSV was written before the shared helper, with their own column names.
OWN_CSV = {"casework:deadlines", "catalogue:waiting_list", "catalogue:capacity"}
LINKS = [link for hub in HUBS.values() for link in hub.links if link.url_name not in NOT_LISTS]


def parse_csv(response) -> list[list[str]]:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8")
    if content.startswith(csvexport.BOM):
        content = content[1:]
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(content), delimiter=delimiter))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo municipality, and a staff member of it with every permission: built once
    for the module, each test's own writes (audit rows) rolled back."""
    yield from built_once(django_db_blocker, _build)


def _build():
    result = build_demo()
    municipality = result.municipality
    with activate(municipality):
        role = Role.objects.create(code="alt", name="Alt", permissions=sorted(PERMISSIONS))
        staff = Staff.objects.select_related("user").get(user__username="demo.koordinator")
        StaffRole.objects.create(staff=staff, role=role, unit=None)
        bare = factories.StaffFactory(municipality=municipality, user__username="uten.roller")
    return municipality, staff, bare


def test_every_menu_list_has_csv_with_the_pages_rows(demo):
    _municipality, staff, _bare = demo
    client = login(factories_client(), staff)
    checked_counts = checked_pages = 0
    for link in LINKS:
        url = reverse(link.url_name)
        page = client.get(url)
        assert page.status_code == 200, link.url_name
        body = page.content.decode()
        if "<table" not in body:
            continue  # a form, not a list (any table on a menu page must offer CSV)
        response = client.get(url, {"format": "csv"})
        assert response.status_code == 200, link.url_name
        assert response["Content-Type"].startswith("text/csv"), link.url_name
        assert "attachment" in response["Content-Disposition"], link.url_name
        rows = parse_csv(response)
        assert rows and any(rows[0]), f"{link.url_name}: a header row"
        if link.url_name != "actionplan:chapter":  # links to PDF and XLSX; CSV by URL
            assert "format=csv" in body, f"{link.url_name}: the page links to its CSV"
        paged = page.context.get("page") if page.context else None
        tables = csvexport.html_tables(body)
        if paged is not None and len(tables) == 1 and hasattr(paged, "paginator"):
            data = [row for row in rows[1:] if any(row)]
            assert len(data) == paged.paginator.count, link.url_name
            # Exactly the page's columns (action columns left out).
            assert link.url_name in OWN_CSV or rows[0] == tables[0].visible(tables[0].header), (
                link.url_name
            )
            checked_counts += 1
        checked_pages += 1
    assert checked_counts >= 15
    assert checked_pages >= 40


# The lists a page shows, by context name, and the parameter that pages each.
PAGED = {"page": "side", "follow_ups": "oppfolging"}


def _logged(client, url: str, params: dict) -> tuple[list[tuple[str, str, int]], object]:
    before = AuditEvent.all_objects.count()
    response = client.get(url, params)
    events = AuditEvent.all_objects.order_by("seq").values_list(
        "object_type", "action", "person_id"
    )
    return list(events[before:]), response


def test_csv_is_audited_like_the_page(demo):
    _municipality, staff, _bare = demo
    client = login(factories_client(), staff)
    for name in ("referrals:inbox", "casework:case_list", "devices:overdue", "rehab:waiting_list"):
        url = reverse(name)
        # Every page of every list on the page, against the file that holds all rows.
        page_events, response = _logged(client, url, {})
        for key, param in PAGED.items():
            pages = response.context.get(key)
            for number in range(2, pages.paginator.num_pages + 1 if pages else 0):
                more, _response = _logged(client, url, {param: number})
                page_events += more
        csv_events, _response = _logged(client, url, {"format": "csv"})
        # The same rows, but a download is an export (L4), not a view.
        exported = {
            (kind, "export" if action == "view" else action, person)
            for kind, action, person in page_events
            if action != "open_page"
        }
        csv_rows = {event for event in csv_events if event[1] != "open_page"}
        assert exported and csv_rows == exported, name
        assert len(csv_events) == len(set(csv_events)), name  # each row logged once


def test_refused_user_is_refused_the_csv(demo):
    _municipality, _staff, bare = demo
    client = login(factories_client(), bare)
    refused = 0
    for link in LINKS:
        url = reverse(link.url_name)
        page = client.get(url)
        before = AuditEvent.all_objects.filter(outcome="refused").count()
        response = client.get(url, {"format": "csv"})
        # The CSV gets the page's answer: refused (and logged) where the page is refused.
        assert response.status_code == page.status_code, link.url_name
        if page.status_code == 403:
            refused += 1
            assert not response.get("Content-Type", "").startswith("text/csv")
            assert AuditEvent.all_objects.filter(outcome="refused").count() == before + 1
    assert refused >= len([link for link in LINKS if link.permission]) - 2


def test_counts_computed_from_the_data(demo):
    municipality, staff, _bare = demo
    client = login(factories_client(), staff)
    with activate(municipality):
        expected = {
            "people:unit_list": Unit.objects.count(),
            "people:staff_list": Staff.objects.count(),
            "access:role_list": Role.objects.count(),
            "casework:legal_basis_list": LegalBasis.objects.count(),
        }
    for name, count in expected.items():
        rows = parse_csv(client.get(reverse(name), {"format": "csv"}))
        assert len(rows) - 1 == count, name
        assert count > 0


def test_csv_respects_the_filters(demo):
    _municipality, staff, _bare = demo
    client = login(factories_client(), staff)
    url = reverse("casework:case_list")
    for show in ("alle", "forfalt"):
        page = client.get(url, {"vis": show})
        rows = parse_csv(client.get(url, {"vis": show, "format": "csv"}))
        assert len(rows) - 1 == page.context["page"].paginator.count
    search = reverse("people:staff_list")
    rows = parse_csv(client.get(search, {"q": "koordinator", "format": "csv"}))
    everyone = parse_csv(client.get(search, {"format": "csv"}))
    assert 1 <= len(rows) - 1 < len(everyone) - 1


def test_person_lists_hold_only_the_pages_fields(demo):
    _municipality, staff, _bare = demo
    client = login(factories_client(), staff)
    rows = parse_csv(client.get(reverse("referrals:inbox"), {"format": "csv"}))
    text = "\n".join(";".join(row) for row in rows)
    # No national identity numbers (the page does not show them).
    assert not any(cell.isdigit() and len(cell) == 11 for row in rows for cell in row), text


def test_csv_needs_no_more_queries_than_the_page(demo):
    _municipality, staff, _bare = demo
    client = login(factories_client(), staff)
    for name in ("casework:case_list", "referrals:inbox", "devices:item_list", "people:staff_list"):
        url = reverse(name)
        with CaptureQueriesContext(connection) as page_queries:
            client.get(url)
        with CaptureQueriesContext(connection) as csv_queries:
            parse_csv(client.get(url, {"format": "csv"}))
        assert len(csv_queries) <= len(page_queries) + 2, name


def test_html_tables_reads_cells_headers_and_skips_actions():
    html = """
    <div class="table-scroll" role="region" aria-label="Liste"><table>
    <thead><tr><th>Navn</th><th colspan="2">Periode</th><th>Levert</th><th>Ok</th>
      <th><span class="ds-sr-only">Handling</span></th><th>Handling</th></tr></thead>
    <tbody>
      <tr><td>A &amp; B <a href="/x" data-csv-skip>Gi tilgang</a></td>
        <td>1.1.2026</td><td>2.1.2026</td>
        <td><form><div class="ds-field"><label>Dato</label><div>Skriv dd.mm.åååå</div>
          <input name="d"></div><button>Lagre</button></form></td>
        <td><svg></svg><span class="ds-sr-only">Ja</span></td>
        <td><form><button>Slett<span class="ds-sr-only"> A</span></button></form></td>
        <td><a href="/y">Endre<span class="ds-sr-only"> A</span></a></td></tr>
      <tr><td>C <span class="ds-tag">Forfalt</span></td><td colspan="2">–</td>
        <td><form><input name="d"></form></td><td>Nei</td><td></td><td></td></tr>
      <tr><td colspan="7">Ingen flere.</td></tr>
    </tbody></table></div>"""
    tables = csvexport.html_tables(html)
    header, rows = csvexport.tables_to_rows(tables)
    assert header == ["Navn", "Periode", "", "Ok"]
    assert rows == [["A & B", "1.1.2026", "2.1.2026", "Ja"], ["C Forfalt", "–", "", "Nei"]]
    assert tables[0].title == "Liste"


def test_several_tables_become_blocks_with_titles():
    html = """
    <div role="region" aria-label="Første">
    <table><tr><th>A</th></tr><tr><td>1</td></tr></table></div>
    <div role="region" aria-label="Andre"><table><thead><tr><th>B</th></tr></thead>
    <tbody><tr><td>2</td></tr></tbody></table></div>"""
    header, rows = csvexport.tables_to_rows(csvexport.html_tables(html))
    assert [header, *rows] == [["Første"], ["A"], ["1"], [], ["Andre"], ["B"], ["2"]]


def test_csv_response_has_bom_and_semicolons():
    response = csvexport.csv_response("x.csv", ["a", "b"], [[1, None], ["æ;ø", 2]])
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeffa;b\r\n")
    assert '1;\r\n"æ;ø";2\r\n' in content


def factories_client():
    from django.test import Client

    return Client()


def test_lists_outside_the_menu_have_csv_too(world, client_for):
    owner = client_for(world.owner)
    rows = parse_csv(owner.get(reverse("access:my_persons"), {"format": "csv"}))
    assert any("Skjermesen" in cell for row in rows[1:] for cell in row)
    page = owner.get(reverse("access:my_persons"))
    assert len(rows) - 1 == page.context["page"].paginator.count
    leader = client_for(make_staff(world.municipality, "leder_ke", "leder"))
    for client, name in ((owner, "teams:my_follow_ups"), (leader, "plans:revision_overdue")):
        response = client.get(reverse(name), {"format": "csv"})
        assert response["Content-Type"].startswith("text/csv"), name
        assert parse_csv(response)[0], name
    relations = reverse("access:staff_relations", args=[world.owner.pk])
    rows = parse_csv(leader.get(relations, {"format": "csv"}))
    assert any("Skjermesen" in cell for row in rows[1:] for cell in row)
    outsider = client_for(world.outsider)
    assert outsider.get(relations, {"format": "csv"}).status_code == 403
    assert outsider.get(reverse("plans:revision_overdue"), {"format": "csv"}).status_code == 403
