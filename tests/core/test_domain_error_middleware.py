"""An uncaught refusal of the domain is a page for the user, never a server error."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from mestring.core.middleware import DomainErrorMiddleware
from mestring.kernel.errors import Conflict, NotAllowed, NotFound, RuleBroken
from mestring.kernel.states import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def _request(method: str, path: str = "/personer/1/sak/2/"):
    request = getattr(RequestFactory(), method.lower())(path)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _answer(request, error):
    middleware = DomainErrorMiddleware(lambda r: None)
    return middleware.process_exception(request, error)


def test_not_found_and_not_allowed_are_their_pages():
    assert _answer(_request("get"), NotFound()).status_code == 404
    assert _answer(_request("post"), NotAllowed()).status_code == 403


@pytest.mark.parametrize("error", [Conflict("Saken er endret."), RuleBroken("Saken er endret.")])
def test_a_refused_post_goes_back_to_the_page_with_the_message(error):
    request = _request("post")
    response = _answer(request, error)
    assert (response.status_code, response["Location"]) == (302, "/personer/1/sak/2/")
    assert [str(m) for m in get_messages(request)] == ["Saken er endret."]


def test_a_refused_get_says_it_on_a_page_with_the_errors_status():
    request = _request("get")
    response = _answer(request, TransitionNotAllowed("Kan ikke endre status."))
    assert response.status_code == 409
    assert [str(m) for m in get_messages(request)] == ["Kan ikke endre status."]


def test_other_errors_and_the_api_are_left_alone():
    assert _answer(_request("post"), ValueError("x")) is None
    assert _answer(_request("post", "/api/persons/1/"), Conflict()) is None
