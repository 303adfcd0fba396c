"""Every page and API call the benchmark measures costs the same number of queries on a
small municipality as on one three times its size.

The pages are those of `bench.measure.page_list`, so a page added to the benchmark is
counted here too. The municipality is built small and measured, then built again on
top (three times the persons, cases, plans, items …) and measured again with the same
request shape: the same coordinator's worklist, the same caseworker's lists, the same
person's pages (whose history is made three times longer as well) and a search for the
same name. One query per row anywhere shows up as a difference.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mestring.bench.build import (
    BENCH_REF,
    FAMILY,
    Size,
    add_history,
    build_large_municipality,
)
from mestring.bench.measure import PageSubjects, api_headers, page_list, page_subjects, staff_client
from mestring.casework.models import Case
from mestring.demo.build import DEMO_NUMBER, build_demo
from mestring.devices.models import Loan
from mestring.people.models import Person
from mestring.tenancy.models import Municipality

pytestmark = pytest.mark.django_db

SMALL = Size(persons=60, open_cases=10, years=2)
MORE = Size(persons=120, open_cases=20, years=2)  # built on top: 180 persons in all
# The history of the person whose pages are measured, at each step.
HISTORY_SMALL = Size(persons=50, open_cases=3, years=1)
HISTORY_MORE = Size(persons=100, open_cases=6, years=1)

# Lists already a full page on the demo data: their last page is counted too.
LAST_PAGE = {"Koordinators personliste", "Hjelpemiddellager: artikler"}
# Lists that show more rows on the larger municipality whatever today's date, so that a
# query per row shows. (The inbox, follow-ups, service waiting list, bed board and
# overdue loans show demo data the bench does not add to, and the rehabilitation waiting
# list grows only on some dates: for those the test finds queries that grow with the
# size of the municipality, not per row.)
GROWING = {
    "Personsøk",
    "Koordinators personliste, siste side",
    "Saksliste",
    "Hjelpemiddellager: artikler, siste side",
    "API: personsøk",
    "API: personens saker",
}


@dataclasses.dataclass(frozen=True)
class Count:
    queries: int
    rows: int
    page: int | None  # the page of a paginated list


def rows_shown(content: bytes, is_api: bool) -> int:
    if is_api:
        return len(json.loads(content)["items"])
    return content.count(b"<tr")


def count_queries(subjects: PageSubjects, pages: dict[str, int] | None = None) -> dict[str, Count]:
    """Queries and rows of each page; the lists in LAST_PAGE again at the page number
    `pages` gives, or at their last page."""
    clients = {
        "coordinator": staff_client(subjects.coordinator),
        "caseworker": staff_client(subjects.caseworker),
        "technician": staff_client(subjects.technician),
        "api": Client(),
    }
    api = api_headers(subjects.coordinator)
    counts = {}
    listed = page_list(subjects)
    for name, who, url in list(listed):
        if name in LAST_PAGE:
            last = f"{name}, siste side"
            listed.append((last, who, f"{url}?side={(pages or {}).get(last, 999)}"))
    for name, who, url in listed:
        headers = api if who == "api" else {}
        client = clients[who]
        client.get(url, headers=headers)  # warm-up, as the benchmark does
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = Count(
            queries=len(captured.captured_queries),
            rows=rows_shown(response.content, who == "api"),
            page=response.context["page"].number if name.endswith("siste side") else None,
        )
    return counts


def stems() -> list[str]:
    """The first parts of the bench's family names (Berg for Berg, Bergrud, Bergheim …)."""
    return [
        name
        for name in FAMILY
        if name.isascii() and not any(name != other and name.startswith(other) for other in FAMILY)
    ]


def name_to_search(municipality: Municipality) -> str:
    """A family-name stem that a few persons answer to, none of them the demo's."""
    persons = Person.all_objects.filter(municipality=municipality)
    for stem in stems():
        answering = persons.filter(
            Q(given_name__istartswith=stem) | Q(family_name__istartswith=stem)
        )
        demo = answering.exclude(person_ref__startswith=BENCH_REF)
        if 1 <= answering.count() <= 6 and not demo.exists():
            return stem
    raise AssertionError("Fant ikke et navn å søke på.")


def test_every_benchmarked_page_costs_the_same_queries_at_two_sizes():
    build_demo()
    municipality = Municipality.objects.get(number=DEMO_NUMBER)
    build_large_municipality(municipality, SMALL, seed=1)
    subjects = dataclasses.replace(
        page_subjects(municipality), search_text=name_to_search(municipality)
    )
    person = subjects.person
    add_history(municipality, [person], HISTORY_SMALL, seed=2)
    small = count_queries(subjects)
    cases, loans = (
        Case.all_objects.filter(person=person).count(),
        Loan.all_objects.filter(person=person).count(),
    )

    build_large_municipality(municipality, MORE, seed=3)
    add_history(municipality, [person], HISTORY_MORE, seed=4)
    # The same page of the lists as before, now with more rows on it.
    large = count_queries(subjects, {n: c.page for n, c in small.items() if c.page})

    # Every page: the same number of queries.
    assert small.keys() == large.keys()
    differ = {
        name: (small[name].queries, large[name].queries)
        for name in small
        if small[name].queries != large[name].queries
    }
    assert not differ, differ

    # And the data did grow: three times the persons, a longer history for the person,
    # more rows on the lists that are not full at the small size.
    bench = Person.all_objects.filter(municipality=municipality, person_ref__startswith=BENCH_REF)
    assert bench.count() == SMALL.persons + MORE.persons
    assert Case.all_objects.filter(person=person).count() > cases > 0
    assert Loan.all_objects.filter(person=person).count() > loans > 0
    not_grown = {n for n in GROWING if not large[n].rows > small[n].rows > 0}
    assert not not_grown, {n: (small[n].rows, large[n].rows) for n in not_grown}

    # The person's pages measured are the guarded ones: staff without a care relation
    # to the person (the device technician) are refused.
    outsider = staff_client(subjects.technician)
    for name in ("Personoversikt", "Planside"):
        url = next(url for page, _who, url in page_list(subjects) if page == name)
        assert outsider.get(url).status_code == 403, name
