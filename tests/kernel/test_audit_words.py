"""The audit vocabulary: every action has plain Norwegian words (bokmål and nynorsk),
and nothing outside the vocabulary can be written to the audit log."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from mestring.access.actor import system_actor
from mestring.access.audit import EventSpec, record_event, record_events
from mestring.access.models import AuditEvent
from mestring.casework.models import AppealStatus, CaseStatus
from mestring.kernel.audit_words import (
    UNKNOWN_ACTION_LABEL,
    AuditAction,
    audit_action,
    audit_action_label,
)
from mestring.referrals.models import ReferralStatus

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "nn" / "LC_MESSAGES"
MEMBERS = list(AuditAction)


def _bokmal(text: object) -> str:
    with translation.override("nb"):
        return str(text)


def _nynorsk(text: object) -> str:
    with translation.override("nn"):
        return str(text)


def _compiled() -> dict[str, str]:
    with (CATALOGUE / "django.mo").open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def _po_msgids() -> set[str]:
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    return {m.replace('\\"', '"') for m in re.findall(r'^msgid "(.+)"$', text, flags=re.M)}


@pytest.mark.parametrize("action", MEMBERS, ids=[m.name for m in MEMBERS])
def test_every_action_has_plain_words(action: AuditAction) -> None:
    label = _bokmal(action.label)
    assert label.strip(), f"{action.value} has no label"
    assert label != action.value
    assert label.lower() != action.name.lower().replace("_", " ")
    assert "_" not in label and "." not in label, f"{action.value}: {label!r} reads as a code"


@pytest.mark.parametrize("action", MEMBERS, ids=[m.name for m in MEMBERS])
def test_every_action_has_nynorsk_words(action: AuditAction) -> None:
    label = _bokmal(action.label)
    catalogue = _compiled()
    assert catalogue.get(label), f"no nynorsk for {label!r} in django.mo"
    assert label in _po_msgids(), f"no nynorsk for {label!r} in django.po"
    nynorsk = _nynorsk(action.label)
    assert nynorsk == catalogue[label]
    assert "_" not in nynorsk and "." not in nynorsk


def test_the_compiled_catalogue_matches_its_source() -> None:
    """django.mo is compiled from django.po as committed (no msgid only in one of them)."""
    assert set(_compiled()) - {""} == _po_msgids()


@pytest.mark.parametrize(
    "message",
    [
        "Handlingen kunne ikke utføres.",
        "Fant ikke det du spurte etter.",
        "Du har ikke tillatelse til dette.",
        "Noen andre har endret dette i mellomtiden. Last siden på nytt.",
        "Opplysningene bryter en regel og kan ikke lagres.",
        "Kan ikke endre status fra «%(old)s» til «%(new)s».",
        "fra status",
        "begrunnelse",
        "endret av",
    ],
)
def test_the_kernels_messages_have_nynorsk(message: str) -> None:
    with translation.override("nn"):
        assert translation.gettext(message) != message


def test_a_domain_error_speaks_nynorsk_when_asked() -> None:
    from mestring.kernel.errors import NotFound

    with translation.override("nn"):
        assert NotFound().message == "Fann ikkje det du spurde etter."


def test_every_value_fits_the_stored_column() -> None:
    length = AuditEvent._meta.get_field("action").max_length
    assert all(len(action.value) <= length for action in AuditAction)


@pytest.mark.parametrize("statuses", [CaseStatus, AppealStatus, ReferralStatus])
def test_every_status_change_has_words(statuses: type) -> None:
    """Status changes are stored as status_<value>: each status has its member."""
    for status in statuses:
        action = AuditAction.for_status(status)
        assert action.value == f"status_{status.value}"


def test_a_status_without_words_is_refused() -> None:
    with pytest.raises(ValueError, match="status_ukjent"):
        AuditAction.for_status("ukjent")


def test_retention_runs_have_words() -> None:
    assert AuditAction.for_retention("delete") == AuditAction.RETENTION_DELETE
    assert AuditAction.for_retention("anonymise") == AuditAction.RETENTION_ANONYMISE


def test_a_value_keeps_its_words() -> None:
    """Stored rows keep their codes: the plain string finds the same member and words."""
    assert audit_action("devices.loan.deliver") is AuditAction.DEVICE_LOAN_DELIVER
    with translation.override("nb"):
        assert audit_action_label("devices.loan.deliver") == "lånte ut et hjelpemiddel"
        assert audit_action_label("status_vedtak") == ("endret status på saken til «Vedtak fattet»")


def test_an_unknown_stored_value_reads_as_another_action_never_the_code() -> None:
    with translation.override("nb"):
        assert audit_action_label("gammel_kode") == str(UNKNOWN_ACTION_LABEL) == "annen handling"
    with translation.override("nn"):
        assert audit_action_label("gammel_kode") == "anna handling"


def test_the_vocabulary_refuses_what_it_does_not_have() -> None:
    with pytest.raises(ValueError, match="finnes_ikke"):
        audit_action("finnes_ikke")
    with pytest.raises(TypeError):
        audit_action(None)


@pytest.mark.django_db
def test_record_event_refuses_an_unknown_action(world) -> None:
    actor = system_actor(world.municipality)
    before = AuditEvent.all_objects.count()
    with pytest.raises(ValueError, match="ny_handling"):
        record_event(actor=actor, action="ny_handling", object_type="person")
    with pytest.raises(ValueError, match="ny_handling"):
        record_events(actor=actor, specs=[EventSpec("ny_handling", "person")])
    assert AuditEvent.all_objects.count() == before


@pytest.mark.django_db
def test_record_event_stores_the_plain_value(world) -> None:
    """The row holds the value as before, so old and new rows hash and read alike."""
    event = record_event(
        actor=system_actor(world.municipality),
        action=AuditAction.LETTER_SENT,
        object_type="decision",
    )
    stored = AuditEvent.all_objects.get(pk=event.pk)
    assert stored.action == "letter_sent"
    assert type(stored.action) is str


# Calls that take an audit action: by keyword `action=`, or at this position.
ACTION_TAKERS = {
    "record_event": None,
    "EventSpec": 0,
    "audit_refusal": None,
    "require_person": None,
    "person_view": None,
    "endpoint": None,
    "name_persons": None,
    "item_status_change": None,
    "_record_in_every_chain": None,
    "_check_account_change": None,
    "_log_named": None,
    "_audit": 1,
    "_admin_event": 1,
    "_plan_event": 2,
    "_event": 1,
}
SOURCE = Path(__file__).resolve().parents[2] / "src" / "mestring"


def _action_arguments(tree: ast.AST) -> list[ast.expr]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in ACTION_TAKERS:
            continue
        found += [kw.value for kw in node.keywords if kw.arg == "action"]
        position = ACTION_TAKERS[name]
        if position is not None and len(node.args) > position:
            found.append(node.args[position])
    return found


def _values(argument: ast.expr) -> list[ast.expr]:
    """What an argument may evaluate to: itself, or either branch of `a if c else b`."""
    if isinstance(argument, ast.IfExp):
        return _values(argument.body) + _values(argument.orelse)
    return [argument]


def test_the_code_names_actions_by_member_only() -> None:
    """No call writes a bare string as an action, and every member named exists."""
    bare, unknown = [], []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for argument in _action_arguments(tree):
            for node in _values(argument):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    bare.append(f"{path.relative_to(SOURCE)}:{node.lineno} {node.value!r}")
        for match in re.finditer(r"\bAuditAction\.([A-Z][A-Z0-9_]*)\b", text):
            if match.group(1) not in AuditAction.__members__:
                unknown.append(f"{path.relative_to(SOURCE)}: {match.group(0)}")
    assert not bare, bare
    assert not unknown, unknown
