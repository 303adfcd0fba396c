"""The person's own copy (innsyn): everything held about one person, as JSON or PDF.

The right of access (pasient- og brukerrettighetsloven § 5-1, personvernforordningen
art. 15) covers every record about the person, so the collection is not a hand-kept
list that a new model could slip out of: it walks every model that points at the
person, and on from those to the records that hang under them (goals under a plan,
minutes under a meeting, visits under an episode), and adds the person's access log.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections import deque
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mestring.access.models import AuditEvent
from mestring.core.pdf import PdfDocument
from mestring.kernel.audit_words import audit_action_label
from mestring.people.models import Person

# Never part of a copy: secrets, and bookkeeping the person cannot use.
SKIPPED_FIELD_PARTS = ("password", "secret", "token", "hash")
SKIPPED_FIELDS = {"municipality"}
# How far below the person the walk goes (person → plan → goal → measure → loan).
MAX_DEPTH = 5

ACCESS_LOG_FIELDS = (
    ("occurred_at", gettext_lazy("tidspunkt")),
    ("username", gettext_lazy("bruker")),
    ("actor_name", gettext_lazy("navn")),
    ("hpr_number", gettext_lazy("HPR-nummer")),
    ("role", gettext_lazy("rolle")),
    ("unit", gettext_lazy("enhet")),
    ("action", gettext_lazy("handling")),
    ("object_type", gettext_lazy("hva")),
    ("purpose", gettext_lazy("formål")),
    ("outcome", gettext_lazy("utfall")),
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _skipped(field: models.Field) -> bool:
    return field.name in SKIPPED_FIELDS or any(p in field.name for p in SKIPPED_FIELD_PARTS)


def record_fields(obj: models.Model) -> dict[str, Any]:
    """A record's own values; a reference is shown by its id and what it names."""
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if _skipped(field):
            continue
        if field.is_relation:
            row[field.attname] = getattr(obj, field.attname)
            related = getattr(obj, field.name, None) if row[field.attname] else None
            if related is not None:
                row[field.name] = str(related)
            continue
        value = getattr(obj, field.attname)
        if field.choices and value not in (None, ""):
            row[field.name] = _plain(value)
            row[f"{field.name}_tekst"] = str(getattr(obj, f"get_{field.name}_display")())
            continue
        row[field.name] = _plain(value)
    for field in obj._meta.many_to_many:
        if not _skipped(field):
            row[field.name] = [str(item) for item in getattr(obj, field.name).all()]
    return row


def _belongs_to(obj: models.Model, person: Person) -> bool:
    """A record with its own person field must be this person's (never another's)."""
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model is Person:
            value = getattr(obj, field.attname)
            if value is not None and value != person.pk:
                return False
    return True


def collect_records(person: Person) -> dict[str, list[models.Model]]:
    """Every record under the person, by model label, each once, in id order."""
    found: dict[str, dict[int, models.Model]] = {}
    queue: deque[tuple[models.Model, int]] = deque([(person, 0)])
    while queue:
        parent, depth = queue.popleft()
        if depth >= MAX_DEPTH:
            continue
        for relation in parent._meta.related_objects:
            if relation.many_to_many or relation.related_model is AuditEvent:
                continue
            model = relation.related_model
            rows = model._base_manager.filter(**{relation.field.name: parent.pk})
            for obj in rows.order_by("pk"):
                label = model._meta.label
                if obj.pk in found.get(label, {}) or not _belongs_to(obj, person):
                    continue
                found.setdefault(label, {})[obj.pk] = obj
                queue.append((obj, depth + 1))
    return {
        label: [rows[pk] for pk in sorted(rows)]
        for label, rows in sorted(found.items(), key=lambda item: item[0])
    }


def access_log(person: Person) -> list[dict[str, Any]]:
    events = AuditEvent.all_objects.filter(
        municipality_id=person.municipality_id, person=person
    ).order_by("seq")
    return [_access_log_row(event) for event in events]


def _access_log_row(event: AuditEvent) -> dict[str, Any]:
    """One event for the person: the action in words, never its stored code."""
    row = {name: _plain(getattr(event, name)) for name, _label in ACCESS_LOG_FIELDS}
    row["action"] = audit_action_label(event.action)
    return row


def build_copy(person: Person) -> dict[str, Any]:
    """The whole copy as plain data (what the JSON holds and the PDF shows)."""
    records = collect_records(person)
    sections = []
    for label, rows in records.items():
        meta = rows[0]._meta
        sections.append(
            {
                "type": label,
                "title": str(meta.verbose_name_plural),
                "records": [record_fields(row) for row in rows],
            }
        )
    return {
        "title": _("Innsyn: opplysninger registrert om %(name)s") % {"name": person.full_name},
        "generated_at": _plain(timezone.now()),
        "municipality": {
            "number": person.municipality.number,
            "name": person.municipality.name,
        },
        "person": record_fields(person),
        "sections": sections,
        "access_log": access_log(person),
    }


def as_json(copy: dict[str, Any]) -> bytes:
    return json.dumps(copy, ensure_ascii=False, indent=1, default=str).encode()


def _label(model_label: str, name: str) -> str:
    """The field's Norwegian label where the model has one, else its name."""
    try:
        model = apps.get_model(model_label)
        field = model._meta.get_field(name.removesuffix("_id").removesuffix("_tekst"))
    except (LookupError, FieldDoesNotExist):
        return name
    return str(getattr(field, "verbose_name", name))


def _rows_for_pdf(model_label: str, record: dict[str, Any]) -> Iterable[tuple[str, object]]:
    for name, value in record.items():
        if value in (None, "", []) or (name.endswith("_id") and name[:-3] in record):
            continue
        if f"{name}_tekst" in record:
            continue  # the readable text is shown instead of the code
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        yield _label(model_label, name), value


def as_pdf(copy: dict[str, Any]) -> bytes:
    document = PdfDocument(title=copy["title"], subject=_("Innsyn"))
    document.paragraph(
        _("Laget %(when)s av %(municipality)s kommune.")
        % {
            "when": copy["generated_at"][:16].replace("T", " "),
            "municipality": copy["municipality"]["name"],
        },
        small=True,
    )
    document.heading(_("Personopplysninger"))
    document.facts(_rows_for_pdf("people.Person", copy["person"]))
    for section in copy["sections"]:
        document.heading(
            f"{section['title'][:1].upper()}{section['title'][1:]} ({len(section['records'])})"
        )
        for record in section["records"]:
            document.facts(_rows_for_pdf(section["type"], record))
            document.space(2)
    document.heading(_("Tilgangslogg"))
    if copy["access_log"]:
        header = [str(label) for _name, label in ACCESS_LOG_FIELDS]
        rows = [
            [
                str(event[name])[:16].replace("T", " ") if name == "occurred_at" else event[name]
                for name, _label in ACCESS_LOG_FIELDS
            ]
            for event in copy["access_log"]
        ]
        document.table(header, rows)
    else:
        document.paragraph(_("Ingen oppslag er logget."))
    return document.render()
