"""Writes about beds, stays, rehabilitation plans and purchase agreements.

Each is one transaction with its audit row. Admitting a person gives the unit a care
relation (tjenesteyter) to the person for the stay; discharge ends it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose, CareRelationKind
from mestring.access.services import care_relation_end, care_relation_grant
from mestring.casework.models import Decision
from mestring.catalogue.models import Assignment
from mestring.institutions import selectors
from mestring.institutions.models import (
    BedCapacity,
    DischargeDestination,
    PlannedStay,
    PlannedStayStatus,
    PurchaseAgreement,
    RehabilitationPlan,
    Stay,
    StayType,
)
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict, RuleBroken
from mestring.kernel.states import record_initial_status, transition
from mestring.people.models import Person, Staff, Unit

MAX_BEDS = 1000


class InstitutionError(RuleBroken):
    """A request the rules for stays and beds do not allow; the message is for the user."""

    code = "institution_rule"


class StayConflict(Conflict, InstitutionError):
    """The beds, the person's stays or the stay itself do not allow this now (no free
    bed, an overlapping stay, a stay already ended, not a rehabilitation stay)."""

    code = "stay_state"


def _day(value: datetime.date) -> str:
    return date_format(value, "d.m.Y")


def bed_capacity_set(
    *, actor: Actor, unit: Unit, beds: int, valid_from: datetime.date
) -> BedCapacity:
    """Record the number of beds of a unit from a day; a second change the same day
    replaces the first."""
    if beds < 0 or beds > MAX_BEDS:
        raise InstitutionError(_("Antall senger må være fra 0 til %(max)s.") % {"max": MAX_BEDS})
    with transaction.atomic():
        capacity, created = BedCapacity.objects.get_or_create(
            unit=unit, valid_from=valid_from, defaults={"beds": beds}
        )
        if not created:
            capacity.beds = beds
            capacity.save(update_fields=["beds"])
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="bed_capacity",
            object_id=capacity.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return capacity


def _check_free_bed(unit: Unit, admitted_on: datetime.date, over_capacity: bool) -> None:
    """Every night from admission to today (at least the night of admission) must have
    a free bed, unless the admission is knowingly over capacity."""
    capacities = selectors.capacities_of(unit)
    if selectors.beds_on(capacities, admitted_on) is None:
        raise InstitutionError(
            _("%(unit)s har ikke registrert sengetall for %(day)s.")
            % {"unit": unit.name, "day": _day(admitted_on)}
        )
    if over_capacity:
        return
    end = max(admitted_on, timezone.localdate()) + selectors.ONE_DAY
    occupied = selectors.occupied_nights(
        selectors.stays_in_period(unit, admitted_on, end), admitted_on, end
    )
    day = admitted_on
    while day < end:
        beds = selectors.beds_on(capacities, day) or 0
        if occupied.get(day, 0) >= beds:
            raise StayConflict(
                _(
                    "%(unit)s har ingen ledig seng natt til %(next)s (%(used)s av %(beds)s "
                    "senger i bruk %(day)s). Kryss av for overbelegg hvis personen likevel "
                    "skal legges inn."
                )
                % {
                    "unit": unit.name,
                    "next": _day(day + selectors.ONE_DAY),
                    "used": occupied.get(day, 0),
                    "beds": beds,
                    "day": _day(day),
                }
            )
        day += selectors.ONE_DAY


def _check_no_overlap(
    person: Person,
    admitted_on: datetime.date,
    discharged_on: datetime.date | None,
    exclude: int | None = None,
) -> None:
    others = Stay.objects.filter(person=person)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others.select_related("unit"):
        if selectors.overlaps(other.admitted_on, other.discharged_on, admitted_on, discharged_on):
            raise StayConflict(
                _("Personen har allerede et opphold på %(unit)s fra %(day)s.")
                % {"unit": other.unit.name, "day": _day(other.admitted_on)}
            )


def _agreement_for(
    unit: Unit, admitted_on: datetime.date, agreement: PurchaseAgreement | None
) -> PurchaseAgreement | None:
    if agreement is not None:
        if agreement.centre_id != unit.pk:
            raise InstitutionError(
                _("Avtalen «%(name)s» gjelder %(centre)s, ikke %(unit)s.")
                % {"name": agreement.name, "centre": agreement.centre.name, "unit": unit.name}
            )
        return agreement
    return PurchaseAgreement.objects.filter(centre=unit, year=admitted_on.year).first()


def stay_admit(
    *,
    actor: Actor,
    person: Person,
    unit: Unit,
    stay_type: str,
    admitted_on: datetime.date,
    decision: Decision | None = None,
    agreement: PurchaseAgreement | None = None,
    note: str = "",
    over_capacity: bool = False,
) -> Stay:
    """Admit a person to a unit. Refused when the unit has no free bed (unless
    `over_capacity` is ticked, which is recorded) or the person is already in a stay."""
    if stay_type not in StayType.values:
        raise InstitutionError(_("Velg en type opphold."))
    if admitted_on > timezone.localdate():
        raise InstitutionError(_("Innleggelsesdatoen kan ikke være fram i tid."))
    if decision is not None and decision.case.person_id != person.pk:
        raise InstitutionError(_("Vedtaket gjelder en annen person."))
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        _check_no_overlap(person, admitted_on, None)
        _check_free_bed(unit, admitted_on, over_capacity)
        stay = Stay.objects.create(
            person=person,
            unit=unit,
            stay_type=stay_type,
            admitted_on=admitted_on,
            decision=decision,
            agreement=_agreement_for(unit, admitted_on, agreement),
            note=note.strip(),
            over_capacity=over_capacity,
            admitted_by=actor.staff,
        )
        stay.care_relation = care_relation_grant(
            actor=actor,
            person=person,
            kind=CareRelationKind.PROVIDER,
            reason=_("Opphold på %(unit)s") % {"unit": unit.name},
            unit=unit,
        )
        stay.save(update_fields=["care_relation"])
        record_event(
            actor=actor,
            action=AuditAction.ADMIT_OVER_CAPACITY if over_capacity else AuditAction.ADMIT,
            object_type="stay",
            object_id=stay.pk,
            person=person,
        )
    return stay


def stay_discharge(
    *, actor: Actor, stay: Stay, discharged_on: datetime.date, discharged_to: str
) -> Stay:
    if stay.discharged_on is not None:
        raise StayConflict(_("Oppholdet er allerede avsluttet."))
    if discharged_to not in DischargeDestination.values:
        raise InstitutionError(_("Velg hvor personen ble utskrevet til."))
    if discharged_on < stay.admitted_on:
        raise InstitutionError(
            _("Utskrivningsdatoen kan ikke være før innleggelsen %(day)s.")
            % {"day": _day(stay.admitted_on)}
        )
    if discharged_on > timezone.localdate():
        raise InstitutionError(_("Utskrivningsdatoen kan ikke være fram i tid."))
    with transaction.atomic():
        stay.discharged_on = discharged_on
        stay.discharged_to = discharged_to
        stay.save(update_fields=["discharged_on", "discharged_to"])
        if stay.care_relation is not None:
            care_relation_end(actor=actor, relation=stay.care_relation)
        record_event(
            actor=actor,
            action=AuditAction.DISCHARGE,
            object_type="stay",
            object_id=stay.pk,
            person=stay.person,
        )
    return stay


# --- Planned stays (an assigned decision waiting for its bed) --------------------------


def stay_plan(
    *,
    actor: Actor,
    person: Person,
    unit: Unit,
    stay_type: str,
    expected_on: datetime.date,
    decision: Decision,
    assignment: Assignment | None = None,
) -> PlannedStay:
    """Put a planned arrival on the unit's bed board. It takes no bed until it is
    admitted (`planned_stay_admit`)."""
    if stay_type not in StayType.values:
        raise InstitutionError(_("Velg en type opphold."))
    if decision.case.person_id != person.pk:
        raise InstitutionError(_("Vedtaket gjelder en annen person."))
    if not BedCapacity.objects.filter(unit=unit).exists():
        raise InstitutionError(_("%(unit)s har ikke registrert sengetall.") % {"unit": unit.name})
    with transaction.atomic():
        planned = PlannedStay.objects.create(
            person=person,
            unit=unit,
            stay_type=stay_type,
            expected_on=expected_on,
            decision=decision,
            assignment=assignment,
        )
        record_initial_status(planned, actor=actor)
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="planned_stay",
            object_id=planned.pk,
            person=person,
        )
    return planned


def planned_stay_admit(
    *,
    actor: Actor,
    planned: PlannedStay,
    admitted_on: datetime.date,
    note: str = "",
    over_capacity: bool = False,
) -> Stay:
    """Admit the person of a planned stay: the ordinary admission (`stay_admit`, with
    its bed check and care relation), linked to the decision, and the plan is done."""
    if planned.status != PlannedStayStatus.PLANNED:
        raise StayConflict(_("Den planlagte innleggelsen er ikke lenger planlagt."))
    # A changed decision moves its assignment to the new one: the stay follows it.
    assignment = planned.assignment
    decision = assignment.decision if assignment is not None else planned.decision
    with transaction.atomic():
        stay = stay_admit(
            actor=actor,
            person=planned.person,
            unit=planned.unit,
            stay_type=planned.stay_type,
            admitted_on=admitted_on,
            decision=decision,
            note=note,
            over_capacity=over_capacity,
        )
        transition(planned, PlannedStayStatus.ADMITTED, actor=actor, changes={"stay": stay})
        record_event(
            actor=actor,
            action=AuditAction.ADMIT,
            object_type="planned_stay",
            object_id=planned.pk,
            person=planned.person,
        )
    return stay


def planned_stay_cancel(
    *, actor: Actor, planned: PlannedStay, on: datetime.date, reason: str
) -> PlannedStay:
    """The planned arrival will not happen (the assignment or the decision ended)."""
    with transaction.atomic():
        transition(
            planned,
            PlannedStayStatus.CANCELLED,
            actor=actor,
            reason=reason[:500],
            changes={"cancelled_on": on},
        )
        record_event(
            actor=actor,
            action=AuditAction.END,
            object_type="planned_stay",
            object_id=planned.pk,
            person=planned.person,
        )
    return planned


def stay_mark_decision_ended(*, actor: Actor, stay: Stay, on: datetime.date) -> Stay:
    """Note on an admitted stay that its decision ended; the stay goes on until the
    ward discharges the person (see `provision.stays_end_with_assignment`)."""
    with transaction.atomic():
        stay.decision_ended_on = on
        stay.save(update_fields=["decision_ended_on"])
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="stay",
            object_id=stay.pk,
            person=stay.person,
        )
    return stay


def rehab_plan_save(
    *,
    actor: Actor,
    stay: Stay,
    goals: str,
    daily_training: str,
    physio_minutes_per_day: int | None,
    responsible: Staff | None,
) -> RehabilitationPlan:
    """Create or change the rehabilitation plan of a rehabilitation stay."""
    if stay.stay_type != StayType.REHABILITATION:
        raise StayConflict(_("Bare rehabiliteringsopphold har rehabiliteringsplan."))
    if not goals.strip():
        raise InstitutionError(_("Skriv minst ett mål, med personens egne ord."))
    if physio_minutes_per_day is not None and not 0 <= physio_minutes_per_day <= 600:
        raise InstitutionError(_("Minutter fysioterapi per dag må være fra 0 til 600."))
    with transaction.atomic():
        plan = RehabilitationPlan.objects.filter(stay=stay).first()
        created = plan is None
        plan = plan or RehabilitationPlan(stay=stay)
        plan.goals = "\n".join(line.strip() for line in goals.strip().splitlines())
        plan.daily_training = daily_training.strip()
        plan.physio_minutes_per_day = physio_minutes_per_day
        plan.responsible = responsible
        plan.updated_at = timezone.now()
        plan.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="rehabilitation_plan",
            object_id=plan.pk,
            person=stay.person,
        )
    return plan


def agreement_save(
    *,
    actor: Actor,
    agreement: PurchaseAgreement | None,
    name: str,
    centre: Unit,
    year: int,
    bed_days: int,
    price_per_day: Decimal,
    note: str = "",
) -> PurchaseAgreement:
    name = name.strip()
    if not name:
        raise InstitutionError(_("Avtalen må ha et navn."))
    if not 2000 <= year <= 2100:
        raise InstitutionError(_("Velg et år fra 2000 til 2100."))
    if bed_days <= 0:
        raise InstitutionError(_("Antall kjøpte døgn må være minst 1."))
    if price_per_day < 0:
        raise InstitutionError(_("Prisen per døgn kan ikke være negativ."))
    clash = PurchaseAgreement.objects.filter(name=name, year=year)
    if agreement is not None:
        clash = clash.exclude(pk=agreement.pk)
    if clash.exists():
        raise StayConflict(
            _("Det finnes allerede en avtale «%(name)s» for %(year)s.")
            % {"name": name, "year": year}
        )
    with transaction.atomic():
        created = agreement is None
        agreement = agreement or PurchaseAgreement()
        agreement.name = name
        agreement.centre = centre
        agreement.year = year
        agreement.bed_days = bed_days
        agreement.price_per_day = price_per_day
        agreement.note = note.strip()
        agreement.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="purchase_agreement",
            object_id=agreement.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return agreement
