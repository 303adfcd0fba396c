"""The one check in front of every person's data (tjenstlig behov).

A staff member reaches a person only through an active care relation in the active
municipality, unless the person has blocked them (sperring), which wins. Emergency
access opens a record for a few hours without a relation; it overrides a block only
when the user confirmed that explicitly. Whatever the reason for a refusal — no
relation, a block, another municipality, no such person — the answer is the same,
so a refusal never tells whether the person exists. Every answer is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Q, QuerySet, When
from django.http import Http404, HttpRequest
from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.audit import AccessGround, access_ground, counting_events, record_event
from mestring.access.models import (
    INTAKE_KINDS,
    AuditOutcome,
    AuditPurpose,
    Block,
    CareRelation,
    EmergencyAccess,
)
from mestring.access.request import StaffRequest, View
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person, Staff


class PersonAccessRefused(PermissionDenied):
    """Rendered as the uniform refusal page."""


@dataclass(frozen=True)
class AccessDecision:
    allowed: bool
    purpose: str = AuditPurpose.CARE
    reason_code: str = ""
    self_granted: bool = False
    block_override: bool = False
    blocked: bool = False

    def ground(self, person_id: int) -> AccessGround:
        """What every audit row about this person carries while this decision holds."""
        return AccessGround(
            person_id=person_id,
            purpose=self.purpose,
            reason_code=self.reason_code,
            self_granted=self.self_granted,
            block_override=self.block_override,
        )


REFUSED = AccessDecision(allowed=False)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Actions of views whose answer is a file with the person's data (a PDF): their read
# row says "export", as a CSV download (`?format=csv`) of any guarded page does.
EXPORT_ACTIONS = frozenset({AuditAction.EXPORT, AuditAction.PRINT})


def is_export(request: HttpRequest) -> bool:
    """The request downloads the page's table as CSV (`core.csvexport.wants_csv`)."""
    return request.method in ("GET", "HEAD") and request.GET.get("format") == "csv"


def view_transaction(request: HttpRequest) -> AbstractContextManager:
    """The transaction a guarded view runs in: a write (POST …) runs in one with its
    audit rows. A read needs none: the only row it writes is its audit row, in that
    row's own transaction once the page is made, and an error before that writes none,
    as before. On SQLite a transaction takes the database's one write lock at BEGIN
    (IMMEDIATE), so a transaction around every page made all pages of all workers wait
    for each other (the load test, 20 users: p95 1700 ms with it, 810 ms without, on
    the same busy machine)."""
    return nullcontext() if request.method in SAFE_METHODS else transaction.atomic()


def blocks_covering(actor: Actor) -> QuerySet[Block]:
    """Blocks in force against the user or one of the user's units."""
    if actor.staff is None:
        # A block names a staff member or a unit; an actor without either (the system,
        # a citizen) is covered by none. Callers refuse such an actor before asking.
        return Block.objects.none()
    return blocks_against(actor.staff)


def blocks_against(staff: Staff) -> QuerySet[Block]:
    """Blocks in force against a staff member or one of their units."""
    unit_ids = staff.units.values("pk")
    return Block.objects.filter(ended_at__isnull=True).filter(Q(staff=staff) | Q(unit__in=unit_ids))


def is_blocked_for(staff: Staff, person_id: int) -> bool:
    """Has the person blocked this staff member (or their unit)? Work is never given to
    someone the person has shut out."""
    return blocks_against(staff).filter(person_id=person_id).exists()


def _blocked(actor: Actor, person_id: int) -> bool:
    return blocks_covering(actor).filter(person_id=person_id).exists()


def decide(actor: Actor | None, person_id: int, *, intake: bool = False) -> AccessDecision:
    """May this actor see this person now, and on what ground.

    An intake relation (registering a message of need) counts only with `intake`: on
    the pages of the person's messages, never the rest of the record."""
    if actor is None or actor.staff is None:
        return REFUSED
    now = timezone.now()
    blocked = _blocked(actor, person_id)
    emergency = (
        EmergencyAccess.objects.filter(
            person_id=person_id, staff=actor.staff, started_at__lte=now, expires_at__gt=now
        )
        .order_by("-started_at")
        .values_list("reason", "overrides_block")
        .first()
    )
    early = combine(blocked=blocked, emergency=emergency, kind=None)
    if early.allowed or early.blocked:
        return early  # the care relations need not be asked
    relations = (
        CareRelation.objects.active(now, include_intake=intake)
        .for_staff(actor.staff)
        .filter(person_id=person_id)
    )
    if intake:
        # A full relation is the ground when there is one (intake kinds sort last).
        relations = relations.order_by(Case(When(kind__in=INTAKE_KINDS, then=1), default=0))
    return combine(
        blocked=False, emergency=None, kind=relations.values_list("kind", flat=True).first()
    )


def combine(
    *, blocked: bool, emergency: tuple[str, bool] | None, kind: str | None
) -> AccessDecision:
    """The rule, once for one person and for many (access.boards): emergency access in
    force wins unless a block it does not override covers the user; then a block
    refuses; then an active care relation (`kind`) is the ground.
    `emergency` is (reason, overrides_block) of the latest one in force."""
    if emergency is not None and (not blocked or emergency[1]):
        return AccessDecision(
            allowed=True,
            purpose=AuditPurpose.EMERGENCY,
            reason_code=emergency[0],
            self_granted=True,
            block_override=blocked,
            blocked=blocked,
        )
    if blocked:
        return AccessDecision(allowed=False, blocked=True)
    if kind is None:
        return REFUSED
    return AccessDecision(allowed=True, reason_code=kind)


def has_care_relation(actor: Actor, person_id: int, *, intake: bool = False) -> bool:
    return decide(actor, person_id, intake=intake).allowed


def _parse_id(raw: object) -> int | None:
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**62 else None


def require_person(
    actor: Actor | None,
    person_id: object,
    *,
    action: AuditAction = AuditAction.VIEW,
    administrative_permission: str | None = None,
    intake: bool = False,
) -> tuple[Person, AccessDecision]:
    """The person and the ground for access; otherwise audit the refusal and raise.

    `administrative_permission` lets holders of that permission reach an
    administrative page about the person (not the record) without a care relation.
    `intake` marks the pages of the person's messages of need, which an intake
    relation opens as well.
    """
    if actor is None:
        raise PersonAccessRefused()
    pk = _parse_id(person_id)
    person = Person.objects.filter(pk=pk).first() if pk else None
    decision = decide(actor, person.pk, intake=intake) if person else REFUSED
    if (
        person is not None
        and not decision.allowed
        and not decision.blocked
        and administrative_permission
        and actor.has_perm(administrative_permission)
    ):
        decision = AccessDecision(
            allowed=True, purpose=AuditPurpose.ADMINISTRATION, reason_code="administrasjon"
        )
    if person is not None and decision.allowed:
        return person, decision
    audit_refusal(actor, person, action=action)
    raise PersonAccessRefused()


def audit_refusal(actor: Actor, person: Person | None, *, action: str) -> None:
    """The row a refusal leaves: who asked, for which person (if one was found), to do what.

    Written in the caller's transaction: a caller that refuses inside a transaction
    must let that transaction commit (answer instead of raising), or the row is lost.
    """
    record_event(
        actor=actor,
        action=action,
        object_type="person",
        object_id=person.pk if person else "",
        person=person,
        outcome=AuditOutcome.REFUSED,
        purpose=AuditPurpose.CARE,
    )


def mark_view(view: Callable[..., Any], **marks: object) -> None:
    """Note on a view what the checks over every URL read (`person_guarded`, `audited`,
    `person_guard_exempt`, ...): plain function attributes, which `functools.wraps`
    carries up to the decorators above."""
    vars(view).update(marks)


def person_view(
    *,
    action: AuditAction = AuditAction.VIEW,
    object_type: str = "person",
    administrative_permission: str | None = None,
    intake: bool = False,
) -> Callable[[View], View]:
    """Decorate a view taking `person_id`: it receives the Person instead.

    `intake`: a page of the person's messages of need, open to an intake relation too.

    A write runs in one transaction with its audit rows (see `view_transaction`). A
    view that writes calls a service, which audits the write; if nothing was audited
    (a read, or a form shown again with errors), one read event is written — exactly
    one per response. Every event about the person carries the ground of access (care,
    emergency, override).
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: StaffRequest, person_id: object, *args: Any, **kwargs: Any) -> Any:
            actor: Actor | None = getattr(request, "actor", None)
            if actor is None:
                raise PersonAccessRefused()
            person, decision = require_person(
                actor,
                person_id,
                action=action,
                administrative_permission=administrative_permission,
                intake=intake,
            )
            request.access = decision
            ground = decision.ground(person.pk)
            read_action = (
                AuditAction.EXPORT
                if is_export(request) or action in EXPORT_ACTIONS
                else AuditAction.VIEW
            )
            counter = None
            try:
                with (
                    view_transaction(request),
                    access_ground(ground),
                    counting_events() as counter,
                ):
                    response = view(request, person, *args, **kwargs)
                    if counter.count == 0 and response.status_code != 405:
                        # Nothing was written (a page, or a form shown again with its
                        # errors): what happened was a read, or a download of the data.
                        # A method the view does not take (405) showed nothing.
                        record_event(
                            actor=actor,
                            action=read_action,
                            object_type=object_type,
                            object_id=person.pk,
                            person=person,
                        )
            except Exception as exc:
                # The answer is an error: still one row (after a write's rollback), as
                # the API writes one. A missing or another person's object (404) or a
                # refusal is a refused look; anything else (a PDF that cannot be made)
                # was allowed but failed.
                refused = isinstance(exc, (Http404, PermissionDenied))
                kept = request.method in SAFE_METHODS and counter is not None and counter.count
                if kept:  # a read that already left its row (a refusal it wrote itself)
                    raise
                with access_ground(ground):
                    record_event(
                        actor=actor,
                        action=read_action,
                        object_type=object_type,
                        object_id=person.pk,
                        person=person,
                        outcome=AuditOutcome.REFUSED if refused else AuditOutcome.FAILED,
                    )
                raise
            return response

        mark_view(
            wrapper,
            person_guarded=True,
            audited=True,
            administrative_permission=administrative_permission,
            intake=intake,
        )
        return wrapper

    return decorate


def audited_view(*, object_type: str, purpose: str = AuditPurpose.CARE) -> Callable[[View], View]:
    """For pages that show data about several persons (lists, reviews): one event per
    response, in the view's transaction, unless the view's services wrote their own."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: StaffRequest, *args: Any, **kwargs: Any) -> Any:
            with view_transaction(request), counting_events() as counter:
                response = view(request, *args, **kwargs)
                if counter.count == 0 and response.status_code < 400:
                    object_id = next(iter(kwargs.values()), "") if kwargs else ""
                    record_event(
                        actor=request.actor,
                        action=AuditAction.EXPORT if is_export(request) else AuditAction.VIEW,
                        object_type=object_type,
                        object_id=object_id,
                        purpose=purpose,
                    )
            return response

        mark_view(wrapper, audited=True)
        return wrapper

    return decorate
