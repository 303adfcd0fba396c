"""Writes of the maintenance app: the person's copy (an audited export) and retention."""

from __future__ import annotations

import datetime

from django.db import transaction

from mestring.access.actor import Actor
from mestring.access.audit import EventSpec, record_event, record_events
from mestring.access.models import AuditPurpose
from mestring.kernel.audit_words import AuditAction
from mestring.maintenance import retention
from mestring.maintenance.innsyn import as_json, as_pdf, build_copy
from mestring.maintenance.models import PERIOD_FIELDS, RetentionPolicy, audit_years_too_short
from mestring.maintenance.retention import KindResult
from mestring.people.models import Person

INNSYN_FORMATS = ("json", "pdf")


class InnsynError(Exception):
    """A copy that cannot be made; the message is for the user."""


def innsyn_export(*, actor: Actor, person: Person, fmt: str) -> bytes:
    """Everything held about the person, as JSON or PDF; the export itself is logged."""
    if fmt not in INNSYN_FORMATS:
        raise InnsynError(f"Ukjent format «{fmt}». Velg json eller pdf.")
    with transaction.atomic():
        content = build_copy(person)
        data = as_json(content) if fmt == "json" else as_pdf(content)
        record_event(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type="innsyn",
            object_id=f"{person.pk}:{fmt}",
            person=person,
        )
    return data


class RetentionPolicyRefused(Exception):
    """A period the municipality may not choose; the message is for the user."""


def retention_policy_update(*, actor: Actor, values: dict[str, int]) -> RetentionPolicy:
    """Save the municipality's retention periods (years per kind of record). The access
    log is never set below the installation's minimum (RetentionPolicyRefused)."""
    if "audit_years" in values:
        problem = audit_years_too_short(values["audit_years"])
        if problem:
            raise RetentionPolicyRefused(problem)
    with transaction.atomic():
        policy = RetentionPolicy.objects.select_for_update().first() or RetentionPolicy()
        for name in PERIOD_FIELDS:
            if name in values:
                setattr(policy, name, values[name])
        policy.save()
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="retention_policy",
            object_id=policy.pk,
        )
    return policy


def retention_run(*, actor: Actor, today: datetime.date | None = None) -> list[KindResult]:
    """Delete and anonymise what has passed its period, in one transaction.

    One summary event per kind with the counts (the ids are in the command's output,
    not the log, so the log never lists health records of persons it is not about).
    Removing old audit rows also writes the checkpoint's own event (access.audit).
    """
    with transaction.atomic():
        results = retention.execute(actor.municipality.pk, today, actor=actor)
        record_events(
            actor=actor,
            specs=[
                EventSpec(
                    action=AuditAction.for_retention(result.action),
                    object_type=f"retention:{result.code}",
                    object_id=f"{result.done} av {result.due}",
                    purpose=AuditPurpose.ADMINISTRATION,
                )
                for result in results
            ],
        )
    return results
