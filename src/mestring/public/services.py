"""Writes of the public pages: registration, moderation, the organisation's own
changes through its personal link, and the municipality's public profile.

Each write is one transaction with one audit row. Writes made without login (the
registration form, the personal link) are recorded with a system actor for the
municipality (`public_actor`), carrying the client address and request id.

Choice: an approved organisation's own changes are published at once, not sent back
to moderation. The personal link only reaches the address staff approved, every
change is audited, and staff can reject (unpublish) an entry at any time.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import secrets
import smtplib
from collections.abc import Callable, Mapping
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor, system_actor
from mestring.access.audit import record_event
from mestring.core.text import one_line
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict, RuleBroken
from mestring.kernel.states import TransitionNotAllowed, record_initial_status, transition
from mestring.public.models import (
    OrganisationEvent,
    OrganisationStatus,
    PublicProfile,
    UserOrganisation,
)
from mestring.tenancy.models import Municipality

logger = logging.getLogger(__name__)

TOKEN_DAYS = 90
ORGANISATION_FIELDS = ("name", "contact_name", "email", "phone", "website", "purpose")
EVENT_FIELDS = ("title", "kind", "starts_on", "place", "description")
PROFILE_FIELDS = (
    "intro",
    "how_to_apply",
    "coordinating_unit",
    "phone",
    "email",
    "address",
    "opening_hours",
)

# Builds the absolute address of the personal link from the token.
LinkBuilder = Callable[[str], str]


class PublicRuleError(RuleBroken):
    """A request the rules do not allow; the message is for the user."""

    code = "public_rule"


class PublicStateConflict(Conflict, PublicRuleError):
    """The organisation's status does not allow this now."""

    code = "public_state"


def public_actor(
    municipality: Municipality, request: HttpRequest | None = None, *, label: str
) -> Actor:
    """The actor for a write without login: the municipality's system actor, with the
    client's address and the request id for the audit trail."""
    actor = system_actor(municipality, label=label)
    if request is None:
        return actor
    return dataclasses.replace(
        actor,
        client_address=request.META.get("REMOTE_ADDR") or None,
        request_id=getattr(request, "request_id", "") or actor.request_id,
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_fields(token: str, now: datetime.datetime) -> dict[str, Any]:
    return {
        "edit_token_hash": hash_token(token),
        "edit_token_expires_at": now + datetime.timedelta(days=TOKEN_DAYS),
    }


def _issue_token(organisation: UserOrganisation, now: datetime.datetime) -> str:
    token = secrets.token_urlsafe(32)
    for name, value in _token_fields(token, now).items():
        setattr(organisation, name, value)
    return token


def _send_link(organisation: UserOrganisation, link: str, *, first: bool) -> bool:
    """Send the personal link; False when the mail server refused or the message could
    not be made (the write stands, and the organisation can ask for a new link). The
    name goes on one line in the subject, whatever was saved before names were checked
    (L12)."""
    name = one_line(organisation.name)
    greeting = (
        _("%(name)s er godkjent og publisert i kommunens tjenestekatalog.")
        if first
        else _("Her er en ny lenke for å endre oppføringen til %(name)s.")
    ) % {"name": name}
    body = "\n\n".join(
        [
            _("Hei, %(contact)s.") % {"contact": one_line(organisation.contact_name)},
            greeting,
            _(
                "Med denne personlige lenken kan dere endre oppføringen og legge til kurs "
                "og arrangementer, uten å logge inn:"
            ),
            link,
            _(
                "Lenken gjelder i %(days)s dager. Del den ikke med andre. Trenger dere en "
                "ny lenke, kan dere be om det på siden for brukerorganisasjoner."
            )
            % {"days": TOKEN_DAYS},
        ]
    )
    try:
        send_mail(
            subject=_("Lenke for å endre oppføringen til %(name)s") % {"name": name},
            message=body,
            from_email=None,
            recipient_list=[organisation.email],
        )
    except (OSError, smtplib.SMTPException, ValueError):  # BadHeaderError is a ValueError
        logger.exception("Could not send the edit link of user organisation %s", organisation.pk)
        return False
    return True


def _audit(actor: Actor, action: str, object_type: str, object_id: object) -> None:
    record_event(actor=actor, action=action, object_type=object_type, object_id=object_id)


def organisation_register(*, actor: Actor, data: Mapping[str, Any]) -> UserOrganisation:
    """A registration from the public form: saved as pending, not shown until approved."""
    with transaction.atomic():
        now = timezone.now()
        organisation = UserOrganisation(
            status=OrganisationStatus.PENDING, submitted_at=now, updated_at=now
        )
        for name in ORGANISATION_FIELDS:
            setattr(organisation, name, data.get(name) or "")
        organisation.save()
        record_initial_status(organisation, actor=actor)
        _audit(actor, AuditAction.CREATE, "user_organisation", organisation.pk)
    return organisation


def organisation_approve(
    *, actor: Actor, organisation: UserOrganisation, link_builder: LinkBuilder
) -> UserOrganisation:
    """Publish the entry and send the organisation its personal link; sets
    `organisation.link_sent` to whether the e-mail went out."""
    if organisation.is_approved:
        raise PublicRuleError(_("Organisasjonen er allerede godkjent."))
    with transaction.atomic():
        now = timezone.now()
        token = secrets.token_urlsafe(32)
        changes = {
            "approved_at": now,
            "approved_by": actor.staff,
            "rejected_at": None,
            "rejection_reason": "",
            **_token_fields(token, now),
        }
        _move(actor, organisation, OrganisationStatus.APPROVED, changes=changes)
        _audit(actor, AuditAction.APPROVE, "user_organisation", organisation.pk)
    organisation.link_sent = _send_link(organisation, link_builder(token), first=True)
    return organisation


def organisation_reject(
    *, actor: Actor, organisation: UserOrganisation, reason: str
) -> UserOrganisation:
    """Refuse a registration, or unpublish an approved entry; its link stops working."""
    reason = (reason or "").strip()
    if not reason:
        raise PublicRuleError(_("Skriv en grunn til at organisasjonen avvises."))
    if organisation.is_rejected:
        raise PublicRuleError(_("Organisasjonen er allerede avvist."))
    with transaction.atomic():
        changes = {
            "rejected_at": timezone.now(),
            "rejection_reason": reason,
            "edit_token_hash": "",
            "edit_token_expires_at": None,
        }
        _move(actor, organisation, OrganisationStatus.REJECTED, reason=reason, changes=changes)
        _audit(actor, AuditAction.REJECT, "user_organisation", organisation.pk)
    return organisation


def _move(
    actor: Actor,
    organisation: UserOrganisation,
    to_status: str,
    *,
    changes: dict[str, Any],
    reason: str = "",
) -> None:
    """Change the status by the table; a refusal is told as this app's rule error."""
    try:
        transition(organisation, to_status, actor=actor, reason=reason[:500], changes=changes)
    except TransitionNotAllowed as exc:
        raise PublicStateConflict(str(exc)) from exc


def organisation_update(
    *, actor: Actor, organisation: UserOrganisation, data: Mapping[str, Any]
) -> UserOrganisation:
    """The organisation's own change through its link: published at once, audited."""
    if not organisation.is_approved:
        raise PublicRuleError(_("Bare godkjente organisasjoner kan endre oppføringen sin."))
    with transaction.atomic():
        for name in ORGANISATION_FIELDS:
            setattr(organisation, name, data.get(name) or "")
        organisation.updated_at = timezone.now()
        organisation.save()
        _audit(actor, AuditAction.UPDATE, "user_organisation", organisation.pk)
    return organisation


def event_save(
    *,
    actor: Actor,
    organisation: UserOrganisation,
    event: OrganisationEvent | None,
    data: Mapping[str, Any],
) -> OrganisationEvent:
    if not organisation.is_approved:
        raise PublicRuleError(_("Bare godkjente organisasjoner kan legge inn arrangementer."))
    if event is not None and event.organisation_id != organisation.pk:
        raise PublicRuleError(_("Arrangementet hører til en annen organisasjon."))
    with transaction.atomic():
        target = event or OrganisationEvent(organisation=organisation)
        for name in EVENT_FIELDS:
            value = data.get(name)
            setattr(target, name, value if value is not None else "")
        target.save()
        _audit(
            actor,
            AuditAction.UPDATE if event else AuditAction.CREATE,
            "organisation_event",
            target.pk,
        )
    return target


def event_delete(
    *, actor: Actor, organisation: UserOrganisation, event: OrganisationEvent
) -> UserOrganisation:
    if event.organisation_id != organisation.pk:
        raise PublicRuleError(_("Arrangementet hører til en annen organisasjon."))
    with transaction.atomic():
        event_id = event.pk
        event.delete()
        _audit(actor, AuditAction.DELETE, "organisation_event", event_id)
    return organisation


def edit_link_request(*, actor: Actor, email: str, link_builder: LinkBuilder) -> int:
    """Send a new personal link to every approved organisation with this address.

    The caller always shows the same answer, so the form never tells whether the
    address is known. Returns the number of links sent (for tests and logs).
    """
    email = (email or "").strip()
    if not email:
        return 0
    sent = []
    with transaction.atomic():
        now = timezone.now()
        matches = UserOrganisation.objects.select_for_update().filter(
            email__iexact=email, status=OrganisationStatus.APPROVED
        )
        for organisation in matches:
            token = _issue_token(organisation, now)
            organisation.save(update_fields=["edit_token_hash", "edit_token_expires_at"])
            _audit(actor, AuditAction.ISSUE_LINK, "user_organisation", organisation.pk)
            sent.append((organisation, token))
    for organisation, token in sent:
        _send_link(organisation, link_builder(token), first=False)
    return len(sent)


def profile_save(*, actor: Actor, data: Mapping[str, Any]) -> PublicProfile:
    with transaction.atomic():
        profile = PublicProfile.objects.first() or PublicProfile()
        for name in PROFILE_FIELDS:
            value = data.get(name)
            if value is None and name != "coordinating_unit":
                value = ""
            setattr(profile, name, value)
        profile.updated_at = timezone.now()
        profile.save()
        _audit(actor, AuditAction.UPDATE, "public_profile", profile.pk)
    return profile
