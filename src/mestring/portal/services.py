"""Writes from the citizen's pages, and the staff's answers to them.

Citizen writes take `actor=request.citizen_actor` (no user account; the label is the
citizen's name and the roles say whether a relative acts on the person's behalf), and
write one audit row each, which the guard gives the purpose "citizen" and the reason
`pa_vegne_av:<basis>`. The plan itself is never changed by a citizen: a proposed goal
becomes a goal only when the coordinator accepts it, through the plans service.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access import services as access_services
from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import Consent, ConsentGiver, ConsentKind
from mestring.casework import services as casework_services
from mestring.casework.models import Applicant, Case, CaseKind
from mestring.catalogue.models import Service
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.people.models import ActingBasis, Person, Relative, acting_in_force_q
from mestring.plans import services as plan_services
from mestring.plans.models import Goal, GoalStatus, IndividualPlan, Measure
from mestring.plans.selectors import active_plan
from mestring.portal import notify
from mestring.portal.models import (
    BlockRequest,
    CitizenComment,
    CommentKind,
    Conversation,
    Message,
    ProposalOutcome,
    SenderKind,
)
from mestring.portal.representation import Representation
from mestring.register import services as people_services

MAX_TEXT = 3000
MAX_MESSAGE = 5000


class PortalError(RuleBroken):
    """A rule on the citizen's pages; the message is for the user."""

    code = "portal_rule"


def _text(text: str, *, limit: int, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise PortalError(empty)
    if len(text) > limit:
        raise PortalError(_("Teksten er for lang (høyst %(limit)s tegn).") % {"limit": limit})
    return text


class Author(TypedDict):
    """Who wrote what a citizen's page sends: the name, and on whose behalf."""

    written_by_name: str
    on_behalf_basis: str
    relative: Relative | None


def _author(rep: Representation, actor: Actor) -> Author:
    return {
        "written_by_name": actor.label[:150] or rep.person.full_name,
        "on_behalf_basis": rep.basis if rep.on_behalf else "",
        "relative": rep.relative if rep.on_behalf else None,
    }


def _event(actor: Actor, action: str, object_type: str, pk: object, person: Person) -> None:
    record_event(actor=actor, action=action, object_type=object_type, object_id=pk, person=person)


# --- The plan: what matters, comments, proposals


def what_matters_write(*, actor: Actor, rep: Representation, text: str) -> CitizenComment:
    """The person's own words about what matters to them, kept beside the plan (the
    coordinator may copy them into the plan's field)."""
    text = _text(text, limit=MAX_TEXT, empty=_("Skriv hva som er viktig for deg."))
    person = rep.person
    with transaction.atomic():
        comment = CitizenComment.objects.create(
            person=person,
            plan=active_plan(person),
            kind=CommentKind.WHAT_MATTERS,
            text=text,
            **_author(rep, actor),
        )
        _event(actor, AuditAction.CREATE, "citizen_comment", comment.pk, person)
    return comment


def comment_add(
    *,
    actor: Actor,
    rep: Representation,
    text: str,
    goal: Goal | None = None,
    measure: Measure | None = None,
) -> CitizenComment:
    """A comment on one goal or one measure of the person's active plan."""
    text = _text(text, limit=MAX_TEXT, empty=_("Skriv kommentaren din."))
    person = rep.person
    target = goal or measure
    if target is None or (goal is not None and measure is not None):
        raise PortalError(_("Velg et mål eller et tiltak å kommentere."))
    plan: IndividualPlan = target.plan
    if plan.person_id != person.pk or plan.is_closed:
        raise PortalError(_("Du kan bare kommentere din egen aktive plan."))
    with transaction.atomic():
        comment = CitizenComment.objects.create(
            person=person,
            plan=plan,
            goal=goal,
            measure=measure,
            kind=CommentKind.COMMENT,
            text=text,
            **_author(rep, actor),
        )
        _event(actor, AuditAction.CREATE, "citizen_comment", comment.pk, person)
    return comment


def goal_propose(*, actor: Actor, rep: Representation, text: str) -> CitizenComment:
    text = _text(text, limit=2000, empty=_("Skriv målet du foreslår, med dine egne ord."))
    person = rep.person
    plan = active_plan(person)
    if plan is None:
        raise PortalError(
            _("Du har ingen aktiv plan ennå. Send en melding til koordinatoren i stedet.")
        )
    with transaction.atomic():
        comment = CitizenComment.objects.create(
            person=person, plan=plan, kind=CommentKind.PROPOSAL, text=text, **_author(rep, actor)
        )
        _event(actor, AuditAction.CREATE, "citizen_comment", comment.pk, person)
    return comment


def _check_staff(actor: Actor) -> None:
    if actor.staff is None:
        raise PortalError(_("Bare ansatte kan svare."))


def comment_answer(*, actor: Actor, comment: CitizenComment, answer: str) -> CitizenComment:
    _check_staff(actor)
    answer = _text(answer, limit=MAX_TEXT, empty=_("Skriv et svar."))
    with transaction.atomic():
        comment.answer = answer
        comment.answered_by = actor.staff
        comment.answered_at = timezone.now()
        comment.save(update_fields=["answer", "answered_by", "answered_at"])
        _event(actor, AuditAction.ANSWER, "citizen_comment", comment.pk, comment.person)
    return comment


def proposal_accept(*, actor: Actor, comment: CitizenComment, answer: str = "") -> CitizenComment:
    """The coordinator takes the proposed goal into the active plan, in the person's words."""
    _check_staff(actor)
    if comment.kind != CommentKind.PROPOSAL:
        raise PortalError(_("Bare forslag til mål kan tas inn i planen."))
    if comment.proposal_outcome:
        raise PortalError(_("Forslaget er allerede behandlet."))
    plan = active_plan(comment.person)
    if plan is None:
        raise PortalError(_("Personen har ingen aktiv plan å ta målet inn i."))
    with transaction.atomic():
        goal = plan_services.goal_add(
            actor=actor, plan=plan, text=comment.text, status=GoalStatus.ACTIVE
        )
        comment.accepted_goal = goal
        comment.proposal_outcome = ProposalOutcome.ACCEPTED
        comment.answer = answer.strip() or _("Målet er tatt inn i planen din.")
        comment.answered_by = actor.staff
        comment.answered_at = timezone.now()
        comment.save(
            update_fields=[
                "accepted_goal",
                "proposal_outcome",
                "answer",
                "answered_by",
                "answered_at",
            ]
        )
        _event(actor, AuditAction.ACCEPT, "citizen_comment", comment.pk, comment.person)
    return comment


def proposal_decline(*, actor: Actor, comment: CitizenComment, reason: str) -> CitizenComment:
    _check_staff(actor)
    if comment.kind != CommentKind.PROPOSAL:
        raise PortalError(_("Bare forslag til mål kan avslås."))
    if comment.proposal_outcome:
        raise PortalError(_("Forslaget er allerede behandlet."))
    reason = _text(reason, limit=MAX_TEXT, empty=_("Skriv hvorfor målet ikke tas inn."))
    with transaction.atomic():
        comment.proposal_outcome = ProposalOutcome.DECLINED
        comment.answer = reason
        comment.answered_by = actor.staff
        comment.answered_at = timezone.now()
        comment.save(update_fields=["proposal_outcome", "answer", "answered_by", "answered_at"])
        _event(actor, AuditAction.DECLINE, "citizen_comment", comment.pk, comment.person)
    return comment


# --- Messages


def _conversation(person: Person) -> Conversation:
    conversation, _created = Conversation.objects.get_or_create(person=person)
    return conversation


def _citizen_emails(conversation: Conversation) -> list[str]:
    """The person's e-mail, and that of relatives who wrote in the conversation."""
    person = conversation.person
    relative_ids = (
        Message.objects.filter(conversation=conversation, relative__isnull=False)
        .values_list("relative_id", flat=True)
        .distinct()
    )
    emails = list(
        Relative.objects.filter(
            acting_in_force_q(), pk__in=list(relative_ids), person=person
        ).values_list("email", flat=True)
    )
    return [person.email, *emails]


def message_send_citizen(*, actor: Actor, rep: Representation, body: str) -> Message:
    """The person or their relative writes to the coordinator. The coordinator is told
    by a reminder (the reminder scan looks for new messages every quarter of an hour),
    with an e-mail notice only if they chose one."""
    body = _text(body, limit=MAX_MESSAGE, empty=_("Skriv meldingen din."))
    person = rep.person
    author = _author(rep, actor)
    with transaction.atomic():
        conversation = _conversation(person)
        message = Message.objects.create(
            conversation=conversation,
            sender_kind=SenderKind.CITIZEN,
            sender_name=author["written_by_name"],
            on_behalf_basis=author["on_behalf_basis"],
            relative=author["relative"],
            body=body,
        )
        _event(actor, AuditAction.CREATE, "citizen_message", message.pk, person)
    return message


def message_send_staff(*, actor: Actor, person: Person, body: str, link: str) -> Message:
    """Staff answer in the person's conversation; the person (or relative) gets a notice."""
    _check_staff(actor)
    body = _text(body, limit=MAX_MESSAGE, empty=_("Skriv meldingen."))
    with transaction.atomic():
        conversation = _conversation(person)
        message = Message.objects.create(
            conversation=conversation,
            sender_kind=SenderKind.STAFF,
            sender_name=str(actor.staff)[:150],
            staff=actor.staff,
            body=body,
        )
        # Writing an answer means the citizen's messages so far have been read.
        Message.objects.filter(
            conversation=conversation, sender_kind=SenderKind.CITIZEN, read_at__isnull=True
        ).update(read_at=timezone.now())
        _event(actor, AuditAction.CREATE, "citizen_message", message.pk, person)
        emails = _citizen_emails(conversation)
        transaction.on_commit(_notice(emails, link))
    return message


def _notice(emails: list[str], link: str) -> Callable[[], None]:
    def send() -> None:
        notify.send_notice(emails, link)

    return send


def messages_mark_read(*, person: Person, sender_kind: str) -> int:
    """Mark the other side's messages read. A read receipt on a page the guard has
    already logged as viewed, so no audit row of its own."""
    return Message.objects.filter(
        conversation__person=person, sender_kind=sender_kind, read_at__isnull=True
    ).update(read_at=timezone.now())


# --- Applications


APPLY_PLAN = "individuell_plan"
APPLY_COORDINATOR = "koordinator"
APPLY_BOTH = "begge"
APPLY_SERVICE = "tjeneste"


def application_submit(
    *,
    actor: Actor,
    rep: Representation,
    what: str,
    services: list[Service] | None = None,
    today: datetime.date | None = None,
    submission_token: uuid.UUID | None = None,
) -> Case:
    """An application from the person or a relative with the right to act: a case the
    tjenestekontor / coordinating unit finds in its case list. The same form sent twice
    (`submission_token`) makes one case."""
    person = rep.person
    applicant = Applicant.RELATIVE if rep.on_behalf else Applicant.PERSON
    today = today or timezone.localdate()
    try:
        if what == APPLY_SERVICE:
            return casework_services.service_application_register(
                actor=actor,
                person=person,
                applicant=applicant,
                received_on=today,
                services=list(services or []),
                submission_token=submission_token,
            )
        if what not in (APPLY_PLAN, APPLY_COORDINATOR, APPLY_BOTH):
            raise PortalError(_("Velg hva du søker om."))
        return casework_services.case_open(
            actor=actor,
            person=person,
            received_on=today,
            kind=CaseKind.PLAN_AND_COORDINATOR,
            applicant=applicant,
            requests_individual_plan=what in (APPLY_PLAN, APPLY_BOTH),
            requests_coordinator=what in (APPLY_COORDINATOR, APPLY_BOTH),
            submission_token=submission_token,
        )
    except casework_services.CaseworkError as exc:
        raise PortalError(str(exc)) from exc


# --- Consent and sperring


def _giver(rep: Representation) -> str:
    if not rep.on_behalf:
        return ConsentGiver.PERSON
    if rep.basis == ActingBasis.POWER_OF_ATTORNEY:
        return ConsentGiver.RELATIVE
    return ConsentGiver.GUARDIAN


CITIZEN_CONSENT_KINDS = (ConsentKind.INDIVIDUAL_PLAN, ConsentKind.SHARING)


def consent_give(*, actor: Actor, rep: Representation, kind: str, scope: str) -> Consent:
    if kind not in CITIZEN_CONSENT_KINDS:
        raise PortalError(_("Velg hva du samtykker til."))
    scope = _text(scope, limit=300, empty=_("Skriv hva samtykket gjelder."))
    try:
        return access_services.consent_record(
            actor=actor,
            person=rep.person,
            kind=kind,
            scope=scope,
            given_by=_giver(rep),
            given_by_relative=rep.relative if rep.on_behalf else None,
            given_on=timezone.localdate(),
        )
    except access_services.AccessRuleError as exc:
        raise PortalError(str(exc)) from exc


def consent_withdraw(*, actor: Actor, rep: Representation, consent: Consent) -> Consent:
    if consent.person_id != rep.person.pk:
        raise PortalError(_("Du kan bare trekke tilbake dine egne samtykker."))
    try:
        return access_services.consent_withdraw(
            actor=actor, consent=consent, withdrawn_by=_giver(rep)
        )
    except access_services.AccessRuleError as exc:
        raise PortalError(str(exc)) from exc


def block_request_add(*, actor: Actor, rep: Representation, text: str) -> BlockRequest:
    text = _text(text, limit=2000, empty=_("Skriv hvem eller hva du vil sperre."))
    author = _author(rep, actor)
    with transaction.atomic():
        request = BlockRequest.objects.create(
            person=rep.person,
            text=text,
            written_by_name=author["written_by_name"],
            on_behalf_basis=author["on_behalf_basis"],
        )
        _event(actor, AuditAction.CREATE, "block_request", request.pk, rep.person)
    return request


def block_request_handle(*, actor: Actor, request: BlockRequest, note: str = "") -> BlockRequest:
    _check_staff(actor)
    if request.handled_at is not None:
        raise PortalError(_("Ønsket er allerede behandlet."))
    with transaction.atomic():
        request.handled_at = timezone.now()
        request.handled_by = actor.staff
        request.handled_note = note.strip()[:500]
        request.save(update_fields=["handled_at", "handled_by", "handled_note"])
        _event(actor, AuditAction.HANDLE, "block_request", request.pk, request.person)
    return request


# --- A power of attorney the person gave (M6)


def power_of_attorney_end(
    *, actor: Actor, rep: Representation, relative: Relative, reason: str
) -> Relative:
    """The person ends a power of attorney they gave, from Min side. Only the person
    themself: not a relative acting on their behalf, and never a guardianship or a
    parent's responsibility, which the person did not give."""
    if rep.on_behalf:
        raise PortalError(_("Bare personen selv kan avslutte en fullmakt."))
    if (
        relative.person_id != rep.person.pk
        or relative.acting_basis != ActingBasis.POWER_OF_ATTORNEY
    ):
        raise PortalError(_("Du kan bare avslutte fullmakter du selv har gitt."))
    try:
        return people_services.representation_end(
            actor=actor, relative=relative, reason=reason, by_person=True
        )
    except people_services.RepresentationError as exc:
        raise PortalError(str(exc)) from exc
