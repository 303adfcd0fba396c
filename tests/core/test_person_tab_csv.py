"""Every list in a person's tabs offers CSV (`?format=csv`): the page's own tables, with
their Norwegian headers and every row, behind the same care-relation guard and with the
same audit row as the page."""

from __future__ import annotations

import csv
import datetime
import importlib
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db.models import Q
from django.urls import reverse

from mestring.access.models import AuditEvent, CareRelation, Consent, ConsentKind
from mestring.access.models import Block as AccessBlock
from mestring.assessments.models import Assessment
from mestring.casework.models import Case, Decision
from mestring.core import csvexport
from mestring.courses.models import Enrolment
from mestring.devices.models import (
    OPEN_ORDER_STATUSES,
    DeviceOrder,
    Inquiry,
    Loan,
    NavApplication,
)
from mestring.friskliv.models import Prescription
from mestring.institutions.models import PlannedStay, Stay
from mestring.outcomes.models import Observation
from mestring.people.models import Relative, UnitInvolvement
from mestring.plans.models import (
    CoordinatorAssignment,
    Goal,
    IndividualPlan,
    Measure,
    PlanParticipant,
    PlanRevision,
)
from mestring.referrals.models import Referral
from mestring.rehab.models import Episode
from mestring.teams.models import FollowUpItem, GroupMember, Meeting
from tests import factories
from tests.conftest import make_staff
from tests.courses.helpers import enrol, make_course
from tests.devices.loan_helpers import deliver, give_back, make_item, order

pytestmark = pytest.mark.django_db

TESTS = Path(__file__).parent.parent


def parse_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith(csvexport.BOM)
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


@dataclass
class Block:
    title: str
    header: list[str]
    rows: list[list[str]]


def blocks(rows: list[list[str]], titled: bool) -> list[Block]:
    """The CSV's tables: one header and its rows, or blocks of title, header and rows."""
    if not titled:
        return [Block("", rows[0], rows[1:])]
    found: list[Block] = []
    chunk: list[list[str]] = []
    for row in [*rows, []]:
        if row:
            chunk.append(row)
        elif chunk:
            found.append(Block(chunk[0][0], chunk[1], chunk[2:]))
            chunk = []
    return found


@pytest.fixture
def data(world):
    """world.person with something in every list of every tab."""
    ids: dict[str, int | str] = {}
    for path in sorted(TESTS.glob("*/guard_ids.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.guard_ids")
        ids.update(module.make_ids(world))
    municipality, person = world.municipality, world.person
    factories.RelativeFactory(person=person, name="Sigrun Skjermesen", phone="90000001")
    UnitInvolvement.all_objects.create(
        municipality=municipality,
        person=person,
        unit=factories.UnitFactory(municipality=municipality, name="Fysioterapien"),
        role="Opptrening",
        started_on=datetime.date(2026, 2, 1),
    )
    make_item(municipality, "CSV-1", type_name="Dusjkrakk")
    earlier = order(world.owner, person, "CSV-1", on=datetime.date(2026, 1, 5))
    deliver(world.owner, earlier, on=datetime.date(2026, 1, 6))
    give_back(world.owner, earlier, on=datetime.date(2026, 2, 6))
    Inquiry.all_objects.create(
        municipality=municipality,
        person=person,
        received_on=datetime.date(2026, 2, 10),
        topic=Inquiry._meta.get_field("topic").choices[0][0],
        description="Trenger gripetang",
    )
    enrol(world.owner, make_course(world.owner, title="Mestringskurs CSV"), person)
    blocked = factories.StaffFactory(municipality=municipality, user__username="sperret.csv")
    AccessBlock.all_objects.create(municipality=municipality, person=person, staff=blocked)
    return ids


def _of(person) -> dict[str, int]:
    """Rows per list, counted from the data (not from the page)."""
    group_members = GroupMember.all_objects.filter(group__person=person)
    meetings = Meeting.all_objects.filter(group__person=person)
    plan = IndividualPlan.all_objects.get(person=person, status="aktiv")
    return {
        "relatives": Relative.all_objects.filter(person=person).count(),
        "involvements": UnitInvolvement.all_objects.filter(person=person).count(),
        "referrals": Referral.all_objects.filter(person=person).count(),
        "cases": Case.all_objects.filter(person=person).count(),
        "decisions": Decision.all_objects.filter(case__person=person).count(),
        "assessments": Assessment.all_objects.filter(person=person).count(),
        "episodes": Episode.all_objects.filter(person=person).count(),
        "stays": Stay.all_objects.filter(person=person).count(),
        "planned": PlannedStay.all_objects.filter(person=person, status="planlagt").count(),
        "prescriptions": Prescription.all_objects.filter(person=person).count(),
        "enrolments": Enrolment.all_objects.filter(person=person).count(),
        "orders": DeviceOrder.all_objects.filter(person=person)
        .filter(
            Q(status__in=OPEN_ORDER_STATUSES) | Q(status="fylt", loan__delivered_on__isnull=True)
        )
        .count(),
        "current_loans": Loan.all_objects.filter(person=person, returned_on=None).count(),
        "past_loans": Loan.all_objects.filter(person=person, returned_on__isnull=False).count(),
        "nav": NavApplication.all_objects.filter(person=person).count(),
        "inquiries": Inquiry.all_objects.filter(person=person).count(),
        "goals": Goal.all_objects.filter(plan=plan).count(),
        "measures": Measure.all_objects.filter(plan=plan).count(),
        "participants": PlanParticipant.all_objects.filter(plan=plan).count(),
        "revisions": PlanRevision.all_objects.filter(plan=plan).count(),
        "assignments": CoordinatorAssignment.all_objects.filter(person=person).count(),
        "members": group_members.filter(ended_on=None).count(),
        "past_meetings": meetings.exclude(status="planlagt").count(),
        "consents": Consent.all_objects.filter(person=person).count(),
        "plan_consents": Consent.all_objects.filter(
            person=person, kind=ConsentKind.INDIVIDUAL_PLAN
        ).count(),
        "blocks": AccessBlock.all_objects.filter(person=person).count(),
        "relations": CareRelation.all_objects.filter(person=person).count(),
        "log": AuditEvent.all_objects.filter(person=person, outcome="allowed").count(),
    }


@dataclass
class Tab:
    url_name: str
    # (title of the table's region, or "" for a page with one table; its header; key in _of)
    tables: list[tuple[str, list[str], str]]
    # values that must be in the CSV, made from the data
    values: Callable[[object], list[str]] = lambda world: []
    extra: str = ""  # another id in the URL

    @property
    def titled(self) -> bool:
        return len(self.tables) > 1


TABS = [
    Tab(
        "people:overview",
        [
            ("Tabell over pårørende", ["Navn", "Relasjon", "Kontakt"], "relatives"),
            ("Tabell over involverte enheter", ["Enhet", "Type", "Rolle"], "involvements"),
        ],
        lambda world: ["Sigrun Skjermesen", "Fysioterapien"],
    ),
    Tab(
        "referrals:person_referrals",
        [("", ["Mottatt", "Fra", "Hastegrad", "Status"], "referrals")],
        lambda world: [
            f"{r.received_on:%d.%m.%Y}" for r in Referral.all_objects.filter(person=world.person)
        ],
    ),
    Tab(
        "casework:person_cases",
        [
            ("Tabell over saker", ["Mottatt", "Søker", "Status", "Saksbehandler"], "cases"),
            ("Tabell over vedtak", ["Vedtak", "Resultat", "Vedtaksdato"], "decisions"),
        ],
        lambda world: ["Sak mottatt 05.01.2026", "20.01.2026"],
    ),
    Tab(
        "assessments:person_assessments",
        [("", ["Kartlagt", "Status", "Neste kartlegging", "Kartlagt av"], "assessments")],
    ),
    Tab(
        "rehab:person_episodes",
        [("", ["Forløp", "Status", "Startet", "Avsluttet", "Besøk"], "episodes")],
    ),
    Tab(
        "institutions:person_stays",
        [
            (
                "Planlagte innleggelser",
                ["Opphold", "Enhet", "Planlagt innleggelse", "Vedtak"],
                "planned",
            ),
            ("Tabell over opphold", ["Opphold", "Enhet", "Innlagt", "Utskrevet"], "stays"),
        ],
        lambda world: ["Guard-enhet"],
    ),
    Tab(
        "friskliv:person_prescriptions",
        [("", ["Henvist", "Årsak", "Status", "Periode", "Gjennomført"], "prescriptions")],
    ),
    Tab(
        "courses:person_courses",
        [("", ["Kurs", "Enhet", "Starter", "Meldt på", "Status"], "enrolments")],
        lambda world: ["Mestringskurs CSV"],
    ),
    Tab(
        "devices:person_devices",
        [
            ("Bestillinger som ikke er levert ut", ["Type", "Bestilt", "Lager"], "orders"),
            ("Hjelpemidler utlånt nå", ["Hjelpemiddel", "Merkelapp", "Eier"], "current_loans"),
            ("Tidligere utlån", ["Hjelpemiddel", "Merkelapp", "Utlevert"], "past_loans"),
            ("Søknader til NAV", ["Søknad", "Sendt", "Status", "Historikk"], "nav"),
            ("Henvendelser", ["Mottatt", "Gjelder", "Beskrivelse", "Behandlet"], "inquiries"),
        ],
        lambda world: ["GUARD-1", "CSV-1", "Dusjkrakk", "Trenger gripetang", "06.02.2026"],
    ),
    Tab(
        "plans:plan_detail",
        [
            ("Mål i planen", ["Mål, med personens egne ord", "Status"], "goals"),
            ("Tiltak i planen", ["Tiltak", "Omfang", "Ansvarlig"], "measures"),
            ("Deltakere i planen", ["Navn", "Rolle", "Bidrar med"], "participants"),
            (
                "Tabell over samtykker til individuell plan",
                ["Samtykket gjelder", "Gitt", "Utløper", "Trukket tilbake"],
                "plan_consents",
            ),
        ],
        lambda world: ["Gå til butikken selv", "Gåtrening", "Hjemmetjeneste"],
    ),
    Tab(
        "plans:revision_list",
        [("", ["Versjon", "Lagret", "Av", "Endring"], "revisions")],
        extra="plan_id",
    ),
    Tab(
        "plans:coordinator_appoint",
        [("", ["Koordinator", "Periode", "Personens ønske"], "assignments")],
        lambda world: ["10.01.2026 – nå"],
    ),
    Tab(
        "teams:group_detail",
        [
            ("Medlemmer", ["Navn", "Type", "Rolle", "Tjenestenivå", "Periode"], "members"),
            ("Kommende møter", ["Tidspunkt", "Sted", "Status"], ""),
            ("Tidligere møter", ["Tidspunkt", "Sted", "Status"], "past_meetings"),
        ],
        lambda world: ["Fastlege Test", "Rådhuset"],
    ),
    Tab(
        "access:person_consents",
        [("", ["Type", "Omfang", "Gitt av", "Gitt", "Utløper", "Status"], "consents")],
        lambda world: ["Gjelder"],
    ),
    Tab(
        "access:person_access",
        [
            (
                "Tabell over tilganger",
                ["Ansatt eller enhet", "Grunnlag", "Begrunnelse", "Periode"],
                "relations",
            ),
            ("Tabell over sperringer", ["Sperret", "Fra", "Opphevet"], "blocks"),
        ],
        lambda world: ["Hjemmetjenesten (hele enheten)"],
    ),
    Tab(
        "access:access_log",
        [("", ["Når", "Hvem", "Rolle og enhet", "Hva", "Hvorfor"], "log")],
    ),
]


def url(tab: Tab, world, ids) -> str:
    kwargs = {"person_id": world.person.pk}
    if tab.extra:
        kwargs[tab.extra] = ids[tab.extra]
    return reverse(tab.url_name, kwargs=kwargs)


def test_every_person_tab_is_walked():
    """A new list in the person header's tabs is added here too."""
    header = (TESTS.parent / "src/mestring/people/templates/people/_person_header.html").read_text()
    walked = {tab.url_name for tab in TABS}
    # "Fra innbygger" shows cards with reply forms, not a list of rows.
    for name in (
        "people:overview",
        "referrals:person_referrals",
        "casework:person_cases",
        "assessments:person_assessments",
        "rehab:person_episodes",
        "outcomes:person_measures",
        "institutions:person_stays",
        "friskliv:person_prescriptions",
        "courses:person_courses",
        "devices:person_devices",
        "plans:plan_detail",
        "plans:coordinator_appoint",
        "teams:group_detail",
        "access:person_consents",
        "access:person_access",
        "access:access_log",
    ):
        assert f"'{name}'" in header, name
        assert name in walked or name == "outcomes:person_measures", name


def check_tab(client, world, ids, tab: Tab) -> None:
    address = url(tab, world, ids)
    page = client.get(address)
    assert page.status_code == 200
    assert "format=csv" in page.content.decode(), "the page links to its CSV"
    expected = _of(world.person)  # counted before the CSV request writes its own audit row
    response = client.get(address, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = parse_csv(response)
    found = blocks(rows, tab.titled)
    assert len(found) == len(tab.tables), [block.title for block in found]
    for block, (title, header, key) in zip(found, tab.tables, strict=True):
        assert block.title == title
        assert block.header[: len(header)] == header, block.header
        # No empty "Handling" column: only what the page shows as data.
        assert all(block.header), block.header
        count = expected[key] if key else 0
        assert count > 0 or not key, f"the test made no {key}"
        assert len(block.rows) == count, (title, block.rows)
    text = "\n".join(";".join(row) for row in rows)
    for value in tab.values(world):
        assert value in text, value
    # The person's national id is not on these pages, so not in the CSV either.
    assert world.person.national_id not in text


def test_every_tab_csv_holds_the_lists_rows(world, client_for, data):
    client = client_for(world.owner)
    for tab in TABS:
        try:
            check_tab(client, world, data, tab)
        except AssertionError as error:
            raise AssertionError(f"{tab.url_name}: {error}") from error


def test_measures_csv_has_one_block_per_instrument(world, client_for, data):
    """Målinger: a table per instrument; computed from the observations."""
    from tests.outcomes.helpers import copm

    copm(world.owner, world.person)
    client = client_for(world.owner)
    address = reverse("outcomes:person_measures", args=[world.person.pk])
    assert "format=csv" in client.get(address).content.decode()
    per_instrument = Counter(
        Observation.all_objects.filter(person=world.person).values_list("instrument", flat=True)
    )
    assert len(per_instrument) == 2
    found = blocks(parse_csv(client.get(address, {"format": "csv"})), titled=True)
    assert len(found) == len(per_instrument)
    assert sorted(len(block.rows) for block in found) == sorted(per_instrument.values())
    for block in found:
        assert block.title.startswith("Tabell over ")
        assert block.header[:2] == ["Dato", "Tidspunkt"]
        assert block.header[-1] == "Meningsfull endring"
    first = Observation.all_objects.filter(person=world.person).first()
    assert any(row[0] == f"{first.observed_on:%d.%m.%Y}" for b in found for row in b.rows)


def _events(since: int) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.all_objects.filter(seq__gt=since)
        .order_by("seq")
        .values_list("object_type", "action", "outcome")
    )


def _last_seq() -> int:
    last = AuditEvent.all_objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


def test_every_tab_csv_is_audited_like_the_page(world, client_for, data):
    client = client_for(world.owner)
    for tab in TABS:
        address = url(tab, world, data)
        before = _last_seq()
        client.get(address)
        page_events = _events(before)
        before = _last_seq()
        client.get(address, {"format": "csv"})
        # The same rows, but a download is an export, not a view (L4).
        exported = [
            (kind, "export" if action == "view" else action, outcome)
            for kind, action, outcome in page_events
        ]
        assert page_events and _events(before) == exported, tab.url_name


def test_every_tab_csv_refuses_without_care_relation_and_other_municipality(
    world, client_for, data
):
    elsewhere = factories.make_municipality("9002", "Annen kommune")
    stranger = make_staff(elsewhere, "koordinator", "annen_kommune")
    clients = [(world.outsider, client_for(world.outsider)), (stranger, client_for(stranger))]
    for tab in [*TABS, Tab("outcomes:person_measures", [])]:
        address = url(tab, world, data)
        for staff, client in clients:
            before = AuditEvent.all_objects.filter(outcome="refused").count()
            response = client.get(address, {"format": "csv"})
            assert response.status_code in (403, 404), (tab.url_name, staff)
            assert not response.get("Content-Type", "").startswith("text/csv"), tab.url_name
            assert b"Skjermesen" not in response.content, tab.url_name
            if staff is world.outsider:
                assert response.status_code == 403, tab.url_name
                refused = AuditEvent.all_objects.filter(outcome="refused").count()
                assert refused == before + 1, tab.url_name


def test_csv_is_only_for_reads(world, client_for, data):
    """A form posted to a tab (shown again with its errors) stays a page, not a file."""
    client = client_for(world.owner)
    address = reverse("access:person_consents", args=[world.person.pk]) + "?format=csv"
    response = client.post(address, {"kind": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_paged_tab_csv_holds_every_row(world, client_for, data):
    """The access log shows 50 rows a page; the CSV holds all of them."""
    client = client_for(world.owner)
    address = reverse("access:access_log", args=[world.person.pk])
    for _ in range(30):
        client.get(address)
    total = AuditEvent.all_objects.filter(person=world.person, outcome="allowed").count()
    assert total > 50
    page = client.get(address)
    assert page.context["page"].paginator.num_pages > 1
    rows = parse_csv(client.get(address, {"format": "csv", "side": "2"}))
    assert len(rows) - 1 == total + 1  # and the page view just above


# Pages under a tab (one case, meeting, episode …) whose tables are lists too.
SUB_PAGES = {
    "referrals:detail": "referral_id",
    "casework:case_detail": "case_id",
    "teams:meeting_detail": "meeting_id",
    "rehab:episode_detail": "episode_id",
    "assessments:assessment_detail": "assessment_id",
    "outcomes:observation_detail": "observation_id",
    "catalogue:decision_assign": "decision_id",
}


def test_pages_under_the_tabs_have_csv_of_their_tables(world, client_for, data):
    owner, outsider = client_for(world.owner), client_for(world.outsider)
    for name, key in SUB_PAGES.items():
        address = reverse(name, kwargs={"person_id": world.person.pk, key: data[key]})
        page = owner.get(address)
        assert page.status_code == 200, name
        body = page.content.decode()
        assert "format=csv" in body, name
        shown = csvexport.html_tables(body)
        assert shown, name
        response = owner.get(address, {"format": "csv"})
        assert response["Content-Type"].startswith("text/csv"), name
        found = blocks(parse_csv(response), titled=len(shown) > 1)
        assert [len(block.rows) for block in found] == [len(t.rows) for t in shown], name
        assert all(block.header and all(block.header) for block in found), name
        refused = outsider.get(address, {"format": "csv"})
        assert refused.status_code == 403, name
        assert not refused.get("Content-Type", "").startswith("text/csv"), name


def test_meeting_csv_lists_the_invited_from_the_data(world, client_for, data):
    meeting = Meeting.all_objects.get(pk=data["meeting_id"])
    address = reverse("teams:meeting_detail", args=[world.person.pk, meeting.pk])
    found = blocks(parse_csv(client_for(world.owner).get(address, {"format": "csv"})), True)
    assert "Inviterte" in [block.title for block in found]
    follow_ups = next(block for block in found if block.title == "Oppfølgingspunkter")
    assert [row[0] for row in follow_ups.rows] == list(
        FollowUpItem.all_objects.filter(meeting=meeting).values_list("what", flat=True)
    )


def test_detail_pages_outside_the_person_have_csv_too(world, client_for):
    """Lists on detail pages outside the menu (a course, an agreement, a device …)."""
    from mestring.access.models import Role, StaffRole
    from mestring.access.permissions import PERMISSIONS
    from mestring.actionplan.models import Action
    from mestring.catalogue.models import Service
    from mestring.courses.models import Course
    from mestring.demo.build import build_demo
    from mestring.devices.models import Item
    from mestring.institutions.models import PurchaseAgreement
    from mestring.people.models import Staff
    from mestring.plans.models import CoordinatorProfile
    from mestring.tenancy.context import activate

    municipality = build_demo().municipality
    with activate(municipality):
        role = Role.objects.create(code="alt", name="Alt", permissions=sorted(PERMISSIONS))
        staff = Staff.objects.get(user__username="demo.koordinator")
        StaffRole.objects.create(staff=staff, role=role, unit=None)
        bare = factories.StaffFactory(municipality=municipality, user__username="uten.roller")
        action = Action.objects.select_related("plan").first()
        pages = {
            "plans:coordinator_detail": {"coordinator_id": CoordinatorProfile.objects.first().pk},
            "institutions:agreement_detail": {"agreement_id": PurchaseAgreement.objects.first().pk},
            "courses:course_detail": {"course_id": Course.objects.first().pk},
            "actionplan:plan_detail": {"plan_id": action.plan_id},
            "actionplan:plan_progress": {"plan_id": action.plan_id},
            "actionplan:action_detail": {"plan_id": action.plan_id, "action_id": action.pk},
            "devices:item_detail": {"item_id": Item.objects.first().pk},
            "catalogue:service_detail": {"service_id": Service.objects.first().pk},
        }
    client, refused = client_for(staff), client_for(bare)
    for name, kwargs in pages.items():
        address = reverse(name, kwargs=kwargs)
        page = client.get(address)
        assert page.status_code == 200, name
        body = page.content.decode()
        assert "format=csv" in body, name
        shown = csvexport.html_tables(body)
        assert shown, name
        response = client.get(address, {"format": "csv"})
        assert response["Content-Type"].startswith("text/csv"), name
        found = blocks(parse_csv(response), titled=len(shown) > 1)
        assert [len(block.rows) for block in found] == [len(t.rows) for t in shown], name
        # The CSV gets the page's answer for a user without the permission.
        plain = refused.get(address)
        answer = refused.get(address, {"format": "csv"})
        assert answer.status_code == plain.status_code, name
        if plain.status_code == 403:
            assert not answer.get("Content-Type", "").startswith("text/csv"), name
