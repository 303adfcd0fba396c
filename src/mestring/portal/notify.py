"""E-mail notices about new messages. They leave the record, so they hold NO health
information and no names: only that there is a new message, and where to log in."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable

from django.core.mail import send_mail
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def notice_text(link: str) -> tuple[str, str]:
    """The subject and body of every notice: the same words whoever it is for."""
    subject = _("Ny melding i Mestring")
    body = "\n\n".join(
        [
            _("Du har en ny melding i Mestring. Logg inn på %(link)s for å lese den.")
            % {"link": link},
            _("Denne e-posten er sendt automatisk. Ikke svar på den."),
        ]
    )
    return subject, body


def send_notice(recipients: Iterable[str], link: str) -> int:
    """Send the notice to each address on its own (no one sees the others); a failure
    to send is logged and does not stop the message from being saved."""
    subject, body = notice_text(link)
    sent = 0
    for address in sorted({a for a in recipients if a}):
        try:
            sent += send_mail(
                subject=subject, message=body, from_email=None, recipient_list=[address]
            )
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not send a message notice")
    return sent
