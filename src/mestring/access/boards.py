"""Lists and boards that name persons (bed board, work lists, waiting lists).

A board shows a person's name only to those who may see the person — the guard's answer
(care relation or emergency access, a block wins) — or to those whose unit's work the row
is (the unit responsible for the stay, the programme, the prescription). Every other row
stays on the board without the name, so that counts and free beds still add up. Each
named person gets a row in their access log, like a visit to their own pages: one batch
of audit rows per page, so the number of queries does not grow with the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.access.actor import Actor
from mestring.access.audit import EventSpec, record_events
from mestring.access.guard import REFUSED, AccessDecision, blocks_covering, combine
from mestring.access.models import CareRelation, EmergencyAccess
from mestring.access.request import StaffRequest
from mestring.kernel.audit_words import AuditAction

T = TypeVar("T")

# The ground recorded in the access log when the name was shown because the row is the
# work of the user's unit (not a care relation of their own).
UNIT_WORK = "enhetens_arbeid"
UNIT_WORK_LABEL = _("Står på arbeidslisten til enheten der den ansatte arbeider")
# What a download says where a name is not shown (the page shows _name_hidden.html).
NAME_HIDDEN = _("Navn vises ikke")


def decide_many(actor: Actor | None, person_ids: Iterable[int]) -> dict[int, AccessDecision]:
    """`guard.decide` for many persons in three queries (blocks, emergency access, care
    relations), whatever their number. Intake relations do not count (they open only
    the messages of need)."""
    ids = set(person_ids)
    if actor is None or actor.staff is None or not ids:
        return dict.fromkeys(ids, REFUSED)
    now = timezone.now()
    blocked = set(
        blocks_covering(actor).filter(person_id__in=ids).values_list("person_id", flat=True)
    )
    emergencies: dict[int, tuple[str, bool]] = {}
    for person_id, reason, overrides in (
        EmergencyAccess.objects.filter(
            person_id__in=ids, staff=actor.staff, started_at__lte=now, expires_at__gt=now
        )
        .order_by("started_at")
        .values_list("person_id", "reason", "overrides_block")
    ):
        emergencies[person_id] = (reason, overrides)  # the latest wins, as in decide()
    kinds: dict[int, str] = {}
    for person_id, kind in (
        CareRelation.objects.active(now)
        .for_staff(actor.staff)
        .filter(person_id__in=ids)
        .order_by("valid_from")
        .values_list("person_id", "kind")
    ):
        kinds[person_id] = kind  # the newest, as in decide() (ordered by -valid_from)
    return {
        person_id: combine(
            blocked=person_id in blocked,
            emergency=emergencies.get(person_id),
            kind=kinds.get(person_id),
        )
        for person_id in ids
    }


def actor_unit_ids(actor: Actor | None) -> frozenset[int]:
    """The units the user works in (one query)."""
    if actor is None or actor.staff is None:
        return frozenset()
    return frozenset(actor.staff.units.values_list("pk", flat=True))


def name_persons(
    actor: Actor,
    rows: Sequence[T],
    *,
    object_type: str,
    action: AuditAction = AuditAction.VIEW,
    own_unit_work: Callable[[T], bool] = lambda row: False,
    person_of: Callable[[T], Any] = attrgetter("person"),
) -> list[T]:
    """Set `row.named` on each row: whether the user may see the person's name; and
    `row.openable`: whether a link to the person's pages would open. Writes one
    access-log row per named person, in one batch.

    `own_unit_work(row)`: the row is the work of the user's unit; its person is named
    unless they have blocked the user or the unit. `action`: "export" for a download.
    """
    persons = {person_of(row).pk: person_of(row) for row in rows}
    decisions = decide_many(actor, persons)
    named: dict[int, AccessDecision] = {}
    for row in rows:
        person = person_of(row)
        decision = decisions[person.pk]
        if decision.allowed:
            named.setdefault(person.pk, decision)
        elif not decision.blocked and own_unit_work(row):
            named.setdefault(person.pk, AccessDecision(allowed=True, reason_code=UNIT_WORK))
        # Rows are of any kind (models, plain objects): T has no flags to declare.
        # `openable`: the guard lets the user open the person's pages, so the row may
        # link there; a name shown for the unit's work alone is not a way in.
        row.named, row.openable = person.pk in named, decision.allowed  # type: ignore[attr-defined]  # flags for the templates
    record_events(
        actor=actor,
        specs=[
            EventSpec(
                action=action,
                object_type=object_type,
                person=persons[person_id],
                object_id=person_id,
                purpose=decision.purpose,
                reason_code=decision.reason_code,
                self_granted=decision.self_granted,
                block_override=decision.block_override,
            )
            for person_id, decision in sorted(named.items())
        ],
    )
    return list(rows)


def name_intake_rows(
    request: StaffRequest,
    rows: list[T],
    object_type: str,
    *,
    person_of: Callable[[T], Any] = attrgetter("person"),
) -> list[T]:
    """The intake office's queues (messages of need, cases, deadlines): open to the roles
    that register persons, whose work every row is. Each person named is logged; a
    person who has blocked the user is not named (`row.named`). A download is an export."""
    action = AuditAction.EXPORT if request.GET.get("format") == "csv" else AuditAction.VIEW
    return name_persons(
        request.actor,
        rows,
        object_type=object_type,
        action=action,
        own_unit_work=lambda row: True,
        person_of=person_of,
    )
