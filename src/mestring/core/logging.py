"""Structured logs: one JSON object a line, with the request id, never an identity number.

The request id reaches every log record through a context variable set by
`core.middleware.RequestIdMiddleware`, so code that logs needs no request at hand.
A secret token in a request's path (a calendar feed, an organisation's personal link)
is replaced wherever the path is logged (`loggable_path`). Identity numbers (11 digits,
also written 6+5 with a space or a dot) are redacted twice: by a
filter on the message and, as a last line of defence, in the formatted JSON line
(which also covers tracebacks and extra fields).
"""

from __future__ import annotations

import contextvars
import logging
import re
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# 11 digits standing alone (not inside a longer number or a hex request id); also as
# people type them: the birth date and the personal number apart ("ddmmyy nnnnn",
# "ddmmyy.nnnnn", "ddmmyy-nnnnn", with more than one space or a no-break space), and
# the birth date itself with dots or spaces ("dd.mm.yy nnnnn").
IDENTITY_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{6}|\d{2}[. ]\d{2}[. ]\d{2})[\s.\-]{0,3}\d{5}(?![0-9A-Za-z])"
)
REDACTED = "[fnr fjernet]"

# URL parts that are a credential (a calendar feed's or an organisation's personal link):
# whoever reads the log must not be able to open the link.
SECRET_URL_KWARGS = frozenset({"token"})
PATH_PART_REMOVED = "[nokkel-fjernet]"


def redact(text: str) -> str:
    return IDENTITY_NUMBER.sub(REDACTED, text)


def loggable_path(request: Any) -> str:
    """The request's path for a log line, with a secret token in it replaced."""
    # Imported here: settings.py imports this module before Django is set up.
    from django.urls import Resolver404, resolve

    path = str(getattr(request, "path", ""))
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(getattr(request, "path_info", path))
        except Resolver404:
            return path
    secrets = [str(match.kwargs[name]) for name in SECRET_URL_KWARGS & match.kwargs.keys()]
    secrets = [secret for secret in secrets if secret]
    if not secrets:
        return path
    segments = path.split("/")
    for secret in secrets:
        segments = [segment.replace(secret, PATH_PART_REMOVED) for segment in segments]
    return "/".join(segments)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        request_id = request_id_var.get()
        if request is not None and hasattr(request, "path") and hasattr(request, "method"):
            # Django's request logger attaches the request, whose repr has the query
            # string (names, search text): keep only method and path. Its 4xx/5xx lines
            # are written after the middleware has finished, so the id comes from here.
            request_id = getattr(request, "request_id", request_id)
            path = loggable_path(request)
            record.request = f"{request.method} {path}"
            if path != request.path:
                # "Not Found: /kalender/<token>.ics" and the like: the token goes too.
                try:
                    message = record.getMessage()
                except Exception:  # a broken format string must not lose the record
                    message = str(record.msg)
                record.msg, record.args = message.replace(request.path, path), None
        record.request_id = request_id
        return True


class RedactIdentityNumbersFilter(logging.Filter):
    """Replaces anything that looks like an identity number in the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter, redacting the finished line as well."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "asctime": "time"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs
        )

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return redact(super().format(record))


def logging_config(level: str = "WARNING", access_level: str = "INFO") -> dict[str, Any]:
    """The `LOGGING` dict for settings.py: everything to stderr as JSON lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "mestring.core.logging.RequestIdFilter"},
            "redact": {"()": "mestring.core.logging.RedactIdentityNumbersFilter"},
        },
        "formatters": {"json": {"()": "mestring.core.logging.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request from RequestIdMiddleware (INFO, so on by default).
            "mestring.access_log": {
                "handlers": ["console"],
                "level": access_level,
                "propagate": False,
            },
            # The server's own messages (start, worker restarts) in the same format.
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # Django's own loggers in the same format (its default adds a plain-text
            # console handler under DEBUG and mail to ADMINS, which we do not use).
            "django": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }
