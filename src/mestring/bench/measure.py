"""Measuring pages, API calls, reports and imports on the configured database.

Pages and API calls go through Django's test client in this process, so the figure is
the server's time (routing, guard, queries, template) without a network. Each page is
asked `repeat` times after one warm-up; p50 and p95 are of those times. The number of
SQL queries of the last request is printed beside it.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from mestring.access.actor import system_actor
from mestring.accounts.middleware import LAST_SEEN, LOGIN_AT
from mestring.api.services import token_create
from mestring.people.models import Person, Staff
from mestring.plans.models import IndividualPlan
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality

PAGE_BUDGET_MS = 100.0
REPORT_BUDGET_S = 1.0
REPORT_SQL_RATIO = 2.0
IMPORT_BUDGET_ROWS_PER_S = 5000.0


@dataclass
class PageFigure:
    name: str
    url: str
    status: int
    queries: int
    p50_ms: float
    p95_ms: float
    budget_ms: float = PAGE_BUDGET_MS

    @property
    def within(self) -> bool:
        return self.status == 200 and self.p95_ms <= self.budget_ms


@dataclass
class ReportFigure:
    name: str
    seconds: float
    sql_seconds: float | None
    equal: bool | None

    @property
    def ratio(self) -> float | None:
        if self.sql_seconds is None or self.sql_seconds <= 0:
            return None
        return self.seconds / self.sql_seconds

    @property
    def within(self) -> bool:
        ratio_ok = self.ratio is None or self.ratio <= REPORT_SQL_RATIO
        return self.seconds <= REPORT_BUDGET_S and ratio_ok and self.equal is not False


@dataclass
class ImportFigure:
    name: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")

    @property
    def within(self) -> bool:
        return self.rows_per_second >= IMPORT_BUDGET_ROWS_PER_S


@dataclass
class BenchFigures:
    database: str
    size: dict[str, int]
    build_rows: dict[str, int] = field(default_factory=dict)
    build_seconds: float | None = None
    pages: list[PageFigure] = field(default_factory=list)
    reports: list[ReportFigure] = field(default_factory=list)
    imports: list[ImportFigure] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        def with_props(item: Any, *names: str) -> dict[str, Any]:
            data = asdict(item)
            data.update({name: getattr(item, name) for name in names})
            return data

        return {
            "database": self.database,
            "size": self.size,
            "build": {"rows": self.build_rows, "seconds": self.build_seconds},
            "budgets": {
                "page_p95_ms": PAGE_BUDGET_MS,
                "report_s": REPORT_BUDGET_S,
                "report_sql_ratio": REPORT_SQL_RATIO,
                "import_rows_per_s": IMPORT_BUDGET_ROWS_PER_S,
            },
            "pages": [with_props(p, "within") for p in self.pages],
            "reports": [with_props(r, "ratio", "within") for r in self.reports],
            "imports": [with_props(i, "rows_per_second", "within") for i in self.imports],
        }


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call()
    return time.perf_counter() - started, value


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    quantiles = statistics.quantiles(ordered, n=100, method="inclusive")
    return quantiles[round(share * 100) - 1]


def staff_client(staff: Staff) -> Client:
    """A session as after password and second factor, as the test suite logs in."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=staff.user, name="bench", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(staff.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LOGIN_AT] = session[LAST_SEEN] = time.time()
    session.save()
    return client


def api_headers(staff: Staff) -> dict[str, str]:
    from mestring.api.models import SCOPES

    with activate(staff.municipality):
        created = token_create(
            actor=system_actor(staff.municipality),
            staff=staff,
            name="Ytelsestest",
            scopes=list(SCOPES),
            expires_at=None,
        )
    return {"Authorization": f"Bearer {created.raw}"}


def measure_page(
    client: Client, name: str, url: str, repeat: int, headers: dict[str, str] | None = None
) -> PageFigure:
    client.get(url, headers=headers)  # warm-up: templates and caches, as on a running server
    times = []
    status = 0
    with CaptureQueriesContext(connection) as captured:
        for _ in range(repeat):
            before = len(captured.captured_queries)
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            status = response.status_code
            queries = len(captured.captured_queries) - before
    return PageFigure(
        name=name,
        url=url,
        status=status,
        queries=queries,
        p50_ms=round(percentile(times, 0.5), 1),
        p95_ms=round(percentile(times, 0.95), 1),
    )


@dataclass(frozen=True)
class PageSubjects:
    """Who asks and about whom: the demo coordinator and one of their bench persons with
    a plan; the caseworker; the device technician."""

    coordinator: Staff
    caseworker: Staff
    technician: Staff
    person: Person
    plan: IndividualPlan
    search_text: str


def page_subjects(municipality: Municipality) -> PageSubjects:
    with activate(municipality):
        coordinator = Staff.objects.select_related("user").get(user__username="demo.koordinator")
        caseworker = Staff.objects.select_related("user").get(user__username="demo.saksbehandler")
        technician = Staff.objects.select_related("user").get(
            user__username="demo.hjelpemiddeltekniker"
        )
        plan = (
            IndividualPlan.objects.filter(person__care_relations__staff=coordinator, status="aktiv")
            .select_related("person")
            .order_by("-person__person_ref")
            .first()
        )
        if plan is None:
            raise RuntimeError("Fant ingen plan for demokoordinatoren.")
        person = plan.person
    return PageSubjects(coordinator, caseworker, technician, person, plan, person.family_name)


def page_list(subjects: PageSubjects) -> list[tuple[str, str, str]]:
    """(name, who, url): who is 'coordinator', 'caseworker', 'technician' or 'api'."""
    person_id = subjects.person.pk
    search = reverse("people:search") + f"?q={subjects.search_text}"
    return [
        ("Personsøk", "caseworker", search),
        ("Personoversikt", "coordinator", reverse("people:overview", args=[person_id])),
        (
            "Planside",
            "coordinator",
            reverse("plans:plan_view", args=[person_id, subjects.plan.pk]),
        ),
        ("Koordinators personliste", "coordinator", reverse("access:my_persons")),
        ("Koordinators oppfølging", "coordinator", reverse("teams:my_follow_ups")),
        ("Koordinerende enhets oversikt", "caseworker", reverse("reports:coordination_overview")),
        ("Innboks: meldinger", "caseworker", reverse("referrals:inbox")),
        ("Saksliste", "caseworker", reverse("casework:case_list")),
        ("Venteliste: tjenester", "caseworker", reverse("catalogue:waiting_list")),
        ("Venteliste: rehabilitering", "caseworker", reverse("rehab:waiting_list")),
        ("Sengeoversikt", "caseworker", reverse("institutions:bed_board")),
        ("Hjelpemiddellager: artikler", "technician", reverse("devices:item_list")),
        ("Hjelpemiddellager: forfalte lån", "technician", reverse("devices:overdue")),
        ("API: personsøk", "api", f"/api/persons/?q={subjects.search_text}"),
        ("API: personens planer", "api", f"/api/persons/{person_id}/plans/"),
        ("API: personens saker", "api", f"/api/persons/{person_id}/cases/"),
    ]


def measure_pages(municipality: Municipality, repeat: int) -> list[PageFigure]:
    subjects = page_subjects(municipality)
    clients = {
        "coordinator": staff_client(subjects.coordinator),
        "caseworker": staff_client(subjects.caseworker),
        "technician": staff_client(subjects.technician),
        "api": Client(),
    }
    api = api_headers(subjects.coordinator)
    figures = []
    for name, who, url in page_list(subjects):
        headers = api if who == "api" else None
        figures.append(measure_page(clients[who], name, url, repeat, headers))
    return figures


def report_year(today: datetime.date | None = None) -> int:
    return (today or datetime.date.today()).year - 1
