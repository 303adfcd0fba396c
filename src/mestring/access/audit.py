"""Writing and verifying the audit log (DESIGN.md §6).

Every event is chained to the one before it in the same municipality: the row hash
covers the previous hash and the row's own content, so an edited or removed row
breaks the chain at that point. Writers lock the chain head, which keeps the chain
linear under concurrent requests.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.models import AuditChainHead, AuditEvent, AuditOutcome, AuditPurpose
from mestring.people.models import Person

GENESIS_HASH = "0" * 64

# Fields that the row hash covers, in a fixed order.
HASHED_FIELDS = (
    "municipality_id",
    "seq",
    "occurred_at",
    "user_id",
    "username",
    "hpr_number",
    "role",
    "unit",
    "person_id",
    "object_type",
    "object_id",
    "action",
    "outcome",
    "purpose",
    "reason_code",
    "self_granted",
    "block_override",
    "client_address",
    "request_id",
    "previous_hash",
)


def _canonical(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return value


def compute_row_hash(event: AuditEvent) -> str:
    content = {name: _canonical(getattr(event, name)) for name in HASHED_FIELDS}
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass
class _Counter:
    count: int = 0


_events_in_scope: ContextVar[_Counter | None] = ContextVar("audit_events", default=None)


@contextmanager
def counting_events() -> Iterator[_Counter]:
    """Counts the events written inside the block (one audited response = one event)."""
    counter = _Counter()
    token = _events_in_scope.set(counter)
    try:
        yield counter
    finally:
        _events_in_scope.reset(token)


@dataclass(frozen=True)
class AccessGround:
    """Why the actor may see a person now; every event about that person carries it."""

    person_id: int
    purpose: str
    reason_code: str = ""
    self_granted: bool = False
    block_override: bool = False


_ground: ContextVar[AccessGround | None] = ContextVar("access_ground", default=None)


@contextmanager
def access_ground(ground: AccessGround) -> Iterator[None]:
    token = _ground.set(ground)
    try:
        yield
    finally:
        _ground.reset(token)


@dataclass(frozen=True)
class EventSpec:
    """What happened; who and from where comes from the actor, and — for the person a
    guarded view opened — why from the access ground, unless given here."""

    action: str
    object_type: str
    object_id: object = ""
    person: Person | None = None
    outcome: str = AuditOutcome.ALLOWED
    purpose: str | None = None
    reason_code: str | None = None
    self_granted: bool | None = None
    block_override: bool | None = None

    def resolved(self) -> EventSpec:
        ground = _ground.get()
        if ground is None or self.person is None or ground.person_id != self.person.pk:
            ground = AccessGround(person_id=0, purpose=AuditPurpose.CARE)
        return EventSpec(
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            person=self.person,
            outcome=self.outcome,
            purpose=self.purpose if self.purpose is not None else ground.purpose,
            reason_code=self.reason_code if self.reason_code is not None else ground.reason_code,
            self_granted=(
                self.self_granted if self.self_granted is not None else ground.self_granted
            ),
            block_override=(
                self.block_override if self.block_override is not None else ground.block_override
            ),
        )


def record_events(*, actor: Actor, specs: list[EventSpec]) -> list[AuditEvent]:
    """Append events in order. Raises if they cannot be written, so the caller fails too."""
    if not specs:
        return []
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(
            municipality_id=actor.municipality.pk
        )
        now = timezone.now()
        events = []
        seq, previous = head.seq, head.last_hash
        for spec in (spec.resolved() for spec in specs):
            seq += 1
            event = AuditEvent(
                municipality_id=actor.municipality.pk,
                seq=seq,
                occurred_at=now,
                user_id=actor.user.pk if actor.user else None,
                username=actor.username,
                hpr_number=actor.hpr_number,
                role=",".join(actor.role_codes)[:200],
                unit=", ".join(actor.unit_names)[:200],
                person_id=spec.person.pk if spec.person else None,
                object_type=spec.object_type,
                object_id=str(spec.object_id or ""),
                action=spec.action,
                outcome=spec.outcome,
                purpose=spec.purpose,
                reason_code=spec.reason_code,
                self_granted=spec.self_granted,
                block_override=spec.block_override,
                client_address=actor.client_address,
                request_id=actor.request_id,
                previous_hash=previous,
            )
            event.row_hash = previous = compute_row_hash(event)
            events.append(event)
        AuditEvent.all_objects.bulk_create(events, batch_size=1000)
        head.seq, head.last_hash = seq, previous
        head.save(update_fields=["seq", "last_hash"])
    counter = _events_in_scope.get()
    if counter is not None:
        counter.count += len(events)
    return events


def record_event(*, actor: Actor, **spec: object) -> AuditEvent:
    return record_events(actor=actor, specs=[EventSpec(**spec)])[0]


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int
    problem: str


def verify_chain(municipality_id: int) -> ChainBreak | None:
    """The first row where the chain is broken, or None when it is intact."""
    expected_previous = GENESIS_HASH
    expected_seq = 1
    events = AuditEvent.all_objects.filter(municipality_id=municipality_id).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainBreak(event.seq, event.pk, f"row {expected_seq} is missing")
        if event.previous_hash != expected_previous:
            return ChainBreak(event.seq, event.pk, "previous hash does not match")
        if compute_row_hash(event) != event.row_hash:
            return ChainBreak(event.seq, event.pk, "content does not match its hash")
        expected_previous = event.row_hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(municipality_id=municipality_id).first()
    if head is not None and head.seq != expected_seq - 1:
        return ChainBreak(expected_seq, 0, f"rows after {expected_seq - 1} are missing")
    return None
