"""The catalogue's pages: who may open them, what they show, and a fixed query count."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.casework.models import CaseStatus
from mestring.catalogue.models import Assignment, Service, ServiceProvider, WaitingListEntry
from tests import factories
from tests.catalogue.helpers import new_person, provider, service, service_decision

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def caseworker_client(world, client_for):
    factories.grant_relation(world.caseworker, world.person, kind="saksbehandler")
    return client_for(world.caseworker)


def waiting(world, svc, unit, name, added_on, priority=2):
    decision = service_decision(new_person(world.municipality, name), svc, world.caseworker)
    return WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=decision,
        service=svc,
        unit=unit,
        added_on=added_on,
        priority=priority,
    )


# --- The catalogue


def test_every_staff_member_sees_the_catalogue(world, client_for, dagplass):
    response = client_for(world.outsider).get(reverse("catalogue:service_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rehabiliteringsopphold (tidsavgrenset)" in content
    assert "Dagsenteret (1)" in content
    assert "Ny tjeneste" not in content
    svc, _unit = dagplass
    detail = client_for(world.outsider).get(reverse("catalogue:service_detail", args=[svc.pk]))
    assert detail.status_code == 200 and "Dagsenteret" in detail.content.decode()


def test_admin_edits_the_service_and_a_provider(world, client_for, dagplass):
    svc, unit = dagplass
    client = client_for(world.admin)
    url = reverse("catalogue:service_edit", args=[svc.pk])
    data = {
        "handling": "tjeneste",
        "name": "Dagaktivitet",
        "code": "dagplass",
        "description": "Aktivitet på dagtid.",
        "pyramid_level": "2",
        "national_code": "",
        "capacity_kind": "plasser",
        "nationally_reported": "on",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    svc.refresh_from_db()
    assert (svc.name, svc.description) == ("Dagaktivitet", "Aktivitet på dagtid.")
    provider_id = ServiceProvider.all_objects.get(service=svc, unit=unit).pk
    response = client.post(
        url, {"handling": f"kapasitet-{provider_id}", f"p{provider_id}-capacity": "3,5"}
    )
    assert response.status_code == 302
    assert ServiceProvider.all_objects.get(pk=provider_id).capacity == Decimal("3.5")
    other = factories.UnitFactory(municipality=world.municipality, name="Aktivitetshuset")
    client.post(url, {"handling": "legg-til", "ny-unit": other.pk, "ny-capacity": "4"})
    assert ServiceProvider.all_objects.get(service=svc, unit=other).capacity == 4
    client.post(url, {"handling": f"fjern-{provider_id}"})
    assert not ServiceProvider.all_objects.filter(pk=provider_id).exists()
    assert (
        AuditEvent.all_objects.filter(
            purpose="administration", object_type__startswith="service"
        ).count()
        == 4
    )


def test_bad_input_keeps_what_was_typed(world, client_for, dagplass):
    svc, _unit = dagplass
    provider_id = ServiceProvider.all_objects.get(service=svc).pk
    url = reverse("catalogue:service_edit", args=[svc.pk])
    response = client_for(world.admin).post(
        url, {"handling": f"kapasitet-{provider_id}", f"p{provider_id}-capacity": "mange"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Skriv kapasiteten som et tall" in content and 'value="mange"' in content
    assert ServiceProvider.all_objects.get(pk=provider_id).capacity == 1
    response = client_for(world.admin).post(
        reverse("catalogue:service_create"),
        {"handling": "tjeneste", "name": "Ny", "code": "dagplass", "capacity_kind": "plasser"},
    )
    assert response.status_code == 200
    assert "Det finnes allerede en tjeneste med denne koden." in response.content.decode()
    assert Service.all_objects.filter(code="dagplass").count() == 1


def test_admin_creates_a_service(world, client_for):
    data = {
        "handling": "tjeneste",
        "name": "Frisklivssentral",
        "code": "frisklivssentral",
        "capacity_kind": "ingen",
    }
    response = client_for(world.admin).post(reverse("catalogue:service_create"), data)
    created = Service.all_objects.get(code="frisklivssentral")
    assert response.url == reverse("catalogue:service_edit", args=[created.pk])


@pytest.mark.parametrize("who", ["caseworker", "outsider", "read_only"])
def test_others_may_not_edit_the_catalogue(world, client_for, dagplass, who):
    svc, _unit = dagplass
    client = client_for(getattr(world, who))
    url = reverse("catalogue:service_edit", args=[svc.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"handling": "tjeneste", "name": "Endret", "code": "x"}).status_code == 403
    )
    assert client.get(reverse("catalogue:service_create")).status_code == 403
    svc.refresh_from_db()
    assert svc.name == "Dagplass / dagaktivitet"


# --- Capacity and the waiting list


def test_capacity_page_shows_figures_without_names(world, client_for, today, dagplass):
    svc, unit = dagplass
    for days in (4, 10, 30):
        waiting(world, svc, unit, f"Ventesen{days}", today - days * DAY)
    client = client_for(world.read_only)  # planner: statistics, no records
    response = client.get(reverse("catalogue:capacity"))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.service == svc)
    assert (row.capacity, row.in_use, row.free, row.waiting, row.median_waiting_days) == (
        1,
        0,
        1,
        3,
        10,
    )
    assert "Ventesen" not in response.content.decode()
    download = client.get(reverse("catalogue:capacity"), {"format": "csv"})
    lines = list(csv.reader(io.StringIO(download.content.decode())))
    assert lines[0][0] == "Tjeneste"
    assert [
        "Dagplass / dagaktivitet",
        "Dagsenteret",
        "Plasser",
        "1",
        "0",
        "1",
        "3",
        "10",
        "Ledig plass: første på ventelisten venter i 30 dager",
    ] in lines
    assert client_for(world.outsider).get(reverse("catalogue:capacity")).status_code == 403


def test_waiting_list_page_sorted_filtered_and_downloadable(
    world, client_for, today, dagplass, praktisk
):
    svc, unit = dagplass
    waiting(world, svc, unit, "Normalsen", today - 30 * DAY)
    waiting(world, svc, unit, "Hoysen", today - 2 * DAY, priority=1)
    waiting(world, praktisk[0], praktisk[1], "Timesen", today - 5 * DAY)
    world.caseworker.units.add(unit, praktisk[1])  # the list is their units' work
    client = client_for(world.caseworker)
    response = client.get(reverse("catalogue:waiting_list"))
    assert response.status_code == 200
    names = [r.entry.decision.case.person.family_name for r in response.context["page"].object_list]
    assert names == ["Hoysen", "Normalsen", "Timesen"]
    assert [r.waiting_days for r in response.context["page"].object_list] == [2, 30, 5]
    filtered = client.get(reverse("catalogue:waiting_list"), {"tjeneste": praktisk[0].pk})
    assert [
        r.entry.decision.case.person.family_name for r in filtered.context["page"].object_list
    ] == ["Timesen"]
    before = AuditEvent.all_objects.count()
    download = client.get(reverse("catalogue:waiting_list"), {"format": "csv", "tjeneste": svc.pk})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert [r[0].split()[-1] for r in rows[1:]] == ["Hoysen", "Normalsen"]
    assert rows[1][3:] == ["Høy", (today - 2 * DAY).strftime("%d.%m.%Y"), "2"]
    exports = AuditEvent.all_objects.filter(seq__gt=before)
    # One row per person downloaded, in that person's access log, and one for the list.
    assert sorted(
        (action, name or "")
        for action, name in exports.values_list("action", "person__family_name")
    ) == [("export", ""), ("export", "Hoysen"), ("export", "Normalsen")]
    assert client_for(world.outsider).get(reverse("catalogue:waiting_list")).status_code == 403
    assert client_for(world.read_only).get(reverse("catalogue:waiting_list")).status_code == 403


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_capacity_and_waiting_list_run_a_fixed_number_of_queries(
    world, client_for, today, dagplass, praktisk
):
    svc, unit = dagplass
    waiting(world, svc, unit, "En", today - DAY)
    planner, caseworker = client_for(world.read_only), client_for(world.caseworker)
    small = (
        _queries(planner, reverse("catalogue:capacity")),
        _queries(caseworker, reverse("catalogue:waiting_list")),
    )
    for n in range(6):
        extra = factories.UnitFactory(municipality=world.municipality, name=f"Ekstra {n}")
        provider(service(world.municipality, "avlastning"), extra, "2")
        waiting(world, svc, unit, f"Flere{n}", today - n * DAY)
        waiting(world, praktisk[0], praktisk[1], f"Timer{n}", today - n * DAY)
        Assignment.all_objects.create(
            municipality=world.municipality,
            decision=service_decision(
                new_person(world.municipality, f"T{n}"), praktisk[0], world.caseworker, hours="1"
            ),
            unit=praktisk[1],
            starts_on=today,
        )
    large = (
        _queries(planner, reverse("catalogue:capacity")),
        _queries(caseworker, reverse("catalogue:waiting_list")),
    )
    assert large == small


# --- Assignment pages of one person


def test_caseworker_assigns_and_then_fills_the_waiting_list(world, client_for, today, dagplass):
    svc, unit = dagplass
    client = caseworker_client(world, client_for)
    first = service_decision(world.person, svc, world.caseworker)
    url = reverse("catalogue:decision_assign", args=[world.person.pk, first.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Dagsenteret" in page.content.decode()
    response = client.post(
        url, {"unit": unit.pk, "starts_on": "15.06.2026", "priority": "2"}, follow=True
    )
    assert "Vedtaket er tildelt Dagsenteret fra 15.06.2026." in response.content.decode()
    second = service_decision(world.person, svc, world.caseworker)
    url = reverse("catalogue:decision_assign", args=[world.person.pk, second.pk])
    response = client.post(
        url, {"unit": unit.pk, "starts_on": "15.06.2026", "priority": "1"}, follow=True
    )
    assert (
        "Dagsenteret har ikke ledig kapasitet. Personen er satt på venteliste."
        in response.content.decode()
    )
    entry = WaitingListEntry.all_objects.get(decision=second)
    assert (entry.priority, entry.added_on) == (1, today)
    second.case.refresh_from_db()
    assert second.case.status == CaseStatus.WAITING


def test_assign_form_keeps_input_on_errors(world, client_for, today, dagplass):
    svc, unit = dagplass
    other = factories.UnitFactory(municipality=world.municipality, name="Annet sted")
    client = caseworker_client(world, client_for)
    decision = service_decision(world.person, svc, world.caseworker)
    url = reverse("catalogue:decision_assign", args=[world.person.pk, decision.pk])
    response = client.post(url, {"unit": other.pk, "starts_on": "31.02.2026", "priority": "2"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Velg en enhet som utfører tjenesten." in content
    assert "Datoen må skrives som dd.mm.åååå." in content and 'value="31.02.2026"' in content
    refused = service_decision(world.person, svc, world.caseworker, outcome="avslag")
    url = reverse("catalogue:decision_assign", args=[world.person.pk, refused.pk])
    response = client.post(url, {"unit": unit.pk, "starts_on": "15.06.2026", "priority": "2"})
    assert (
        "Bare innvilgede eller delvis innvilgede vedtak kan tildeles." in response.content.decode()
    )
    assert not Assignment.all_objects.exists()


def test_removal_page_requires_a_reason_and_records_it(world, client_for, today, dagplass):
    svc, unit = dagplass
    client = caseworker_client(world, client_for)
    decision = service_decision(world.person, svc, world.caseworker)
    entry = WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=decision,
        service=svc,
        unit=unit,
        added_on=today - 3 * DAY,
    )
    url = reverse("catalogue:waiting_remove", args=[world.person.pk, entry.pk])
    response = client.post(url, {"reason": "", "note": "Ringte", "removed_on": "15.06.2026"})
    assert "Velg hvorfor personen tas av ventelisten." in response.content.decode()
    assert 'value="Ringte"' in response.content.decode()
    response = client.post(url, {"reason": "annet", "note": "", "removed_on": "15.06.2026"})
    assert "Skriv en merknad når grunnen er «Annet»." in response.content.decode()
    entry.refresh_from_db()
    assert entry.removed_on is None
    response = client.post(
        url, {"reason": "ikke_behov", "note": "Klarer seg selv.", "removed_on": "15.06.2026"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.removed_on, entry.removal_reason, entry.removal_note) == (
        today,
        "ikke_behov",
        "Klarer seg selv.",
    )


def test_a_reader_without_allocation_rights_cannot_assign(world, client_for, dagplass):
    svc, unit = dagplass
    decision = service_decision(world.person, svc, world.caseworker)
    client = client_for(world.owner)  # coordinator with a relation, no allocation permission
    url = reverse("catalogue:decision_assign", args=[world.person.pk, decision.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"unit": unit.pk, "starts_on": "15.06.2026", "priority": "2"})
    assert response.status_code == 403
    assert not Assignment.all_objects.exists()
    refusal = AuditEvent.all_objects.order_by("-seq").first()
    assert (refusal.outcome, refusal.person_id) == ("refused", world.person.pk)


def test_outsider_is_refused_on_the_person_pages(world, client_for):
    from tests.catalogue.guard_ids import make_ids

    ids = make_ids(world)
    client = client_for(world.outsider)
    for url in (
        reverse("catalogue:decision_assign", args=[world.person.pk, ids["decision_id"]]),
        reverse("catalogue:waiting_remove", args=[world.person.pk, ids["entry_id"]]),
    ):
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"reason": "ikke_behov", "removed_on": "01.03.2026"}).status_code
            == 403
        )
    assert WaitingListEntry.all_objects.get(pk=ids["entry_id"]).removed_on is None


def test_an_id_of_another_person_is_not_found(world, client_for, dagplass):
    svc, _unit = dagplass
    client = caseworker_client(world, client_for)
    stranger = service_decision(new_person(world.municipality, "Fremmed"), svc, world.caseworker)
    url = reverse("catalogue:decision_assign", args=[world.person.pk, stranger.pk])
    assert client.get(url).status_code == 404


@pytest.mark.attack
def test_waiting_list_names_only_whom_the_user_may_see_and_logs_each(
    world, client_for, today, dagplass
):
    """(M5) The service waiting list names a person only to staff with a care relation
    or whose unit the entry (or its case) is; others see the row without the name, also
    in the download; each name shown is in the person's access log."""
    svc, unit = dagplass
    entry = waiting(world, svc, unit, "Skjultesen", today - 3 * DAY)
    person = entry.decision.case.person
    client = client_for(world.caseworker)
    url = reverse("catalogue:waiting_list")
    html = client.get(url).content.decode()
    assert "Skjultesen" not in html and "Navn vises ikke" in html
    download = client.get(url, {"format": "csv"}).content.decode()
    assert "Skjultesen" not in download
    assert not AuditEvent.all_objects.filter(person=person, object_type="waiting_list").exists()
    world.caseworker.units.add(unit)
    html = client.get(url).content.decode()
    assert "Skjultesen" in html
    event = AuditEvent.all_objects.get(person=person, object_type="waiting_list")
    assert (event.action, event.reason_code) == ("view", "enhetens_arbeid")
