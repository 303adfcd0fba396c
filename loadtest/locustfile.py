"""Load test: demo staff browse the main pages and call the API; refusals must hold.

Reads the fixture written by `prepare.py` (LOADTEST_FIXTURE). A request that must be
refused counts as a success only when it is refused, so "0 failures" also means that
no refusal gave way under load. Run through `loadtest/run.py` (`make loadtest`).

Each user logs in once (`on_start`) and then browses, as staff do: with sessions of
hours, 20 users browsing for a minute log in about never. The login checks the
password with Argon2, slow on purpose (about 0.5 s of CPU, on every core), so the users
log in over the first seconds (`run.py --ramp`) and the figures are kept apart, written
to LOADTEST_SUMMARY (JSON) when locust stops: the logins; the pages and API calls while
users were still logging in; and the pages and API calls once all were logged in (the
steady state the budget is about). Every request, in every phase, is still in locust's
own table and in the failure count.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import re

from locust import HttpUser, between, events, task
from locust.env import Environment

FIXTURE = json.load(open(os.environ["LOADTEST_FIXTURE"], encoding="utf-8"))  # noqa: SIM115
_usernames = itertools.cycle(sorted(FIXTURE["users"]))
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_NAMES = frozenset({"login page", "login"})


_times: dict[str, list[float]] = {"login": [], "ramp": [], "steady": []}
_failures: dict[str, int] = dict.fromkeys(_times, 0)
_logged_in = 0
_steady = False


def _percentile(times: list[float], share: float) -> int:
    """Nearest rank over the exact times (locust's own table rounds them)."""
    return round(times[max(0, math.ceil(share * len(times)) - 1)]) if times else 0


def _figures(phase: str) -> dict[str, int]:
    times = sorted(_times[phase])
    return {
        "requests": len(times),
        "failures": _failures[phase],
        "p50": _percentile(times, 0.50),
        "p95": _percentile(times, 0.95),
        "max": _percentile(times, 1.0),
    }


@events.request.add_listener
def note(name: str, response_time: float, exception: object = None, **_kwargs: object) -> None:
    phase = "login" if name in LOGIN_NAMES else "steady" if _steady else "ramp"
    _times[phase].append(response_time)
    if exception is not None:
        _failures[phase] += 1


def _logged_in_one(environment: Environment) -> None:
    global _logged_in, _steady
    _logged_in += 1
    runner = environment.runner
    if runner is not None and _logged_in >= runner.target_user_count:
        _steady = True


@events.quitting.add_listener
def write_summary(environment: Environment, **_kwargs: object) -> None:
    path = os.environ.get("LOADTEST_SUMMARY")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({phase: _figures(phase) for phase in _times}, fh)


class Staff(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.username = next(_usernames)
        self.data = FIXTURE["users"][self.username]
        page = self.client.get("/logg-inn/", name="login page")
        match = _CSRF.search(page.text)
        with self.client.post(
            "/logg-inn/",
            data={
                "username": self.username,
                "password": FIXTURE["password"],
                "csrfmiddlewaretoken": match.group(1) if match else "",
            },
            headers={"Referer": self.host + "/logg-inn/"},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login gave {response.status_code}")
        # Every user tries each refusal once, so even a short run proves they hold.
        self.refused_person()
        self.refused_api()
        _logged_in_one(self.environment)

    @task(3)
    def list_page(self) -> None:
        name, url = random.choice(list(self.data["pages"].items()))  # noqa: S311
        self.client.get(url, name=name)

    @task(4)
    def person_overview(self) -> None:
        person = random.choice(self.data["persons"])  # noqa: S311
        self.client.get(f"/personer/{person}/", name="person overview")

    @task(2)
    def plan_page(self) -> None:
        if self.data["plans"]:
            self.client.get(random.choice(self.data["plans"]), name="plan page")  # noqa: S311

    @task(2)
    def api_persons(self) -> None:
        auth = {"Authorization": f"Bearer {self.data['token']}"}
        self.client.get("/api/persons/", headers=auth, name="API persons")
        person = random.choice(self.data["persons"])  # noqa: S311
        self.client.get(f"/api/persons/{person}/", headers=auth, name="API person")

    @task(1)
    def refused_person(self) -> None:
        person = random.choice(self.data["unrelated"])  # noqa: S311
        with self.client.get(
            f"/personer/{person}/", name="REFUSED person without care relation", catch_response=True
        ) as response:
            if response.status_code in (403, 404):
                response.success()
            else:
                response.failure(f"not refused: {response.status_code}")

    @task(1)
    def refused_api(self) -> None:
        with self.client.get(
            "/api/persons/", name="REFUSED API without token", catch_response=True
        ) as response:
            if response.status_code == 401:
                response.success()
            else:
                response.failure(f"not refused: {response.status_code}")
        person = random.choice(self.data["unrelated"])  # noqa: S311
        with self.client.get(
            f"/api/persons/{person}/",
            headers={"Authorization": f"Bearer {self.data['token']}"},
            name="REFUSED API person without care relation",
            catch_response=True,
        ) as response:
            if response.status_code in (403, 404):
                response.success()
            else:
                response.failure(f"not refused: {response.status_code}")
