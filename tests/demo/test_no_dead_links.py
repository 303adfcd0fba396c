"""No link the application shows ends in a refusal: each demo user starts on the start
page and follows the links of every page reached, breadth first and bounded, on the
demo municipality as `mestring demo` builds it. A 403 or 404 from a link the
application itself drew fails, naming the page that drew it."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from mestring.demo.build import USERS
from mestring.people.models import Staff
from tests.conftest import built_once, login

pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]

# Pages per user, and how many pages of one shape (the same path but for its ids, the
# same query keys) are walked: every menu page and the first rows of every list are
# reached, not the hundredth person's pages, in a few minutes for all users together.
PAGES_PER_USER = 150
PER_SHAPE = 2
# Links that are not pages to walk: downloads, leaving, another site's pages.
NOT_PAGES = ("/logg-ut", "format=", ".pdf", ".ics", "/static/", "/min-side/", "/api/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    own = (h.split("#")[0] for h in parser.hrefs if h.startswith("/") and not h.startswith("//"))
    return [h for h in own if h and not any(part in h for part in NOT_PAGES)]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    yield from built_once(django_db_blocker, lambda: call_command("demo", "--json"))


def _shape(url: str) -> str:
    path, _, query = url.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + "?" + "&".join(keys)


def _walk(client: Client) -> tuple[int, list[str]]:
    seen = {"/"}
    shapes: Counter[str] = Counter()
    queue: deque[tuple[str, str]] = deque([("/", "")])
    visited, dead = 0, []
    while queue and visited < PAGES_PER_USER:
        url, parent = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code in (403, 404):
            dead.append(f"{url} ({response.status_code}), linked from {parent}")
            continue
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        for href in _links(response.content.decode()):
            if href not in seen and shapes[_shape(href)] < PER_SHAPE:
                seen.add(href)
                shapes[_shape(href)] += 1
                queue.append((href, url))
    return visited, dead


@pytest.mark.parametrize("username", [f"demo.{user.username}" for user in USERS])
def test_every_link_a_demo_user_is_shown_opens(demo: None, username: str) -> None:
    staff = Staff.all_objects.select_related("user").get(user__username=username)
    visited, dead = _walk(login(Client(), staff))
    assert visited > 10, f"{username} reached only {visited} pages"
    assert not dead, f"{username} was shown links that refuse:\n" + "\n".join(dead)
