"""Every error of the API is JSON `{"detail": "…", "errors": [...]}` in Norwegian, never a 500.

A refusal of the domain is a kernel `DomainError`, raised by the service; its class alone
gives the status (`http_status`), so a rule answers the same here and on the web, and no
router chooses a status of its own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from mestring.access.guard import PersonAccessRefused
from mestring.kernel.errors import DomainError, NotAllowed, RuleBroken


class ApiError(DomainError):
    """A request the API cannot take as sent (400), with what is wrong with each field."""

    code = "bad_request"

    def __init__(self, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class ScopeMissing(ApiError, NotAllowed):
    """The key lacks the scope the endpoint needs (403)."""

    code = "scope_missing"


class InvalidInput(ApiError, RuleBroken):
    """Fields the request's parsing refused (422), each with its message."""

    code = "invalid_input"


def field_invalid(field: str, message: str) -> InvalidInput:
    """One message about one field; `body` when it is about the request as a whole."""
    return InvalidInput(_("Ugyldige data."), [{"field": field, "message": str(message)}])


def form_invalid(
    form: Any, names: dict[str, str] | None = None, *, unknown: str | None = None
) -> InvalidInput:
    """The web form's messages under the API's field names. `names` maps a form field to
    its API name; any other field keeps its name, or is reported as `unknown` when given;
    an error of the whole form is the body's."""
    names = {"__all__": "body", **(names or {})}
    return InvalidInput(
        _("Ugyldige data."),
        [
            {"field": names.get(field, unknown or field), "message": str(message)}
            for field, messages in form.errors.items()
            for message in messages
        ],
    )


def person_refused_message() -> str:
    return _("Du har ikke tilgang til denne personen, eller personen finnes ikke.")


def _body(detail: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}


def domain_error_body(exc: DomainError) -> dict[str, Any]:
    """The answer to a refusal: its message, and the field it is about when it names one."""
    errors = getattr(exc, "errors", None)
    if errors is None:
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return _body(exc.message, errors)


# Pydantic error types → plain Norwegian.
_MESSAGES = {
    "missing": "Feltet må fylles ut.",
    "int_parsing": "Skriv et heltall.",
    "int_type": "Skriv et heltall.",
    "int_from_float": "Skriv et heltall.",
    "greater_than_equal": "Tallet er for lite (minst {ge}).",
    "greater_than": "Tallet er for lite.",
    "less_than_equal": "Tallet er for stort (høyst {le}).",
    "less_than": "Tallet er for stort.",
    "string_type": "Skriv en tekst.",
    "string_too_long": "Teksten er for lang (høyst {max_length} tegn).",
    "string_too_short": "Teksten er for kort.",
    "date_parsing": "Skriv datoen som åååå-mm-dd.",
    "date_from_datetime_parsing": "Skriv datoen som åååå-mm-dd.",
    "date_from_datetime_inexact": "Skriv datoen som åååå-mm-dd.",
    "date_type": "Skriv datoen som åååå-mm-dd.",
    "bool_parsing": "Skriv true eller false.",
    "bool_type": "Skriv true eller false.",
    "literal_error": "Velg en av de tillatte verdiene.",
    "enum": "Velg en av de tillatte verdiene.",
    "json_invalid": "Innholdet er ikke gyldig JSON.",
    "model_attributes_type": "Innholdet må være et JSON-objekt.",
    "dict_type": "Innholdet må være et JSON-objekt.",
    "list_type": "Skriv en liste.",
    "extra_forbidden": "Feltet er ukjent.",
}


def _field_message(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(str(error.get("type", "")))
    if template is None:
        message = str(error.get("msg", ""))
        # Our own validators raise ValueError with a Norwegian message.
        if message.startswith("Value error, "):
            return message.removeprefix("Value error, ")
        return _("Ugyldig verdi.")
    try:
        return _(template).format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return _(template)


def _field_name(loc: Any) -> str:
    parts = [str(part) for part in (loc or ())]
    # ninja puts the parameter source first (path, query, body) and then the
    # argument name of the body schema; the client knows neither.
    if parts and parts[0] in {"path", "query", "body", "header", "cookie", "form"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"data", "payload"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"field": _field_name(e.get("loc")), "message": _field_message(e)} for e in errors]


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, errors: Any = None) -> HttpResponse:
        return api.create_response(request, _body(detail, errors), status=status)

    @api.exception_handler(NinjaValidationError)
    def validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return respond(request, 422, _("Ugyldige data."), field_errors(list(exc.errors)))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            _("Mangler gyldig API-nøkkel. Nøkkelen kan være ukjent, utløpt eller trukket tilbake."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="mestring"'
        return response

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        # Also the kernel's TransitionNotAllowed: a Conflict, so 409.
        return api.create_response(request, domain_error_body(exc), status=exc.http_status)

    @api.exception_handler(PersonAccessRefused)
    def person_refused(request: HttpRequest, exc: PersonAccessRefused) -> HttpResponse:
        return respond(request, 403, person_refused_message())

    @api.exception_handler(PermissionDenied)
    def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, _("Du har ikke tillatelse til dette."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, _("Fant ikke det du spurte etter."))

    @api.exception_handler(DjangoValidationError)
    def django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(
            request,
            422,
            _("Ugyldige data."),
            [{"field": "body", "message": str(m)} for m in exc.messages],
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if status == 405:
            return respond(request, 405, _("Metoden er ikke tillatt her."))
        return respond(request, 400, _("Forespørselen kunne ikke leses."))
