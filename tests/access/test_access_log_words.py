"""The access logs speak Norwegian: the citizen's log on Min side, the staff's log of a
person, its CSV, the person's copy (innsyn) and the audit export show what was done in
words from the audit vocabulary, never the stored code."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from mestring.access.actor import system_actor
from mestring.access.audit import record_event
from mestring.access.models import AuditEvent
from mestring.access.templatetags.access_labels import action_label
from mestring.kernel.audit_words import AuditAction
from mestring.maintenance.innsyn import access_log
from tests.portal.pages_helpers import citizen_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bokmal():
    """Each test starts in bokmål, and a request in nynorsk does not outlive its test."""
    with translation.override("nb"):
        yield


# What the log must say for each action written below, and the codes it must not show.
WORDS = {
    AuditAction.PRINT: "Skrev ut planen",
    AuditAction.LETTER_SENT: "Registrerte at vedtaksbrevet er sendt",
    AuditAction.STATUS_DECIDED: "Endret status på saken til «Vedtak fattet»",
    AuditAction.DEVICE_LOAN_DELIVER: "Lånte ut et hjelpemiddel",
}
CODES = ("letter_sent", "status_vedtak", "devices.loan.deliver", "print")


def _write_events(world) -> None:
    actor = system_actor(world.municipality)
    for action in WORDS:
        record_event(actor=actor, action=action, object_type="decision", person=world.person)


def _cells(html: str) -> list[str]:
    table = html[html.index("<table") : html.index("</table>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def _assert_in_words(cells: list[str]) -> None:
    for words in WORDS.values():
        assert words in cells, (words, cells)
    for code in CODES:
        assert not any(code in cell for cell in cells), (code, cells)


def test_the_citizens_access_log_shows_words(world) -> None:
    _write_events(world)
    page = citizen_client(world.person).get(reverse("portal:access_log"))
    assert page.status_code == 200
    _assert_in_words(_cells(page.content.decode()))


def test_the_staff_access_log_shows_words(world, client_for) -> None:
    _write_events(world)
    page = client_for(world.owner).get(reverse("access:access_log", args=[world.person.pk]))
    assert page.status_code == 200
    _assert_in_words(_cells(page.content.decode()))


def test_the_staff_access_log_as_csv_shows_words(world, client_for) -> None:
    _write_events(world)
    url = reverse("access:access_log", args=[world.person.pk])
    response = client_for(world.owner).get(url, {"format": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body), delimiter=";") for cell in row]
    if len(cells) < 10:  # a comma-separated file
        cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    _assert_in_words(cells)


def test_the_staff_access_log_speaks_nynorsk(world, client_for) -> None:
    _write_events(world)
    client = client_for(world.owner)
    url = reverse("access:access_log", args=[world.person.pk])
    page = client.get(url, headers={"accept-language": "nn"})
    cells = _cells(page.content.decode())
    assert "Skreiv ut planen" in cells
    assert "Lånte ut eit hjelpemiddel" in cells


def test_a_generic_action_names_its_object() -> None:
    event = AuditEvent(action="update", object_type="case")
    assert action_label(event) == "Endret opplysninger (sak)"
    assert action_label(AuditEvent(action="view", object_type="person")) == "Så på opplysninger"


def test_a_legacy_value_reads_as_another_action() -> None:
    assert action_label(AuditEvent(action="gammel_kode", object_type="person")) == (
        "Annen handling"
    )


def test_the_persons_copy_names_actions_in_words(world) -> None:
    _write_events(world)
    actions = [row["action"] for row in access_log(world.person)]
    assert "lånte ut et hjelpemiddel" in actions
    assert not any(code in actions for code in CODES)


def test_the_audit_export_keeps_the_code_and_adds_the_words(world, capsys) -> None:
    """The export is evidence: the stored code stays (the hash covers it), with its words."""
    _write_events(world)
    call_command(
        "audit",
        "export",
        "--municipality",
        world.municipality.number,
        "--person",
        world.person.person_ref,
        "--format",
        "json",
    )
    rows = json.loads(capsys.readouterr().out)
    letter = next(row for row in rows if row["action"] == "letter_sent")
    assert letter["action_label"] == "registrerte at vedtaksbrevet er sendt"
