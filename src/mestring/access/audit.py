"""Writing and verifying the audit log.

Every event is chained to the one before it in the same municipality: the row hash
covers the previous hash and the row's own content, so an edited or removed row
breaks the chain at that point. Writers lock the chain head, which keeps the chain
linear under concurrent requests.

Retention may remove the oldest rows of a chain (`audit_prune`): it first writes an
`AuditCheckpoint` with the hash of the last row it removes, and then an event that
names the checkpoint, so `verify_chain` starts from the checkpoint instead of row 1 and
still finds an edited, removed or unaccounted-for row.

The newest rows removed together with a rolled-back chain head leave a chain that still
links; an `AuditAnchor` (where the chain was last seen whole, written by `audit verify`
and by pruning) reveals that: the chain must reach it, with the same hash there.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.models import (
    AuditAnchor,
    AuditChainHead,
    AuditCheckpoint,
    AuditEvent,
    AuditOutcome,
    AuditPurpose,
)
from mestring.kernel.audit_words import AuditAction, audit_action
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
# Hashed as well when not empty: the actor's name as it was (`AuditEvent.actor_name`).
# Rows written before the field existed have it empty and keep their hashes; on a newer
# row, blanking or changing the name no longer matches its hash.
OPTIONAL_HASHED_FIELDS = ("actor_name",)


def _canonical(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return value


def compute_row_hash(event: AuditEvent) -> str:
    content = {name: _canonical(getattr(event, name)) for name in HASHED_FIELDS}
    for name in OPTIONAL_HASHED_FIELDS:
        value = getattr(event, name)
        if value:
            content[name] = value
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

    action: AuditAction
    object_type: str
    object_id: object = ""
    person: Person | None = None
    outcome: str = AuditOutcome.ALLOWED
    purpose: str | None = None
    reason_code: str | None = None
    self_granted: bool | None = None
    block_override: bool | None = None

    def __post_init__(self) -> None:
        # Refused here, before anything is written: every action has its words.
        object.__setattr__(self, "action", audit_action(self.action))

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
                actor_name=actor.display_name,
                hpr_number=actor.hpr_number,
                role=",".join(actor.role_codes)[:200],
                unit=", ".join(actor.unit_names)[:200],
                person_id=spec.person.pk if spec.person else None,
                object_type=spec.object_type,
                object_id=str(spec.object_id or ""),
                action=spec.action.value,
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


# The event that records a checkpoint (written by `audit_prune`).
CHECKPOINT_ACTION = AuditAction.AUDIT_PRUNE
CHECKPOINT_OBJECT_TYPE = "audit_checkpoint"


def checkpoint_tag(checkpoint: AuditCheckpoint) -> str:
    """The checkpoint as the object id of its event: last removed row and (most of) its hash."""
    max_length = AuditEvent._meta.get_field("object_id").max_length
    return f"{checkpoint.last_seq}:{checkpoint.last_hash}"[:max_length]


def _checkpoint_problem(checkpoints: list[AuditCheckpoint]) -> ChainBreak | None:
    """Checkpoints follow each other: each starts after the one before and counts its rows."""
    expected_first = 1
    for checkpoint in checkpoints:
        if checkpoint.first_seq != expected_first:
            return ChainBreak(
                checkpoint.first_seq,
                0,
                f"checkpoint {checkpoint.pk} does not follow row {expected_first - 1}",
            )
        if checkpoint.removed != checkpoint.last_seq - checkpoint.first_seq + 1:
            return ChainBreak(
                checkpoint.first_seq, 0, f"checkpoint {checkpoint.pk} miscounts its rows"
            )
        expected_first = checkpoint.last_seq + 1
    return None


def verify_chain(municipality_id: int, *, through_seq: int | None = None) -> ChainBreak | None:
    """The first row where the chain is broken, or None when it is intact (see `_verify`)."""
    return _verify(municipality_id, through_seq=through_seq)[0]


def _verify(
    municipality_id: int, *, through_seq: int | None = None
) -> tuple[ChainBreak | None, int, str]:
    """The first row where the chain is broken (or None), and the last row checked: its
    seq and hash.

    The chain starts at row 1 from the genesis hash, or — when retention removed the
    oldest rows — right after the checkpoint that accounts for them, from its hash.
    A checkpoint whose row is still there must match that row's hash; the latest
    checkpoint must be recorded by an event in the remaining chain. With `through_seq`,
    only the rows up to that one are checked (the part retention is about to remove).
    """
    checkpoints = list(
        AuditCheckpoint.all_objects.filter(municipality_id=municipality_id).order_by("last_seq")
    )
    problem = _checkpoint_problem(checkpoints)
    if problem is not None:
        return problem, 0, ""
    anchor = (
        AuditAnchor.all_objects.filter(municipality_id=municipality_id).order_by("-seq").first()
        if through_seq is None
        else None
    )
    by_last_seq = {checkpoint.last_seq: checkpoint for checkpoint in checkpoints}
    tags = {checkpoint_tag(checkpoint) for checkpoint in checkpoints}
    latest = checkpoints[-1] if checkpoints else None
    latest_recorded = False
    events = AuditEvent.all_objects.filter(municipality_id=municipality_id).order_by("seq")
    if through_seq is not None:
        events = events.filter(seq__lte=through_seq)
    expected_previous = GENESIS_HASH
    expected_seq = 1
    first = events.values_list("seq", "pk").first()
    if first is not None and first[0] != 1:
        start = by_last_seq.get(first[0] - 1)
        if start is None:
            missing = f"rows 1 to {first[0] - 1} are missing without a checkpoint"
            return ChainBreak(first[0], first[1], missing), 0, ""
        expected_previous, expected_seq = start.last_hash, start.last_seq + 1
    elif first is None and latest is not None:
        expected_previous, expected_seq = latest.last_hash, latest.last_seq + 1
    for event in events.iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainBreak(event.seq, event.pk, f"row {expected_seq} is missing"), 0, ""
        if event.previous_hash != expected_previous:
            return ChainBreak(event.seq, event.pk, "previous hash does not match"), 0, ""
        if compute_row_hash(event) != event.row_hash:
            return ChainBreak(event.seq, event.pk, "content does not match its hash"), 0, ""
        if anchor is not None and event.seq == anchor.seq and anchor.row_hash != event.row_hash:
            unanchored = "row does not match the anchor seen earlier"
            return ChainBreak(event.seq, event.pk, unanchored), 0, ""
        checkpoint = by_last_seq.get(event.seq)
        if checkpoint is not None and checkpoint.last_hash != event.row_hash:
            return ChainBreak(event.seq, event.pk, "checkpoint does not match the row"), 0, ""
        if event.action == CHECKPOINT_ACTION and event.object_type == CHECKPOINT_OBJECT_TYPE:
            if event.object_id not in tags:
                gone = "checkpoint recorded here is missing"
                return ChainBreak(event.seq, event.pk, gone), 0, ""
            latest_recorded = latest_recorded or event.object_id == checkpoint_tag(latest)
        expected_previous = event.row_hash
        expected_seq += 1
    last = (expected_seq - 1, expected_previous)
    if through_seq is not None:
        return None, *last
    if anchor is not None and anchor.seq > expected_seq - 1:
        # The newest rows are gone, the head rolled back with them: the chain still
        # links, but it once reached further.
        cut = (
            f"rows {expected_seq} to {anchor.seq} are missing (the chain was cut back "
            "since it was anchored)"
        )
        return ChainBreak(expected_seq, 0, cut), 0, ""
    if latest is not None and not latest_recorded:
        unrecorded = "latest checkpoint is not recorded in the chain"
        return ChainBreak(latest.last_seq + 1, 0, unrecorded), 0, ""
    head = AuditChainHead.objects.filter(municipality_id=municipality_id).first()
    if head is not None and head.seq != expected_seq - 1:
        return ChainBreak(expected_seq, 0, f"rows after {expected_seq - 1} are missing"), 0, ""
    return None, *last


def anchor_chain(
    municipality_id: int, *, source: str
) -> tuple[ChainBreak | None, AuditAnchor | None]:
    """Verify the chain and, when it is whole, record the last row checked (seq and
    hash) as its anchor. Writers go on meanwhile: the anchor is the last row seen whole,
    not the head."""
    broken, seq, row_hash = _verify(municipality_id)
    if broken is not None or not seq:
        return broken, None
    anchor = AuditAnchor.all_objects.create(
        municipality_id=municipality_id,
        seq=seq,
        row_hash=row_hash,
        recorded_at=timezone.now(),
        source=source,
    )
    return None, anchor


# --- retention: removing the oldest rows behind a checkpoint ---------------------------


class AuditPruneRefused(Exception):
    """The chain cannot be pruned now; the message is for the operator."""


@dataclass(frozen=True)
class PrunePlan:
    """What pruning at `before` would do: rows older than it, and the removable prefix."""

    due: int  # rows that occurred before the cutoff
    removable: int  # the leading rows of the chain among them (a prefix in seq order)
    first_seq: int | None
    last_seq: int | None

    @property
    def kept(self) -> int:
        """Old rows that follow a newer one (a clock set back) and so must stay for now."""
        return self.due - self.removable


def prune_plan(municipality_id: int, before: datetime.datetime) -> PrunePlan:
    """Which rows `audit_prune` would remove: every row before the first one that occurred
    at or after `before`. Nothing is changed."""
    events = AuditEvent.all_objects.filter(municipality_id=municipality_id)
    due = events.filter(occurred_at__lt=before).count()
    if not due:
        return PrunePlan(due=0, removable=0, first_seq=None, last_seq=None)
    newer = events.filter(occurred_at__gte=before).aggregate(seq=Min("seq"))["seq"]
    prefix = events if newer is None else events.filter(seq__lt=newer)
    figures = prefix.aggregate(first=Min("seq"), last=Max("seq"), count=Count("pk"))
    return PrunePlan(
        due=due, removable=figures["count"], first_seq=figures["first"], last_seq=figures["last"]
    )


def _delete_through(municipality_id: int, last_seq: int) -> int:
    """Delete rows up to `last_seq`; on PostgreSQL the trigger lets them go only now."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET LOCAL mestring.audit_prune = 'on'")
        # Nothing refers to audit rows, so this is one plain DELETE.
        deleted, _by_model = AuditEvent.all_objects.filter(
            municipality_id=municipality_id, seq__lte=last_seq
        ).delete()
        if postgresql:
            cursor.execute("SET LOCAL mestring.audit_prune = 'off'")
    return deleted


def audit_prune(
    *, actor: Actor, before: datetime.datetime
) -> tuple[PrunePlan, AuditCheckpoint | None]:
    """Remove the municipality's oldest rows, those before the first row that occurred at
    or after `before`, behind a checkpoint, and log the pruning as an event.

    Refuses (AuditPruneRefused) when the rows to remove, or the link to the row after
    them, are broken: removing them would remove the evidence. Only that part is
    checked here, so writers wait on the chain head no longer than needed; a break
    further on stays where `verify_chain` finds it.
    """
    municipality_id = actor.municipality.pk
    with transaction.atomic():
        # Lock the head first: no event is written while the chain is checked and cut.
        AuditChainHead.objects.select_for_update().get_or_create(municipality_id=municipality_id)
        plan = prune_plan(municipality_id, before)
        if not plan.removable:
            return plan, None
        # Check the rows to be removed (and the one after them): their evidence goes.
        broken = verify_chain(municipality_id, through_seq=plan.last_seq + 1)
        if broken is not None:
            raise AuditPruneRefused(
                f"Tilgangsloggen er brutt ved rad {broken.seq} ({broken.problem}), så ingen "
                "rader er slettet. Undersøk med «mestring audit verify» først."
            )
        last = AuditEvent.all_objects.get(municipality_id=municipality_id, seq=plan.last_seq)
        try:
            with transaction.atomic():
                checkpoint = AuditCheckpoint.all_objects.create(
                    municipality_id=municipality_id,
                    first_seq=plan.first_seq,
                    last_seq=last.seq,
                    last_event_id=last.pk,
                    last_hash=last.row_hash,
                    last_occurred_at=last.occurred_at,
                    removed=plan.removable,
                    cutoff=before,
                    created_at=timezone.now(),
                    user=actor.user,
                    username=actor.username,
                    role=",".join(actor.role_codes)[:200],
                )
                deleted = _delete_through(municipality_id, last.seq)
        except DatabaseError as error:
            # Typically the application role, which may neither write checkpoints nor
            # delete audit rows (docs/deploy.md, section 2).
            raise AuditPruneRefused(
                "Databasen nektet å slette fra tilgangsloggen, så ingen rader er slettet. "
                "Kjør jobben som rollen som har rett til det (se docs/deploy.md). "
                f"Melding fra databasen: {(str(error).splitlines() or [''])[0]}"
            ) from error
        if deleted != plan.removable:
            raise AuditPruneRefused(
                f"Tilgangsloggen endret seg under slettingen ({deleted} rader i stedet for "
                f"{plan.removable}). Ingen rader er slettet; prøv igjen."
            )
        event = record_event(
            actor=actor,
            action=CHECKPOINT_ACTION,
            object_type=CHECKPOINT_OBJECT_TYPE,
            object_id=checkpoint_tag(checkpoint),
            purpose=AuditPurpose.ADMINISTRATION,
        )
        # The pruning event ends the chain now: anchor it (its rows were checked above).
        AuditAnchor.all_objects.create(
            municipality_id=municipality_id,
            seq=event.seq,
            row_hash=event.row_hash,
            recorded_at=timezone.now(),
            source="audit_prune",
        )
    return plan, checkpoint
