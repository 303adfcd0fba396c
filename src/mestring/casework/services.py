"""Cases and decisions. Each write is one transaction with its audit row."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.guard import is_blocked_for
from mestring.access.models import AuditPurpose, CareRelationKind
from mestring.access.services import care_relation_grant, care_relations_end_for
from mestring.assessments.selectors import latest_complete_assessment
from mestring.casework.models import (
    APPEAL_TRANSITIONS,
    Appeal,
    AppealStatus,
    Applicant,
    ApplicationLine,
    Case,
    CaseKind,
    CaseStatus,
    Decision,
    DecisionOutcome,
    DecisionState,
    DecisionSubject,
    LegalBasis,
)
from mestring.casework.signals import decision_ended, decision_replaced
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict, NotAllowed, RuleBroken
from mestring.kernel.states import record_initial_status, transition
from mestring.people.models import Person, Staff, Unit
from mestring.tenancy.models import MunicipalityOwned

if TYPE_CHECKING:
    from mestring.catalogue.models import Service
    from mestring.referrals.models import Referral


class CaseworkError(RuleBroken):
    """A request the casework rules do not allow; the message is for the user."""

    code = "casework_rule"


class CaseStateConflict(Conflict, CaseworkError):
    """The case, decision or appeal is in a state that does not allow this now (closed,
    already decided, already registered)."""

    code = "casework_state"


class CaseworkNotAllowed(NotAllowed, CaseworkError):
    """Only a member of staff may do this."""

    code = "casework_not_allowed"


class AssessmentRequired(CaseworkError):
    """A nationally reported service is decided only after a complete assessment; the
    page offers a link to register one."""

    code = "assessment_required"


# --- One submission, one effect (M2). A check made before the write may be stale when
# two requests on the same case arrive together: each write that depends on the state of
# a case, decision or appeal takes that row's lock first and reads it anew, so the
# requests take turns and the second sees what the first did. A form's submission token
# gives the second request the first one's object instead of a refusal.

M = TypeVar("M", bound=models.Model)


def _lock(obj: M) -> M:
    """Hold the row until the transaction ends, and read its state anew (SQLite takes
    its write lock when the transaction begins, so the lock is PostgreSQL's)."""
    obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())
    return obj


def _lock_person(person: Person) -> None:
    """Applications for one person take turns, so a repeated form finds its case."""
    list(Person.all_objects.select_for_update().filter(pk=person.pk).values_list("pk"))


def _already_made(model: type[M], token: uuid.UUID | None, **belongs: object) -> M | None:
    """What an earlier submission of the same form made, or None. Called under the lock
    that makes such submissions take turns."""
    if token is None:
        return None
    found = model._base_manager.filter(submission_token=token).first()
    if found is None:
        return None
    if any(getattr(found, name) != value for name, value in belongs.items()):
        raise CaseStateConflict(
            _("Skjemaet er allerede brukt til noe annet. Last siden på nytt og prøv igjen.")
        )
    return found


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


def _acting_staff(actor: Actor, refusal: str) -> Staff:
    """The staff member behind the actor: decisions and appeals name who made them."""
    if actor.staff is None:
        raise CaseworkNotAllowed(refusal)
    return actor.staff


def _check_own(actor: Actor, *objects: MunicipalityOwned | None) -> None:
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
    applicant: str = Applicant.PERSON,
    referral: Referral | None = None,
    requests_individual_plan: bool = False,
    requests_coordinator: bool = False,
    responsible_unit: Unit | None = None,
    caseworker: Staff | None = None,
    submission_token: uuid.UUID | None = None,
) -> Case:
    with transaction.atomic():
        if submission_token is not None:
            _lock_person(person)
            existing = _already_made(Case, submission_token, person_id=person.pk, kind=kind)
            if existing is not None:
                return existing
        case = Case.objects.create(
            person=person,
            kind=kind,
            applicant=applicant,
            referral=referral,
            received_on=received_on,
            requests_individual_plan=requests_individual_plan,
            requests_coordinator=requests_coordinator,
            responsible_unit=responsible_unit,
            caseworker=caseworker,
            submission_token=submission_token,
        )
        record_initial_status(case, actor=actor)
        if caseworker is not None:
            _grant_caseworker(actor, case, caseworker)
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="case",
            object_id=case.pk,
            person=person,
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
    submission_token: uuid.UUID | None = None,
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
        submission_token=submission_token,
    )


def case_transition(*, actor: Actor, case: Case, to_status: str, reason: str = "") -> Case:
    """Move a case along its transition table; closing ends the caseworker's access."""
    with transaction.atomic():
        changes = {"closed_on": timezone.localdate()} if to_status == CaseStatus.CLOSED else {}
        transition(case, to_status, actor=actor, reason=reason, changes=changes)
        if to_status == CaseStatus.CLOSED:
            # Read under the lock transition() holds: a caseworker given meanwhile counts.
            case.refresh_from_db(fields=["caseworker"])
            if case.caseworker is not None:
                _end_caseworker(actor, case, case.caseworker)
        record_event(
            actor=actor,
            action=AuditAction.for_status(to_status),
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


def _check_caseworker(actor: Actor, case: Case, caseworker: Staff) -> None:
    _check_own(actor, caseworker)
    if not caseworker.is_active:
        raise CaseworkError(_("Den ansatte er ikke aktiv."))
    if is_blocked_for(caseworker, case.person_id):
        raise CaseworkError(
            _("Personen har sperret for at %(name)s ser opplysningene. Velg en annen.")
            % {"name": caseworker}
        )


def case_take(*, actor: Actor, case: Case, caseworker: Staff | None = None) -> Case:
    """Take a case nobody has yet from the intake queue ("Ta saken"), or give it to a
    colleague ("Fordel til"). The caseworker gets the person's record for as long as the
    case is open. If someone took it a moment before, the second is refused."""
    caseworker = caseworker or actor.staff
    if caseworker is None:
        raise CaseworkNotAllowed(_("Bare ansatte kan ta saker."))
    with transaction.atomic():
        case = _lock(case)
        if case.caseworker_id is not None:
            raise CaseStateConflict(
                _("Saken er allerede fordelt til %(name)s.") % {"name": case.caseworker}
            )
        return case_assign(actor=actor, case=case, caseworker=caseworker)


def case_assign(*, actor: Actor, case: Case, caseworker: Staff) -> Case:
    """Give the case another caseworker; access moves with the case."""
    if case.is_closed:
        raise CaseStateConflict(_("Saken er avsluttet og kan ikke få ny saksbehandler."))
    _check_caseworker(actor, case, caseworker)
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
            actor=actor,
            action=AuditAction.ASSIGN,
            object_type="case",
            object_id=case.pk,
            person=case.person,
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
    with transaction.atomic():
        _lock(case)
        _check_provisional_reply(case, sent_on, expected_by)
        case.provisional_reply_sent_on = sent_on
        case.provisional_reply_expected_by = expected_by
        case.save(update_fields=["provisional_reply_sent_on", "provisional_reply_expected_by"])
        record_event(
            actor=actor,
            action=AuditAction.PROVISIONAL_REPLY,
            object_type="case",
            object_id=case.pk,
            person=case.person,
        )
    return case


def _check_provisional_reply(
    case: Case, sent_on: datetime.date, expected_by: datetime.date | None
) -> None:
    if not case.is_open:
        raise CaseStateConflict(
            _("Foreløpig svar kan bare registreres i saker som ikke er avgjort.")
        )
    if case.provisional_reply_sent_on is not None:
        raise CaseStateConflict(
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
        raise CaseworkNotAllowed(_("Bare ansatte kan fatte vedtak."))
    if case.is_closed:
        raise CaseStateConflict(_("Saken er avsluttet. En ny søknad må behandles i en ny sak."))
    if case.kind != CaseKind.PLAN_AND_COORDINATOR:
        # A service case decides each service on its own (service_decision_make).
        raise CaseStateConflict(
            _("Saken gjelder helse- og omsorgstjenester. Fatt vedtak for hver tjeneste.")
        )
    if subject not in DecisionSubject.values or outcome not in DecisionOutcome.values:
        raise CaseworkError(_("Ukjent vedtakstype eller resultat."))
    label = DecisionSubject(subject).label.lower()
    if subject not in case.requested_subjects():
        raise CaseworkError(
            _("Saken gjelder ikke søknad om %(what)s.") % {"what": label}, field="subject"
        )
    if case.decisions.filter(subject=subject).exists():
        raise CaseStateConflict(
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


def _create_decision(
    actor: Actor, case: Case, *, reasons: str, legal_basis: LegalBasis, **fields: Any
) -> Decision:
    """The decision row with the legal text cited as it reads today, and its audit row."""
    decision = Decision.objects.create(
        case=case,
        reasons=reasons.strip(),
        legal_basis=legal_basis,
        legal_basis_title=legal_basis.title,
        legal_basis_text=legal_basis.text,
        decided_by=_acting_staff(actor, _("Bare ansatte kan fatte vedtak.")),
        **fields,
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="decision",
        object_id=decision.pk,
        person=case.person,
    )
    return decision


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
    submission_token: uuid.UUID | None = None,
) -> Decision:
    """Enkeltvedtak on one requested subject. When every requested subject is decided,
    the case moves to «vedtak fattet»; a later change is a new case."""
    with transaction.atomic():
        _lock(case)
        existing = _already_made(Decision, submission_token, case_id=case.pk, subject=subject)
        if existing is not None:
            return existing
        _check_decision(
            actor, case, subject, outcome, reasons, legal_basis, decided_on, valid_from, valid_to
        )
        decision = _create_decision(
            actor,
            case,
            subject=subject,
            outcome=outcome,
            reasons=reasons,
            legal_basis=legal_basis,
            decided_on=decided_on,
            valid_from=valid_from,
            valid_to=valid_to,
            submission_token=submission_token,
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
        raise CaseStateConflict(
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
            action=AuditAction.LETTER_SENT,
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
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="legal_basis",
            object_id=target.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return target


# --- The allocation office: applications for services, decisions, changes and appeals.

# Stays are decided in days (døgn); services measured in hours are decided in hours/week.
STAY_SERVICE_CODES = frozenset(
    {"korttidsopphold", "rehabiliteringsopphold", "rulleringsopphold", "avlastning"}
)
MAX_HOURS_PER_WEEK = Decimal(168)
# What a change of a decision may set anew; the rest is carried over from the old one.
CHANGEABLE_FIELDS = frozenset(
    {"outcome", "reasons", "legal_basis", "valid_from", "valid_to", "hours_per_week", "days"}
)


def service_application_register(
    *,
    actor: Actor,
    person: Person,
    applicant: str,
    received_on: datetime.date,
    services: list[Service],
    responsible_unit: Unit | None = None,
    caseworker: Staff | None = None,
    submission_token: uuid.UUID | None = None,
) -> Case:
    """An application for one or more services, from the person, a relative or a
    provider. The caseworker sees the person while the case is open (via case_open)."""
    if applicant not in Applicant.values:
        raise CaseworkError(_("Velg hvem som søker."))
    unique = list({service.pk: service for service in services}.values())
    if not unique:
        raise CaseworkError(_("Søknaden må gjelde minst én tjeneste."))
    if received_on > timezone.localdate():
        raise CaseworkError(_("Mottatt-datoen kan ikke være fram i tid."))
    _check_own(actor, person, responsible_unit, caseworker, *unique)
    inactive = [s.name for s in unique if not s.is_active]
    if inactive:
        raise CaseworkError(
            _("Tjenesten er ikke i bruk lenger: %(names)s.") % {"names": ", ".join(inactive)}
        )
    with transaction.atomic():
        if submission_token is not None:
            _lock_person(person)
            existing = _already_made(
                Case, submission_token, person_id=person.pk, kind=CaseKind.SERVICE
            )
            if existing is not None:
                return existing
        case = case_open(
            actor=actor,
            person=person,
            received_on=received_on,
            kind=CaseKind.SERVICE,
            applicant=applicant,
            responsible_unit=responsible_unit,
            caseworker=caseworker,
            submission_token=submission_token,
        )
        for service in unique:
            ApplicationLine.objects.create(case=case, service=service)
    return case


def case_start_assessment(*, actor: Actor, case: Case) -> Case:
    """The assessment of the person has started: mottatt → kartlegging."""
    if case.kind != CaseKind.SERVICE:
        raise CaseworkError(_("Kartlegging startes bare i saker om helse- og omsorgstjenester."))
    return case_transition(
        actor=actor, case=case, to_status=CaseStatus.ASSESSING, reason=_("Kartlegging startet")
    )


def _check_scope(
    service: Service, outcome: str, hours_per_week: Decimal | None, days: int | None
) -> None:
    """Granted or partly granted says how much; a refusal grants nothing."""
    if outcome == DecisionOutcome.REFUSED:
        if hours_per_week is not None or days is not None:
            raise CaseworkError(_("Et avslag skal ikke ha timer eller døgn. Fjern omfanget."))
        return
    if hours_per_week is not None and not (0 < hours_per_week <= MAX_HOURS_PER_WEEK):
        raise CaseworkError(_("Timer per uke må være mellom 0 og 168."))
    if days is not None and days < 1:
        raise CaseworkError(_("Antall døgn må være minst 1."))
    if service.counts_hours and hours_per_week is None:
        raise CaseworkError(
            _("Skriv hvor mange timer per uke %(service)s innvilges.") % {"service": service}
        )
    if service.code in STAY_SERVICE_CODES and days is None:
        raise CaseworkError(
            _("Skriv hvor mange døgn %(service)s innvilges.") % {"service": service}
        )
    if hours_per_week is None and days is None:
        raise CaseworkError(
            _("Skriv omfanget av det som innvilges: timer per uke eller antall døgn.")
        )


def _check_assessment(person: Person, service: Service, on: datetime.date) -> None:
    """Nationally reported services need a complete assessment on or before the decision."""
    if service.nationally_reported and latest_complete_assessment(person, on=on) is None:
        raise AssessmentRequired(
            _(
                "%(service)s rapporteres nasjonalt og krever en fullført kartlegging av "
                "personen, gjort senest på vedtaksdatoen. Registrer kartleggingen før "
                "vedtaket fattes."
            )
            % {"service": service}
        )


def _check_service_decision(
    actor: Actor,
    case: Case,
    *,
    outcome: str,
    reasons: str,
    legal_basis: LegalBasis,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
) -> None:
    if actor.staff is None:
        raise CaseworkNotAllowed(_("Bare ansatte kan fatte vedtak."))
    if outcome not in DecisionOutcome.values:
        raise CaseworkError(_("Ukjent vedtakstype eller resultat."))
    if not reasons.strip():
        raise CaseworkError(_("Vedtaket må ha en begrunnelse."))
    if legal_basis.municipality_id != actor.municipality.pk or not legal_basis.is_active:
        raise CaseworkError(_("Velg en hjemmel som er i bruk i kommunen."))
    if valid_from and valid_to and valid_to < valid_from:
        raise CaseworkError(_("Sluttdatoen kan ikke være før startdatoen."))
    if outcome != DecisionOutcome.REFUSED and valid_from is None:
        raise CaseworkError(_("Skriv fra hvilken dato tjenesten gjelder."))


def service_decision_make(
    *,
    actor: Actor,
    case: Case,
    service: Service,
    outcome: str,
    reasons: str,
    legal_basis: LegalBasis,
    decided_on: datetime.date,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    hours_per_week: Decimal | None = None,
    days: int | None = None,
    submission_token: uuid.UUID | None = None,
) -> Decision:
    """Enkeltvedtak on one service applied for. When every service of the application
    is decided, the case moves to «vedtak fattet»."""
    with transaction.atomic():
        _lock(case)
        existing = _already_made(
            Decision, submission_token, case_id=case.pk, service_id=service.pk, replaces_id=None
        )
        if existing is not None:
            return existing
        _check_new_service_decision(
            actor,
            case,
            service,
            outcome=outcome,
            reasons=reasons,
            legal_basis=legal_basis,
            decided_on=decided_on,
            valid_from=valid_from,
            valid_to=valid_to,
            hours_per_week=hours_per_week,
            days=days,
        )
        decision = _create_decision(
            actor,
            case,
            subject=DecisionSubject.SERVICE,
            service=service,
            outcome=outcome,
            hours_per_week=hours_per_week,
            days=days,
            reasons=reasons,
            legal_basis=legal_basis,
            decided_on=decided_on,
            valid_from=valid_from,
            valid_to=valid_to,
            submission_token=submission_token,
        )
        undecided = case.lines.exclude(service__in=case.decisions.values("service")).exists()
        if not undecided:
            case.decided_on = decided_on
            case.save(update_fields=["decided_on"])
            case_transition(actor=actor, case=case, to_status=CaseStatus.DECIDED)
    return decision


def _check_new_service_decision(
    actor: Actor,
    case: Case,
    service: Service,
    *,
    outcome: str,
    reasons: str,
    legal_basis: LegalBasis,
    decided_on: datetime.date,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    hours_per_week: Decimal | None,
    days: int | None,
) -> None:
    if case.kind != CaseKind.SERVICE:
        raise CaseStateConflict(_("Saken er ikke en søknad om helse- og omsorgstjenester."))
    if case.is_closed:
        raise CaseStateConflict(_("Saken er avsluttet. En ny søknad må behandles i en ny sak."))
    if not case.lines.filter(service=service).exists():
        raise CaseworkError(
            _("Saken gjelder ikke søknad om %(service)s.") % {"service": service},
            field="service_id",
        )
    if case.decisions.filter(service=service).exists():
        raise CaseStateConflict(
            _(
                "Det er allerede fattet vedtak om %(service)s i denne saken. "
                "Endre eller stans det vedtaket i stedet."
            )
            % {"service": service}
        )
    _check_service_decision(
        actor,
        case,
        outcome=outcome,
        reasons=reasons,
        legal_basis=legal_basis,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    _check_day(
        decided_on,
        not_before=case.received_on,
        before_message=_("Vedtaksdatoen kan ikke være før saken ble mottatt."),
    )
    _check_scope(service, outcome, hours_per_week, days)
    _check_assessment(case.person, service, decided_on)


def _check_in_force(decision: Decision, changed_on: datetime.date, reason: str) -> None:
    if decision.subject != DecisionSubject.SERVICE:
        raise CaseStateConflict(
            _("Bare vedtak om helse- og omsorgstjenester kan endres eller stanses her.")
        )
    if decision.status != DecisionState.IN_FORCE:
        raise CaseStateConflict(
            _("Vedtaket er %(state)s og kan ikke endres eller stanses.")
            % {"state": decision.get_status_display().lower()}
        )
    if not reason.strip():
        raise CaseworkError(_("Skriv hvorfor vedtaket endres eller stanses."))
    if changed_on < decision.decided_on:
        raise CaseworkError(_("Datoen kan ikke være før vedtaket ble fattet."))


def _record_change(
    actor: Actor,
    decision: Decision,
    to_status: str,
    on: datetime.date,
    reason: str,
    changes: dict[str, Any] | None = None,
) -> None:
    transition(
        decision,
        to_status,
        actor=actor,
        reason=reason.strip(),
        changes=changes,
        history={"changed_on": on},
    )


def decision_change(
    *,
    actor: Actor,
    decision: Decision,
    changed_on: datetime.date,
    reason: str,
    submission_token: uuid.UUID | None = None,
    **new_values: Any,
) -> Decision:
    """A later change of a decision in force: a new decision replaces the old one, which
    is kept as history (status «endret»)."""
    unknown = set(new_values) - CHANGEABLE_FIELDS
    if unknown:
        raise CaseworkError(
            _("Ukjent felt i endringen: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        _lock(decision)
        existing = _already_made(Decision, submission_token, replaces_id=decision.pk)
        if existing is not None:
            return existing
        return _change(actor, decision, changed_on, reason, submission_token, new_values)


def _change(
    actor: Actor,
    decision: Decision,
    changed_on: datetime.date,
    reason: str,
    submission_token: uuid.UUID | None,
    new_values: dict[str, Any],
) -> Decision:
    _check_in_force(decision, changed_on, reason)
    if changed_on > timezone.localdate():
        raise CaseworkError(_("Datoen kan ikke være fram i tid."))
    values = {name: getattr(decision, name) for name in CHANGEABLE_FIELDS} | new_values
    if isinstance(values["reasons"], str):
        values["reasons"] = values["reasons"].strip()
    case, service = decision.case, decision.decided_service
    _check_service_decision(
        actor,
        case,
        outcome=values["outcome"],
        reasons=values["reasons"],
        legal_basis=values["legal_basis"],
        valid_from=values["valid_from"],
        valid_to=values["valid_to"],
    )
    _check_scope(service, values["outcome"], values["hours_per_week"], values["days"])
    _check_assessment(case.person, service, changed_on)
    legal_basis = values["legal_basis"]
    with transaction.atomic():
        new = Decision.objects.create(
            case=case,
            subject=DecisionSubject.SERVICE,
            service=service,
            replaces=decision,
            decided_on=changed_on,
            decided_by=_acting_staff(actor, _("Bare ansatte kan fatte vedtak.")),
            legal_basis_title=legal_basis.title,
            legal_basis_text=legal_basis.text,
            submission_token=submission_token,
            **values,
        )
        _record_change(actor, decision, DecisionState.CHANGED, changed_on, reason)
        decision_replaced.send(sender=Decision, actor=actor, old=decision, new=new, on=changed_on)
        record_event(
            actor=actor,
            action=AuditAction.CHANGE,
            object_type="decision",
            object_id=new.pk,
            person=case.person,
        )
    return new


def decision_stop(
    *, actor: Actor, decision: Decision, stopped_on: datetime.date, reason: str
) -> Decision:
    """Stop (stans) a decision in force from a day, which may lie ahead; the service's
    assignments end that day."""
    with transaction.atomic():
        _lock(decision)
        _check_in_force(decision, stopped_on, reason)
        # The history row is dated the day the stop was decided; stopped_on says from when.
        _record_change(
            actor,
            decision,
            DecisionState.STOPPED,
            timezone.localdate(),
            reason,
            changes={"stopped_on": stopped_on},
        )
        decision_ended.send(
            sender=Decision,
            actor=actor,
            decision=decision,
            on=stopped_on,
            note=_("Vedtaket er stanset"),
        )
        record_event(
            actor=actor,
            action=AuditAction.STOP,
            object_type="decision",
            object_id=decision.pk,
            person=decision.case.person,
        )
    return decision


def appeal_register(
    *,
    actor: Actor,
    decision: Decision,
    received_on: datetime.date,
    grounds: str,
    submission_token: uuid.UUID | None = None,
) -> Appeal:
    """Klage on a decision. A late appeal is registered too: the municipality may still
    consider it (forvaltningsloven § 31)."""
    with transaction.atomic():
        _lock(decision)
        existing = _already_made(Appeal, submission_token, decision_id=decision.pk)
        if existing is not None:
            return existing
        _check_appeal(actor, decision, received_on, grounds)
        appeal = Appeal.objects.create(
            decision=decision,
            received_on=received_on,
            grounds=grounds.strip(),
            registered_by=_acting_staff(actor, _("Bare ansatte kan registrere klager.")),
            submission_token=submission_token,
        )
        record_initial_status(appeal, actor=actor)
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="appeal",
            object_id=appeal.pk,
            person=decision.case.person,
        )
    return appeal


def _check_appeal(
    actor: Actor, decision: Decision, received_on: datetime.date, grounds: str
) -> None:
    if actor.staff is None:
        raise CaseworkNotAllowed(_("Bare ansatte kan registrere klager."))
    if decision.subject != DecisionSubject.SERVICE:
        raise CaseStateConflict(
            _("Klager registreres her bare på vedtak om helse- og omsorgstjenester.")
        )
    if not grounds.strip():
        raise CaseworkError(_("Skriv hva klagen gjelder."))
    _check_day(
        received_on,
        not_before=decision.decided_on,
        before_message=_("Klagen kan ikke være mottatt før vedtaket ble fattet."),
    )
    open_statuses = set(APPEAL_TRANSITIONS)
    if decision.appeals.filter(status__in=open_statuses).exists():
        raise CaseStateConflict(_("Det er allerede en åpen klage på dette vedtaket."))


# Outcomes that change the decision must say how.
APPEAL_NOTE_REQUIRED = frozenset({AppealStatus.REVERSED, AppealStatus.OVERTURNED})


def appeal_transition(
    *, actor: Actor, appeal: Appeal, to_status: str, on: datetime.date, note: str = ""
) -> Appeal:
    """Move an appeal on: sent to the State Administrator, or decided (reversed by the
    municipality, upheld, overturned) or withdrawn."""
    with transaction.atomic():
        # The day is checked against the dates as they are under the lock.
        _lock(appeal)
        _check_appeal_transition(appeal, to_status, on, note)
        if to_status == AppealStatus.SENT:
            changes: dict[str, Any] = {"sent_on": on}
        else:
            changes = {"outcome_on": on, "outcome_note": note.strip()}
        transition(appeal, to_status, actor=actor, reason=note.strip()[:500], changes=changes)
        record_event(
            actor=actor,
            action=AuditAction.for_status(to_status),
            object_type="appeal",
            object_id=appeal.pk,
            person=appeal.decision.case.person,
        )
    return appeal


def _check_appeal_transition(appeal: Appeal, to_status: str, on: datetime.date, note: str) -> None:
    if not appeal.can_become(to_status):
        return  # transition() refuses it, naming both statuses
    _check_day(
        on,
        not_before=appeal.sent_on or appeal.received_on,
        before_message=_("Datoen kan ikke være før klagen ble mottatt eller sendt videre."),
    )
    if to_status in APPEAL_NOTE_REQUIRED and not note.strip():
        raise CaseworkError(_("Skriv hva utfallet av klagen ble."))
