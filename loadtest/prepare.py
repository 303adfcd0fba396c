"""Prepare a database for the load test: migrations, demo data, API tokens, and the list of
pages each demo user may open (probed once with Django's test client).

Run with DATABASE_URL pointing at a fresh SQLite file and MESTRING_DEMO_2FA_BYPASS=1;
writes the fixture JSON that `locustfile.py` reads. Synthetic demo data only.
"""

from __future__ import annotations

import io
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mestring.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from mestring.access.models import CareRelation  # noqa: E402
from mestring.demo.build import DEFAULT_PASSWORD  # noqa: E402
from mestring.people.models import Person, Staff  # noqa: E402
from mestring.plans.models import IndividualPlan  # noqa: E402
from mestring.tenancy.context import activate  # noqa: E402
from mestring.tenancy.models import Municipality  # noqa: E402

USERS = ["demo.koordinator", "demo.saksbehandler", "demo.ke-leder", "demo.hjelpemiddeltekniker"]
# Main pages without a person; each user gets those that answer 200 for them.
LIST_PAGES = {
    "person search": "/personer/?q=a",
    "work list: follow-ups": "/oppfolging/",
    "work list: cases": "/saker/",
    "work list: deadlines": "/frister/",
    "work list: messages": "/meldinger/",
    "work list: plan revisions": "/koordinatorer/revisjon/",
    "bed board": "/institusjoner/sengeoversikt/",
    "device store": "/hjelpemidler/",
}
SCOPES = "persons:read,plans:read"


def main(out_path: str) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo", stdout=io.StringIO())
    municipality = Municipality.objects.get(number="9999")
    fixture: dict = {"password": DEFAULT_PASSWORD, "users": {}}
    with activate(municipality):
        for username in USERS:
            staff = Staff.objects.get(user__username=username)
            related = list(
                CareRelation.objects.active()
                .for_staff(staff)
                .values_list("person_id", flat=True)
                .distinct()[:20]
            )
            unrelated = list(
                Person.objects.exclude(care_relations__staff=staff).values_list("pk", flat=True)[:5]
            )
            plans = list(
                IndividualPlan.objects.filter(person_id__in=related).values_list("person_id", "pk")[
                    :10
                ]
            )
            out = io.StringIO()
            call_command(
                "api-token",
                "create",
                user=username,
                municipality="9999",
                scopes=SCOPES,
                name="Lasttest",
                stdout=out,
            )
            client = Client()
            response = client.post(
                "/logg-inn/", {"username": username, "password": DEFAULT_PASSWORD}
            )
            if response.status_code != 302:
                sys.exit(f"Innlogging for {username} feilet (MESTRING_DEMO_2FA_BYPASS=1?).")
            pages = {n: u for n, u in LIST_PAGES.items() if client.get(u).status_code == 200}
            # Keep only what answers as expected now, so the load test checks the server
            # under load rather than the demo data's corners.
            related = [p for p in related if client.get(f"/personer/{p}/").status_code == 200]
            unrelated = [
                p for p in unrelated if client.get(f"/personer/{p}/").status_code in (403, 404)
            ]
            fixture["users"][username] = {
                "token": out.getvalue().strip(),
                "persons": related,
                "plans": [f"/personer/{p}/plan/{plan}/" for p, plan in plans],
                "unrelated": unrelated,
                "pages": pages,
            }
    covered = {name for user in fixture["users"].values() for name in user["pages"]}
    missing = set(LIST_PAGES) - covered
    if missing:
        sys.exit(f"Ingen demobruker kan åpne: {', '.join(sorted(missing))}")
    if not all(u["persons"] and u["unrelated"] for u in fixture["users"].values()):
        sys.exit("Demodataene mangler personer med og uten tjenstlig behov.")
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(fixture, fh, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
