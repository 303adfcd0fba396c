"""Structured logs: valid JSON, the request id, and never a name or an identity number."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client

from mestring.core.logging import (
    JsonFormatter,
    RedactIdentityNumbersFilter,
    RequestIdFilter,
    redact,
)

NAME = "Gunnhildsdatter"
NATIONAL_ID = "01019012345"


@pytest.fixture
def json_log():
    """A handler configured like the console handler of settings.LOGGING, into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactIdentityNumbersFilter())
    loggers = [logging.getLogger(n) for n in ("mestring.access_log", "django", "")]
    access_log = loggers[0]
    level = access_log.level
    access_log.setLevel(logging.INFO)  # as settings.LOGGING sets it, whatever ran before
    for logger in loggers:
        logger.addHandler(handler)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)
    access_log.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_settings_use_the_json_formatter_and_filters(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["formatter"] == "json"
    assert set(handler["filters"]) == {"request_id", "redact"}
    assert settings.LOGGING["loggers"]["mestring.access_log"]["level"] == "INFO"


@pytest.mark.django_db
def test_request_logs_carry_id_and_no_person_data(world, client_for, json_log):
    client = client_for(world.owner)
    response = client.get(
        "/personer/", {"q": f"Ola {NAME}", "fnr": NATIONAL_ID}, HTTP_X_REQUEST_ID="test-req-0001"
    )
    assert response.status_code == 200
    # A form body with the same data, refused by CSRF (logged by django.security.csrf).
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        f"/personer/?navn={NAME}", {"given_name": NAME, "national_id": NATIONAL_ID}
    )
    assert response.status_code == 403
    # An identity number in the path itself (404) is redacted too.
    client.get(f"/personer/{NATIONAL_ID}/")
    text = json_log.getvalue()
    lines = _lines(json_log)
    assert text.strip(), "no log lines were written"
    assert NAME not in text
    assert NATIONAL_ID not in text
    assert "Ola" not in text
    access = [line for line in lines if line["name"] == "mestring.access_log"]
    assert len(access) == 3
    first = access[0]
    assert first["request_id"] == "test-req-0001"
    assert first["path"] == "/personer/"
    assert first["method"] == "GET"
    assert first["status"] == 200
    assert first["user_id"] == world.owner.user.pk
    assert isinstance(first["duration_ms"], float)
    assert all(line["request_id"] not in ("", "-") for line in access)
    # Django's own warning about the CSRF refusal: the request id, no query string.
    csrf = [line for line in lines if line["name"] == "django.security.csrf"]
    assert csrf
    assert csrf[0]["request_id"] == access[1]["request_id"]
    assert csrf[0]["request"] == "POST /personer/"


def test_redaction_filter_and_formatter(json_log):
    logger = logging.getLogger("mestring.test")
    logger.warning("fant %s og 010190 12345", NATIONAL_ID)
    logger.warning("ekstra felt", extra={"detail": f"nr {NATIONAL_ID}"})
    try:
        raise ValueError(f"ugyldig {NATIONAL_ID}")
    except ValueError:
        logger.exception("feil")
    text = json_log.getvalue()
    assert NATIONAL_ID not in text
    assert "010190 12345" not in text
    lines = _lines(json_log)
    assert lines[0]["message"] == "fant [fnr fjernet] og [fnr fjernet]"
    assert lines[0]["request_id"] == "-"
    # Longer numbers (e.g. an account or an org number with prefix) are left alone.
    assert redact("123456789012") == "123456789012"
    assert redact(f"fnr={NATIONAL_ID}&x") == "fnr=[fnr fjernet]&x"
    assert redact(f"/personer/{NATIONAL_ID}/") == "/personer/[fnr fjernet]/"
    # A hex request id that happens to hold 11 digits in a row stays whole.
    assert redact("54b8b3201ab34fe0a638b01234567890") == "54b8b3201ab34fe0a638b01234567890"


@pytest.mark.attack
@pytest.mark.django_db
def test_secret_tokens_in_paths_are_not_logged(world, json_log):
    """(L6) A calendar feed's token and an organisation's personal link are credentials:
    neither the access log nor Django's own 404 line may hold them."""
    from django.urls import reverse

    from mestring.teams import services as team_services
    from mestring.tenancy.context import activate
    from tests.teams.helpers import actor_for

    with activate(world.municipality):
        _feed, token = team_services.calendar_feed_create(actor=actor_for(world.owner))
    client = Client()
    feed = client.get(reverse("teams:calendar_feed_ics", args=[token]))
    assert feed.status_code == 200
    unknown = "UkjentHemmeligKalendernokkel123"
    assert client.get(reverse("teams:calendar_feed_ics", args=[unknown])).status_code == 404
    link = "HemmeligOrganisasjonslenke456"
    edit = reverse(
        "public:organisation_edit", kwargs={"number": world.municipality.number, "token": link}
    )
    assert client.get(edit).status_code == 404
    text = json_log.getvalue()
    for secret in (token, unknown, link):
        assert secret not in text
    access = [line for line in _lines(json_log) if line["name"] == "mestring.access_log"]
    assert len(access) == 3
    assert all("[nokkel-fjernet]" in line["path"] for line in access)
    assert access[0]["path"].endswith("/[nokkel-fjernet].ics")


@pytest.mark.attack
def test_identity_numbers_typed_with_spaces_or_dots_are_redacted():
    """(I2) An identity number written with its birth date apart — a space, a dot, two
    spaces, a no-break space — or with dots in the birth date is redacted too."""
    for typed in (
        "010190 12345",
        "010190.12345",
        "010190  12345",
        "010190\u00a012345",
        "01.01.90 12345",
        "01 01 90 12345",
    ):
        assert redact(f"søkte på {typed}.") == "søkte på [fnr fjernet].", typed
    # Dates, account numbers and longer numbers stay.
    for kept in ("01.01.2024 12345", "1234.56.78901", "0101901234567", "tlf 400 00 000"):
        assert redact(kept) == kept
