"""Load test: demo staff browse the main pages and call the API; refusals must hold.

Reads the fixture written by `prepare.py` (LOADTEST_FIXTURE). A request that must be
refused counts as a success only when it is refused, so "0 failures" also means that
no refusal gave way under load. Run through `loadtest/run.py` (`make loadtest`).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

FIXTURE = json.load(open(os.environ["LOADTEST_FIXTURE"], encoding="utf-8"))  # noqa: SIM115
_usernames = itertools.cycle(sorted(FIXTURE["users"]))
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
