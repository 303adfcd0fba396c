"""Cases and decisions. Each write is one transaction with its audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose, CareRelationKind
from mestring.access.services import care_relation_grant, care_relations_end_for
from mestring.casework.models import (
    CASE_TRANSITIONS,
    OPEN_CASE_STATUSES,
    Case,
    CaseKind,
    CaseStatus,
    CaseStatusChange,
    Decision,
    DecisionOutcome,
    DecisionSubject,
    LegalBasis,
)
from mestring.core.transitions import check_transition
from mestring.people.models import Person, Staff, Unit
from mestring.referrals.models import Referral


class CaseworkError(ValueError):
    """A request the casework rules do not allow; the message is for the user."""


def _grant_caseworker(actor: Actor, case: Case, caseworker: Staff) -> None:
    """The caseworker of an open case sees the person for as long as the case is open."""
    care_relation_grant(
        actor=actor,
        person=case.person,
        kind=CareRelationKind.CASEWORKER,
        reason=_("Saksbehandler på åpen sak"),
        staff=caseworker,
    )


def _end_caseworker(actor: Actor, case: Case, caseworker: Staff) -> None:
    """End the caseworker's relation, unless another unclosed case of the same person
    still has them as caseworker (the relation is per person, not per case)."""
    still_needed = (
        Case.objects.filter(person=case.person, caseworker=caseworker)
        .exclude(pk=case.pk)
        .exclude(status=CaseStatus.CLOSED)
        .exists()
    )
    if not still_needed:
        care_relations_end_for(
            actor=actor, person=case.person, staff=caseworker, kind=CareRelationKind.CASEWORKER
        )


def _check_own(actor: Actor, *objects: object) -> None:
    """Rows passed in from outside must belong to the actor's municipality."""
    for obj in objects:
        if obj is not None and obj.municipality_id != actor.municipality.pk:
            raise CaseworkError(_("Velg blant kommunens egne enheter og ansatte."))


def _check_day(day: datetime.date, *, not_before: datetime.date, before_message: str) -> None:
    if day > timezone.localdate():
        raise CaseworkError(_("Datoen kan ikke være fram i tid."))
    if day < not_before:
        raise CaseworkError(before_message)


def case_open(
    *,
    actor: Actor,
    person: Person,
    received_on: datetime.date,
    kind: str = CaseKind.PLAN_AND_COORDINATOR,
    referral: Referral | None = None,
    requests_individual_plan: bool = False,
    requests_coordinator: bool = False,
    responsible_unit: Unit | None = None,
    caseworker: Staff | None = None,
) -> Case:
    with transaction.atomic():
        case = Case.objects.create(
            person=person,
            kind=kind,
            referral=referral,
            received_on=received_on,
            requests_individual_plan=requests_individual_plan,
            requests_coordinator=requests_coordinator,
            responsible_unit=responsible_unit,
            caseworker=caseworker,
        )
        CaseStatusChange.objects.create(
            case=case, from_status="", to_status=CaseStatus.RECEIVED, changed_by=actor.user
        )
        if caseworker is not None:
            _grant_caseworker(actor, case, caseworker)
        record_event(
            actor=actor, action="create", object_type="case", object_id=case.pk, person=person
        )
    return case


def case_apply(
    *,
    actor: Actor,
    person: Person,
    received_on: datetime.date,
    requests_individual_plan: bool,
    requests_coordinator: bool,
    responsible_unit: Unit | None = None,
    caseworker: Staff | None = None,
) -> Case:
    """An application registered directly (not from a message of need)."""
    if not (requests_individual_plan or requests_coordinator):
        raise CaseworkError(_("Søknaden må gjelde individuell plan, koordinator eller begge."))
    if received_on > timezone.localdate():
        raise CaseworkError(_("Mottatt-datoen kan ikke være fram i tid."))
    _check_own(actor, person, responsible_unit, caseworker)
    return case_open(
        actor=actor,
        person=person,
        received_on=received_on,
        requests_individual_plan=requests_individual_plan,
        requests_coordinator=requests_coordinator,
        responsible_unit=responsible_unit,
        caseworker=caseworker,
    )


def case_transition(*, actor: Actor, case: Case, to_status: str, reason: str = "") -> Case:
    """Move a case along its transition table; closing ends the caseworker's access."""
    check_transition(CASE_TRANSITIONS, case.status, to_status, dict(CaseStatus.choices))
    with transaction.atomic():
        CaseStatusChange.objects.create(
            case=case,
            from_status=case.status,
            to_status=to_status,
            reason=reason,
            changed_by=actor.user,
        )
        case.status = to_status
        if to_status == CaseStatus.CLOSED:
            case.closed_on = timezone.localdate()
            if case.caseworker is not None:
                _end_caseworker(actor, case, case.caseworker)
        case.save(update_fields=["status", "closed_on"])
        record_event(
            actor=actor,
            action=f"status_{to_status}",
            object_type="case",
            object_id=case.pk,
            person=case.person,
        )
    return case


def case_close(*, actor: Actor, case: Case, reason: str = "") -> Case:
    """Close a case. Without a decision (say, the application was withdrawn), say why."""
    if not reason.strip() and not case.decisions.exists():
        raise CaseworkError(_("Skriv hvorfor saken avsluttes uten vedtak."))
    return case_transition(
        actor=actor, case=case, to_status=CaseStatus.CLOSED, reason=reason.strip()
    )


def case_assign(*, actor: Actor, case: Case, caseworker: Staff) -> Case:
    """Give the case another caseworker; access moves with the case."""
    if case.status == CaseStatus.CLOSED:
        raise CaseworkError(_("Saken er avsluttet og kan ikke få ny saksbehandler."))
    _check_own(actor, caseworker)
    if not caseworker.is_active:
        raise CaseworkError(_("Den ansatte er ikke aktiv."))
    if case.caseworker_id == caseworker.pk:
        raise CaseworkError(_("%(name)s er allerede saksbehandler.") % {"name": caseworker})
    with transaction.atomic():
        previous = case.caseworker
        case.caseworker = caseworker
        case.save(update_fields=["caseworker"])
        if previous is not None:
            _end_caseworker(actor, case, previous)
        _grant_caseworker(actor, case, caseworker)
        record_event(
            actor=actor, action="assign", object_type="case", object_id=case.pk, person=case.person
        )
    return case


def case_record_provisional_reply(
    *,
    actor: Actor,
    case: Case,
    sent_on: datetime.date,
    expected_by: datetime.date | None = None,
) -> Case:
    """Forvaltningsloven § 11 a: a case that takes more than a month gets a provisional
    reply saying why, and if possible when an answer can be expected."""
    if case.status not in OPEN_CASE_STATUSES:
        raise CaseworkError(_("Foreløpig svar kan bare registreres i saker som ikke er avgjort."))
    if case.provisional_reply_sent_on is not None:
        raise CaseworkError(
            _("Foreløpig svar er allerede registrert sendt %(day)s.")
            % {"day": case.provisional_reply_sent_on.strftime("%d.%m.%Y")}
        )
    _check_day(
        sent_on,
        not_before=case.received_on,
        before_message=_("Foreløpig svar kan ikke være sendt før saken ble mottatt."),
    )
    if expected_by is not None and expected_by <= sent_on:
        raise CaseworkError(_("Datoen for når svar kan ventes må være etter at svaret ble sendt."))
    with transaction.atomic():
        case.provisional_reply_sent_on = sent_on
        case.provisional_reply_expected_by = expected_by
        case.save(update_fields=["provisional_reply_sent_on", "provisional_reply_expected_by"])
        record_event(
            actor=actor,
            action="provisional_reply",
            object_type="case",
            object_id=case.pk,
            person=case.person,
        )
    return case


def _check_decision(
    actor: Actor,
    case: Case,
    subject: str,
    outcome: str,
    reasons: str,
    legal_basis: LegalBasis,
    decided_on: datetime.date,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
) -> None:
    if actor.staff is None:
        raise CaseworkError(_("Bare ansatte kan fatte vedtak."))
    if case.status == CaseStatus.CLOSED:
        raise CaseworkError(_("Saken er avsluttet. En ny søknad må behandles i en ny sak."))
    if subject not in DecisionSubject.values or outcome not in DecisionOutcome.values:
        raise CaseworkError(_("Ukjent vedtakstype eller resultat."))
    label = DecisionSubject(subject).label.lower()
    if subject not in case.requested_subjects():
        raise CaseworkError(_("Saken gjelder ikke søknad om %(what)s.") % {"what": label})
    if case.decisions.filter(subject=subject).exists():
        raise CaseworkError(
            _(
                "Det er allerede fattet vedtak om %(what)s i denne saken. "
                "En endring behandles i en ny sak."
            )
            % {"what": label}
        )
    if not reasons.strip():
        raise CaseworkError(_("Vedtaket må ha en begrunnelse."))
    if legal_basis.municipality_id != actor.municipality.pk or not legal_basis.is_active:
        raise CaseworkError(_("Velg en hjemmel som er i bruk i kommunen."))
    _check_day(
        decided_on,
        not_before=case.received_on,
        before_message=_("Vedtaksdatoen kan ikke være før saken ble mottatt."),
    )
    if valid_from and valid_to and valid_to < valid_from:
        raise CaseworkError(_("Sluttdatoen kan ikke være før startdatoen."))


def decision_make(
    *,
    actor: Actor,
    case: Case,
    subject: str,
    outcome: str,
    reasons: str,
    legal_basis: LegalBasis,
    decided_on: datetime.date,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Decision:
    """Enkeltvedtak on one requested subject. When every requested subject is decided,
    the case moves to «vedtak fattet»; a later change is a new case."""
    _check_decision(
        actor, case, subject, outcome, reasons, legal_basis, decided_on, valid_from, valid_to
    )
    with transaction.atomic():
        decision = Decision.objects.create(
            case=case,
            subject=subject,
            outcome=outcome,
            reasons=reasons.strip(),
            legal_basis=legal_basis,
            legal_basis_title=legal_basis.title,
            legal_basis_text=legal_basis.text,
            decided_on=decided_on,
            valid_from=valid_from,
            valid_to=valid_to,
            decided_by=actor.staff,
        )
        record_event(
            actor=actor,
            action="create",
            object_type="decision",
            object_id=decision.pk,
            person=case.person,
        )
        decided = set(case.decisions.values_list("subject", flat=True))
        if decided >= set(case.requested_subjects()):
            case.decided_on = decided_on
            case.save(update_fields=["decided_on"])
            case_transition(actor=actor, case=case, to_status=CaseStatus.DECIDED)
    return decision


def decision_mark_letter_sent(
    *, actor: Actor, decision: Decision, sent_on: datetime.date
) -> Decision:
    """The appeal deadline runs from the day the letter is sent."""
    if decision.letter_sent_on is not None:
        raise CaseworkError(
            _("Brevet er allerede registrert sendt %(day)s.")
            % {"day": decision.letter_sent_on.strftime("%d.%m.%Y")}
        )
    _check_day(
        sent_on,
        not_before=decision.decided_on,
        before_message=_("Brevet kan ikke være sendt før vedtaket ble fattet."),
    )
    with transaction.atomic():
        decision.letter_sent_on = sent_on
        decision.save(update_fields=["letter_sent_on"])
        record_event(
            actor=actor,
            action="letter_sent",
            object_type="decision",
            object_id=decision.pk,
            person=decision.case.person,
        )
    return decision


LEGAL_BASIS_FIELDS = ("code", "title", "text", "is_active")


def legal_basis_save(
    *, actor: Actor, legal_basis: LegalBasis | None, data: dict[str, Any]
) -> LegalBasis:
    """Create or edit one of the municipality's legal texts. Decisions already made keep
    the text they cited."""
    values = {name: data[name] for name in LEGAL_BASIS_FIELDS if name in data}
    for name in ("code", "title", "text"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    target = legal_basis or LegalBasis()
    for name, value in values.items():
        setattr(target, name, value)
    if not target.code or not target.title or not target.text:
        raise CaseworkError(_("Hjemmelen må ha kode, tittel og tekst."))
    clash = LegalBasis.objects.filter(code=target.code).exclude(pk=target.pk)
    if clash.exists():
        raise CaseworkError(_("Det finnes allerede en hjemmel med denne koden."))
    with transaction.atomic():
        created = target.pk is None
        target.save()
        record_event(
            actor=actor,
            action="create" if created else "update",
            object_type="legal_basis",
            object_id=target.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return target
