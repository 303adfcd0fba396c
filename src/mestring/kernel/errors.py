"""The domain's errors: what went wrong, in a code for machines and a Norwegian
sentence for people.

Services raise these; the web shows the message, and the API turns the class into
its HTTP status through `http_status` alone, so a rule answers the same in both. They
are `ValueError`s because a broken rule is a value the domain refuses, and callers
that catch the broad class still get the message.
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(ValueError):
    """A request the domain refuses. `message` is for the user; `code` is stable."""

    # An instance attribute with the class's default: one error may narrow its code.
    code: str = "domain_error"
    http_status: ClassVar[int] = 400
    default_message: ClassVar[str | Promise] = _("Handlingen kunne ikke utføres.")

    def __init__(
        self, message: str | Promise | None = None, *, code: str | None = None, field: str = ""
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        if code is not None:
            self.code = code
        self.field = field
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """What was asked for does not exist, or is not the asker's to see."""

    code = "not_found"
    http_status = 404
    default_message = _("Fant ikke det du spurte etter.")


class NotAllowed(DomainError):
    """The actor may not do this."""

    code = "not_allowed"
    http_status = 403
    default_message = _("Du har ikke tillatelse til dette.")


class Conflict(DomainError):
    """The thing has changed or is in a state that does not allow this now."""

    code = "conflict"
    http_status = 409
    default_message = _("Noen andre har endret dette i mellomtiden. Last siden på nytt.")


class RuleBroken(DomainError):
    """The request breaks a rule of the domain (a date, a missing reason, a limit)."""

    code = "rule_broken"
    http_status = 422
    default_message = _("Opplysningene bryter en regel og kan ikke lagres.")


def http_status(error: DomainError) -> int:
    """The one mapping from a domain error to the API's status."""
    return error.http_status
