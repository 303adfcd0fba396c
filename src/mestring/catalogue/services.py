"""Writes for the service catalogue, assignment (tildeling) and the waiting list.

Each write is one transaction with its audit row. Capacity is counted on a day:
assignments in force that day (places), or the hours per week of their decisions.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose, CareRelation, CareRelationKind
from mestring.access.permissions import ADMIN_UNITS, PERSON_REGISTER
from mestring.access.services import care_relation_end, care_relation_grant
from mestring.casework.models import (
    CASE_TRANSITIONS,
    CaseStatus,
    Decision,
    DecisionOutcome,
    DecisionState,
)
from mestring.casework.services import case_transition
from mestring.catalogue.models import (
    Assignment,
    CapacityKind,
    RemovalReason,
    Service,
    ServiceProvider,
    WaitingListEntry,
    WaitingPriority,
)
from mestring.catalogue.selectors import waiting_ahead
from mestring.catalogue.signals import assignment_ended, assignment_made
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.people.models import Unit
from mestring.tenancy.models import MunicipalityOwned


class CatalogueError(RuleBroken):
    """A request the catalogue rules do not allow; the message is for the user."""

    code = "catalogue_rule"


class QueueSkipError(CatalogueError):
    """Others wait before this decision for the same service: a reason is needed."""

    code = "catalogue_queue_skip"


# The audit row of an assignment made ahead of those waiting carries this reason code
# (the reason itself is on the assignment).
SKIP_REASON_CODE = "foran_ventelisten"
SKIP_REASON_MAX = 300


SERVICE_FIELDS = (
    "code",
    "name",
    "description",
    "how_to_apply",
    "pyramid_level",
    "national_code",
    "capacity_kind",
    "nationally_reported",
    "is_active",
)


def _require(actor: Actor, permission: str) -> None:
    if not actor.has_perm(permission):
        raise CatalogueError(_("Du har ikke rettighet til dette."))


def _check_own(actor: Actor, *objects: MunicipalityOwned | None) -> None:
    for obj in objects:
        if obj is not None and obj.municipality_id != actor.municipality.pk:
            raise CatalogueError(_("Velg blant kommunens egne tjenester og enheter."))


# --- The catalogue (administrator)


def service_save(*, actor: Actor, service: Service | None, data: dict[str, Any]) -> Service:
    """Create or edit a service of the municipality's catalogue."""
    _require(actor, ADMIN_UNITS)
    _check_own(actor, service)
    target = service or Service()
    for name in SERVICE_FIELDS:
        if name in data:
            value = data[name]
            setattr(target, name, value.strip() if isinstance(value, str) else value)
    if not target.code or not target.name:
        raise CatalogueError(_("Tjenesten må ha kode og navn."))
    if target.capacity_kind not in CapacityKind.values:
        raise CatalogueError(_("Velg hvordan kapasiteten måles."))
    if Service.objects.filter(code=target.code).exclude(pk=target.pk).exists():
        raise CatalogueError(_("Det finnes allerede en tjeneste med denne koden."))
    with transaction.atomic():
        created = target.pk is None
        target.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="service",
            object_id=target.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return target


def _check_capacity_value(capacity: Decimal | None) -> None:
    if capacity is not None and capacity < 0:
        raise CatalogueError(_("Kapasiteten kan ikke være negativ."))


def provider_save(
    *, actor: Actor, service: Service, unit: Unit, capacity: Decimal | None
) -> ServiceProvider:
    """Add a unit as provider of the service, or change its capacity (empty = no limit)."""
    _require(actor, ADMIN_UNITS)
    _check_own(actor, service, unit)
    _check_capacity_value(capacity)
    with transaction.atomic():
        provider, created = ServiceProvider.objects.get_or_create(
            service=service, unit=unit, defaults={"capacity": capacity}
        )
        if not created:
            provider.capacity = capacity
            provider.save(update_fields=["capacity"])
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="service_provider",
            object_id=provider.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return provider


def provider_remove(*, actor: Actor, provider: ServiceProvider) -> ServiceProvider:
    """A unit stops providing a service; not while it has assignments in force or waiting."""
    _require(actor, ADMIN_UNITS)
    _check_own(actor, provider)
    today = timezone.localdate()
    in_force = (
        _in_force(
            Assignment.objects.filter(decision__service=provider.service_id, unit=provider.unit_id),
            today,
        ).exists()
        or Assignment.objects.filter(
            decision__service=provider.service_id, unit=provider.unit_id, starts_on__gt=today
        ).exists()
    )
    waiting = WaitingListEntry.objects.filter(
        service=provider.service_id, unit=provider.unit_id, removed_on__isnull=True
    ).exists()
    if in_force or waiting:
        raise CatalogueError(
            _("Enheten har tildelinger eller venteliste for tjenesten og kan ikke fjernes.")
        )
    with transaction.atomic():
        pk = provider.pk
        provider.delete()
        record_event(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="service_provider",
            object_id=pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return provider


# --- Capacity


def _in_force(assignments: Any, day: datetime.date) -> Any:
    return assignments.filter(starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def in_use(*, service: Service, unit: Unit, day: datetime.date) -> Decimal:
    """Places taken (assignments in force) or hours per week assigned, on that day."""
    assignments = _in_force(Assignment.objects.filter(decision__service=service, unit=unit), day)
    if service.capacity_kind == CapacityKind.HOURS:
        hours = assignments.values_list("decision__hours_per_week", flat=True)
        return sum((h or Decimal(0) for h in hours), Decimal(0))
    return Decimal(assignments.count())


def _demand(decision: Decision) -> Decimal:
    """What one more assignment of this decision takes of the unit's capacity."""
    if decision.decided_service.capacity_kind == CapacityKind.HOURS:
        if decision.hours_per_week is None:
            raise CatalogueError(
                _("Vedtaket mangler timer per uke, så kapasiteten kan ikke beregnes.")
            )
        return decision.hours_per_week
    return Decimal(1)


def has_room(*, decision: Decision, provider: ServiceProvider, day: datetime.date) -> bool:
    service = decision.decided_service
    if service.capacity_kind == CapacityKind.NONE or provider.capacity is None:
        return True
    used = in_use(service=service, unit=provider.unit, day=day)
    return used + _demand(decision) <= provider.capacity


# --- Assignment and waiting list


def _check_decision(decision: Decision, day: datetime.date) -> None:
    if decision.service_id is None:
        raise CatalogueError(_("Bare vedtak om en tjeneste kan tildeles."))
    if decision.outcome not in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY):
        raise CatalogueError(_("Bare innvilgede eller delvis innvilgede vedtak kan tildeles."))
    if decision.status != DecisionState.IN_FORCE:
        raise CatalogueError(_("Vedtaket gjelder ikke lenger og kan ikke tildeles."))
    if decision.valid_to is not None and day > decision.valid_to:
        raise CatalogueError(_("Startdatoen er etter at vedtaket slutter å gjelde."))


def _provider(decision: Decision, unit: Unit | None) -> ServiceProvider:
    if unit is None:
        raise CatalogueError(_("Velg en enhet som utfører tjenesten."))
    provider = (
        ServiceProvider.objects.select_related("unit")
        .filter(service=decision.service_id, unit=unit)
        .first()
    )
    if provider is None:
        raise CatalogueError(
            _("%(unit)s utfører ikke %(service)s.") % {"unit": unit, "service": decision.service}
        )
    return provider


def _move_case(actor: Actor, decision: Decision, to_status: str) -> None:
    """Move the case when its status allows it; an assigned case stays assigned."""
    case = decision.case
    if case.status != to_status and to_status in CASE_TRANSITIONS.get(case.status, set()):
        case_transition(actor=actor, case=case, to_status=to_status)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _grant_provider(actor: Actor, assignment: Assignment) -> None:
    """The assigned unit's staff need to see the person for as long as they provide."""
    ends = assignment.ends_on
    care_relation_grant(
        actor=actor,
        person=assignment.decision.case.person,
        kind=CareRelationKind.PROVIDER,
        reason=_("Tildelt tjeneste: %(service)s") % {"service": assignment.decision.service},
        unit=assignment.unit,
        valid_from=_day_start(assignment.starts_on),
        valid_to=_day_start(ends + datetime.timedelta(days=1)) if ends else None,
    )


def _end_provider(actor: Actor, assignment: Assignment, ends: datetime.date) -> None:
    """The unit's provider access follows the assignment's end (`ends`): ended now, or
    replaced by one that ends with the assignment. Not while another assignment of the
    same person to the unit is in force (the relation is per person and unit)."""
    person = assignment.decision.case.person
    others = (
        Assignment.objects.filter(decision__case__person=person, unit=assignment.unit_id)
        .exclude(pk=assignment.pk)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=min(ends, timezone.localdate())))
    )
    if others.exists():
        return
    relations = CareRelation.objects.active().filter(
        person=person, unit=assignment.unit_id, kind=CareRelationKind.PROVIDER
    )
    for relation in relations:
        care_relation_end(actor=actor, relation=relation)
    if ends >= timezone.localdate():
        care_relation_grant(
            actor=actor,
            person=person,
            kind=CareRelationKind.PROVIDER,
            reason=_("Tildelt tjeneste: %(service)s") % {"service": assignment.decision.service},
            unit=assignment.unit,
            valid_to=_day_start(ends + datetime.timedelta(days=1)),
        )


def _queue_reason(decision: Decision, unit: Unit, skip_reason: str) -> str:
    """The reason to record for assigning `decision` to `unit` now: empty when no one
    waits before it; refused without a reason when someone does. Those before it wait
    for the same service at the unit (or at no unit in particular) and stand earlier in
    the list's order; a decision not on the list stands behind everyone."""
    skip_reason = (skip_reason or "").strip()
    if len(skip_reason) > SKIP_REASON_MAX:
        raise CatalogueError(
            _("Begrunnelsen kan ha høyst %(max)s tegn.") % {"max": SKIP_REASON_MAX}
        )
    ahead = waiting_ahead(decision, unit).count()
    if not ahead:
        return ""
    if not skip_reason:
        raise QueueSkipError(
            ngettext(
                "%(count)s person venter før dette vedtaket på ventelisten for %(service)s"
                " ved %(unit)s. Skriv hvorfor vedtaket tildeles foran.",
                "%(count)s personer venter før dette vedtaket på ventelisten for %(service)s"
                " ved %(unit)s. Skriv hvorfor vedtaket tildeles foran dem.",
                ahead,
            )
            % {"count": ahead, "service": decision.service, "unit": unit}
        )
    return skip_reason


def _assign(
    actor: Actor,
    decision: Decision,
    unit: Unit,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    skip_reason: str = "",
) -> Assignment:
    assignment = Assignment.objects.create(
        decision=decision,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        skip_reason=skip_reason,
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="assignment",
        object_id=assignment.pk,
        person=decision.case.person,
        reason_code=SKIP_REASON_CODE if skip_reason else "",
    )
    _grant_provider(actor, assignment)
    _move_case(actor, decision, CaseStatus.ASSIGNED)
    assignment_made.send(sender=Assignment, actor=actor, assignment=assignment)
    return assignment


def _open_entry(decision: Decision) -> WaitingListEntry | None:
    return WaitingListEntry.objects.filter(decision=decision, removed_on__isnull=True).first()


def decision_assign(
    *,
    actor: Actor,
    decision: Decision,
    unit: Unit,
    starts_on: datetime.date,
    priority: int = WaitingPriority.NORMAL,
    ends_on: datetime.date | None = None,
    skip_reason: str = "",
) -> Assignment | WaitingListEntry:
    """Give a granted decision to a provider unit; when the unit is full, put the person
    on its waiting list instead (with priority, added today). Assigning ahead of others
    waiting for the service needs `skip_reason`, recorded on the assignment."""
    _require(actor, PERSON_REGISTER)
    _check_own(actor, decision, unit)
    _check_decision(decision, starts_on)
    if ends_on is not None and ends_on < starts_on:
        raise CatalogueError(_("Sluttdatoen kan ikke være før startdatoen."))
    if priority not in WaitingPriority.values:
        raise CatalogueError(_("Velg en prioritet."))
    provider = _provider(decision, unit)
    if _in_force(decision.assignments.all(), starts_on).exists():
        raise CatalogueError(_("Vedtaket er allerede tildelt en enhet fra denne datoen."))
    entry = _open_entry(decision)
    room = has_room(decision=decision, provider=provider, day=starts_on)
    if entry is not None and not room:
        raise CatalogueError(
            _("Personen står allerede på venteliste for dette vedtaket (fra %(day)s).")
            % {"day": entry.added_on.strftime("%d.%m.%Y")}
        )
    with transaction.atomic():
        if room:
            reason = _queue_reason(decision, provider.unit, skip_reason)
            if entry is not None:
                # A place came free for someone already waiting: the entry ends here.
                _close_entry(actor, entry, RemovalReason.ASSIGNED, "", timezone.localdate())
            return _assign(actor, decision, unit, starts_on, ends_on, reason)
        entry = WaitingListEntry.objects.create(
            decision=decision,
            service=decision.decided_service,
            unit=unit,
            priority=priority,
            added_on=timezone.localdate(),
        )
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="waiting_list_entry",
            object_id=entry.pk,
            person=decision.case.person,
        )
        _move_case(actor, decision, CaseStatus.WAITING)
    return entry


def _close_entry(
    actor: Actor, entry: WaitingListEntry, reason: str, note: str, removed_on: datetime.date
) -> None:
    entry.removed_on = removed_on
    entry.removal_reason = reason
    entry.removal_note = note
    entry.save(update_fields=["removed_on", "removal_reason", "removal_note"])
    record_event(
        actor=actor,
        action=AuditAction.REMOVE,
        object_type="waiting_list_entry",
        object_id=entry.pk,
        person=entry.decision.case.person,
        reason_code=reason,
    )


def waiting_remove(
    *,
    actor: Actor,
    entry: WaitingListEntry,
    reason: str,
    note: str,
    removed_on: datetime.date,
    unit: Unit | None = None,
    skip_reason: str = "",
) -> WaitingListEntry:
    """Take someone off the waiting list, recording why. «Har fått tjenesten» assigns the
    decision to the unit (the entry's own unless another is given) from that day; ahead
    of others waiting before the entry only with `skip_reason`."""
    _require(actor, PERSON_REGISTER)
    _check_own(actor, entry, unit)
    note = (note or "").strip()
    if entry.removed_on is not None:
        raise CatalogueError(_("Personen er allerede tatt av ventelisten."))
    if reason not in RemovalReason.values:
        raise CatalogueError(_("Velg hvorfor personen tas av ventelisten."))
    if reason == RemovalReason.OTHER and not note:
        raise CatalogueError(_("Skriv en merknad når grunnen er «Annet»."))
    if removed_on < entry.added_on:
        raise CatalogueError(_("Datoen kan ikke være før personen ble satt på ventelisten."))
    if removed_on > timezone.localdate():
        raise CatalogueError(_("Datoen kan ikke være fram i tid."))
    decision = entry.decision
    with transaction.atomic():
        if reason == RemovalReason.ASSIGNED:
            unit = unit or entry.unit
            _check_decision(decision, removed_on)
            provider = _provider(decision, unit)
            if not has_room(decision=decision, provider=provider, day=removed_on):
                raise CatalogueError(
                    _("%(unit)s har ikke ledig kapasitet %(day)s.")
                    % {"unit": unit, "day": removed_on.strftime("%d.%m.%Y")}
                )
            queue_reason = _queue_reason(decision, provider.unit, skip_reason)
            _close_entry(actor, entry, reason, note, removed_on)
            _assign(actor, decision, provider.unit, removed_on, None, queue_reason)
        else:
            _close_entry(actor, entry, reason, note, removed_on)
    return entry


def waiting_assign(
    *, actor: Actor, entry: WaitingListEntry, unit: Unit | None = None, skip_reason: str = ""
) -> Assignment:
    """«Tildel» from the waiting list: the decision gets the entry's unit (or `unit` when
    the entry names none) from today, when the unit has room."""
    waiting_remove(
        actor=actor,
        entry=entry,
        reason=RemovalReason.ASSIGNED,
        note="",
        removed_on=timezone.localdate(),
        unit=entry.unit or unit,
        skip_reason=skip_reason,
    )
    return Assignment.objects.filter(decision=entry.decision_id).latest("created_at", "pk")


def assignment_end(*, actor: Actor, assignment: Assignment, ends_on: datetime.date) -> Assignment:
    """The assignment ends on that day (inclusive); the place is free from the day after,
    and the unit's access to the person ends with it."""
    _require(actor, PERSON_REGISTER)
    _check_own(actor, assignment)
    if ends_on < assignment.starts_on:
        raise CatalogueError(_("Sluttdatoen kan ikke være før tildelingen startet."))
    if assignment.ends_on is not None and assignment.ends_on < timezone.localdate():
        raise CatalogueError(_("Tildelingen er allerede avsluttet."))
    with transaction.atomic():
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on"])
        record_event(
            actor=actor,
            action=AuditAction.END,
            object_type="assignment",
            object_id=assignment.pk,
            person=assignment.decision.case.person,
        )
        _end_provider(actor, assignment, ends_on)
        assignment_ended.send(sender=Assignment, actor=actor, assignment=assignment, on=ends_on)
    return assignment


# --- A stopped or changed decision (casework says so inside its own transaction).


def decision_provision_end(actor: Actor, decision: Decision, on: datetime.date, note: str) -> None:
    """The service stops: open assignments end, with the unit's access to the person and
    the work they started in the provider's app, and a waiting-list entry is removed."""
    ending = Assignment.objects.filter(decision=decision).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=on)
    )
    for assignment in ending.select_related("decision__case__person", "unit"):
        assignment.ends_on = on
        assignment.save(update_fields=["ends_on"])
        _end_provider(actor, assignment, on)
        assignment_ended.send(sender=Assignment, actor=actor, assignment=assignment, on=on)
    WaitingListEntry.objects.filter(decision=decision, removed_on__isnull=True).update(
        removed_on=on, removal_reason=RemovalReason.OTHER, removal_note=note[:300]
    )


def decision_provision_move(actor: Actor, old: Decision, new: Decision, on: datetime.date) -> None:
    """A changed decision keeps the person's place: open assignments and the waiting-list
    entry follow the new decision; a change to a refusal ends them."""
    if not new.is_positive:
        decision_provision_end(actor, old, on, _("Vedtaket er endret til avslag"))
        return
    Assignment.objects.filter(decision=old).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    ).update(decision=new)
    WaitingListEntry.objects.filter(decision=old, removed_on__isnull=True).update(decision=new)


def on_decision_ended(
    sender: type[Decision],
    *,
    actor: Actor,
    decision: Decision,
    on: datetime.date,
    note: str,
    **kwargs: Any,
) -> None:
    decision_provision_end(actor, decision, on, note)


def on_decision_replaced(
    sender: type[Decision],
    *,
    actor: Actor,
    old: Decision,
    new: Decision,
    on: datetime.date,
    **kwargs: Any,
) -> None:
    decision_provision_move(actor, old, new, on)
