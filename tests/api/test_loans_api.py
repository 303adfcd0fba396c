"""Assistive-device loans over the API: a person's loans (list, read, order, cancel) and
the store's work (deliveries, overdue, deliver, return) with the store's permission."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.devices.models import Item, Loan
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.conftest import make_staff
from tests.devices.loan_helpers import deliver, give_back, make_item, order

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
TODAY = timezone.localdate  # called per use: a run may pass midnight


def days_ago(n: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=n)


def new_rows(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def post(client, url: str, data: dict, raw: str):
    return client.post(url, data=data, content_type="application/json", **bearer(raw))


@pytest.fixture
def loans(world):
    """world.person: one ordered, one delivered and overdue, one returned."""
    m = world.municipality
    for label in ("R-1", "R-2", "R-3", "R-4"):
        make_item(m, label)
    ordered = order(world.owner, world.person, "R-1", on=days_ago(2))
    overdue = order(world.owner, world.person, "R-2", on=days_ago(60), expected=days_ago(5))
    deliver(world.owner, overdue, on=days_ago(58))
    returned = order(world.owner, world.person, "R-3", on=days_ago(100))
    deliver(world.owner, returned, on=days_ago(99))
    give_back(world.owner, returned, on=days_ago(70), condition="slitt")
    return {"ordered": ordered, "overdue": overdue, "returned": returned}


@pytest.fixture
def technician(world):
    return make_staff(world.municipality, "hjelpemiddeltekniker", "tekniker")


def test_list_read_filters_and_pagination(world, client, loans):
    raw = make_token(world.owner, ["devices:read"])
    base = f"/api/persons/{world.person.pk}/loans/"
    before = AuditEvent.all_objects.count()
    page = client.get(base, **bearer(raw))
    assert page.status_code == 200, page.content
    rows = new_rows(before)
    assert len(rows) == 1 and rows[0].person_id == world.person.pk and rows[0].reason_code
    ordered, overdue, returned = (loans[k].pk for k in ("ordered", "overdue", "returned"))
    assert [i["id"] for i in page.json()["items"]] == [ordered, overdue, returned]

    def ids(query: str) -> list[int]:
        response = client.get(base + query, **bearer(raw))
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["items"]]

    assert ids("?status=bestilt") == [ordered]
    assert ids("?status=utlant") == [overdue]
    assert ids("?status=returnert") == [returned]
    assert ids("?overdue=true") == [overdue]
    assert ids("?overdue=false") == [ordered, returned]
    assert ids(f"?date_from={days_ago(60)}") == [ordered, overdue]
    assert ids(f"?date_to={days_ago(61)}") == [returned]
    page = client.get(base + "?limit=2&offset=1", **bearer(raw)).json()
    assert (page["count"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [i["id"] for i in page["items"]] == [overdue, returned]
    before = AuditEvent.all_objects.count()
    one = client.get(f"{base}{returned}/", **bearer(raw))
    assert one.status_code == 200 and len(new_rows(before)) == 1
    body = one.json()
    assert (body["item_label"], body["device_type"], body["owner"]) == (
        "R-3",
        "Rullator",
        "kommune",
    )
    assert (body["status"], body["return_condition"], body["overdue"]) == (
        "returnert",
        "slitt",
        False,
    )
    assert client.get(f"{base}{overdue}/", **bearer(raw)).json()["overdue"] is True
    bad = client.get(base + "?status=borte&date_from=2101-01-01", **bearer(raw))
    assert bad.status_code == 422
    messages = {e["field"]: e["message"] for e in bad.json()["errors"]}
    assert messages == {
        "status": "Velg en av de tillatte verdiene.",
        "date_from": "Velg en dato fra år 2000 til 2100.",
    }


def test_person_refusals(world, client, loans):
    base = f"/api/persons/{world.person.pk}/loans/"
    urls = [base, f"{base}{loans['ordered'].pk}/"]
    outsider = make_token(world.outsider)
    for url in urls:
        response = client.get(url, **bearer(outsider))
        assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    no_scope = make_token(world.owner, ["stays:read"])
    for url in urls:
        assert client.get(url, **bearer(no_scope)).status_code == 403
    make_item(world.municipality, "R-9")
    payload = {"label": "R-9", "ordered_on": str(TODAY()), "expected_return_on": str(TODAY())}
    assert post(client, base, payload, outsider).status_code == 403
    assert post(client, base, payload, make_token(world.owner, ["devices:read"])).status_code == 403
    cancel = f"{base}{loans['ordered'].pk}/cancel/"
    assert post(client, cancel, {}, outsider).status_code == 403
    assert Item.all_objects.get(label="R-9").status == "ledig"
    # Another municipality.
    other = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=other)
    staff = factories.StaffFactory(municipality=other, user__username="annen")
    factories.give_role(staff, "tjenesteyter")
    factories.grant_relation(staff, stranger)
    make_item(other, "R-1")
    their_loan = order(staff, stranger, "R-1")
    mine = make_token(world.owner)
    response = client.get(f"/api/persons/{stranger.pk}/loans/", **bearer(mine))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert client.get(f"{base}{their_loan.pk}/", **bearer(mine)).status_code == 404
    response = client.get(base, **bearer(make_token(staff)))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)


def test_order_through_the_service(world, client):
    make_item(world.municipality, "K-1")
    make_item(world.municipality, "N-1", owner="nav")
    raw = make_token(world.owner, ["devices:write"])
    base = f"/api/persons/{world.person.pk}/loans/"
    payload = {
        "label": " K-1 ",
        "ordered_on": str(days_ago(1)),
        "expected_return_on": str(TODAY() + datetime.timedelta(days=90)),
        "note": "Til badet",
    }
    before = AuditEvent.all_objects.count()
    response = post(client, base, payload, raw)
    assert response.status_code == 201, response.content
    loan = Loan.all_objects.get(pk=response.json()["id"])
    assert (loan.person, loan.ordered_by, loan.note) == (world.person, world.owner, "Til badet")
    assert Item.all_objects.get(label="K-1").status == "utlant"
    actions = [e.action for e in new_rows(before)]
    assert actions.count("devices.loan.order") == 1 and "view" not in actions
    assert response.json()["status"] == "bestilt"
    # The item is reserved now: a second order is refused.
    again = post(client, base, payload, raw)
    assert again.status_code == 409
    assert again.json()["detail"] == "Hjelpemiddelet K-1 er ikke ledig (status: Utlånt)."
    # More than two years from the municipality: apply to NAV instead.
    long = {**payload, "label": "N-1", "expected_return_on": "2099-01-01"}
    make_item(world.municipality, "K-2")
    too_long = post(client, base, {**long, "label": "K-2"}, raw)
    # A rule of the loan (RuleBroken, 422); only the item's state is a conflict (409).
    assert too_long.status_code == 422
    assert "NAV" in too_long.json()["detail"]
    assert Item.all_objects.get(label="K-2").status == "ledig"
    unknown = post(client, base, {**payload, "label": "FINNES-IKKE"}, raw)
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "Fant ikke noe hjelpemiddel med merkelappen «FINNES-IKKE»."
    assert [e["field"] for e in unknown.json()["errors"]] == ["label"]


def test_order_invalid_input_is_422_in_norwegian(world, client):
    make_item(world.municipality, "K-1")
    raw = make_token(world.owner, ["devices:write"])
    base = f"/api/persons/{world.person.pk}/loans/"
    tomorrow = str(TODAY() + datetime.timedelta(days=1))
    response = post(client, base, {"label": "K-1", "ordered_on": tomorrow}, raw)
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages == {
        "ordered_on": "Datoen kan ikke være fram i tid.",
        "expected_return_on": "Feltet må fylles ut.",
    }
    good = {"label": "K-1", "ordered_on": str(TODAY()), "expected_return_on": str(TODAY())}
    cases = [
        ({**good, "label": "  "}, "label", "Skann eller skriv merkelappen på hjelpemiddelet."),
        (
            {**good, "expected_return_on": str(days_ago(1))},
            "expected_return_on",
            "Forventet tilbake kan ikke være før bestillingsdatoen.",
        ),
        (
            {**good, "decision_id": 1, "measure_id": 1},
            "measure_id",
            "Velg enten et vedtak eller et tiltak, ikke begge.",
        ),
        ({**good, "decision_id": 77}, "decision_id", "Velg et av personens vedtak."),
        ({**good, "measure_id": 77}, "measure_id", "Velg et tiltak i personens plan."),
    ]
    for payload, field, message in cases:
        response = post(client, base, payload, raw)
        assert response.status_code == 422, payload
        assert response.json()["errors"] == [{"field": field, "message": message}]
    assert not Loan.all_objects.exists()


def test_cancel_before_delivery(world, client, loans):
    raw = make_token(world.owner, ["devices:write"])
    base = f"/api/persons/{world.person.pk}/loans/"
    delivered = post(client, f"{base}{loans['overdue'].pk}/cancel/", {}, raw)
    assert delivered.status_code == 409
    before = AuditEvent.all_objects.count()
    response = post(client, f"{base}{loans['ordered'].pk}/cancel/", {}, raw)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "loan_id": loans["ordered"].pk,
        "item_label": "R-1",
        "item_status": "ledig",
    }
    assert not Loan.all_objects.filter(pk=loans["ordered"].pk).exists()
    assert [e.action for e in new_rows(before)].count("devices.loan.cancel") == 1
    assert post(client, f"{base}{loans['ordered'].pk}/cancel/", {}, raw).status_code == 404


def test_store_work_needs_the_store_permission(world, client, loans, technician):
    other = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=other)
    staff = factories.StaffFactory(municipality=other, user__username="annen")
    factories.give_role(staff, "tjenesteyter")
    make_item(other, "X-1")
    their_loan = order(staff, stranger, "X-1")
    # The coordinator with a care relation is not the store: refused, as on the web.
    owner = make_token(world.owner)
    deliver_url = f"/api/loans/{loans['ordered'].pk}/deliver/"
    assert client.get("/api/loans/deliveries/", **bearer(owner)).status_code == 403
    assert client.get("/api/loans/overdue/", **bearer(owner)).status_code == 403
    assert post(client, deliver_url, {"delivered_on": str(TODAY())}, owner).status_code == 403
    outsider = make_token(world.outsider)
    assert client.get("/api/loans/deliveries/", **bearer(outsider)).status_code == 403
    no_scope = make_token(technician, ["devices:read"])
    assert post(client, deliver_url, {"delivered_on": str(TODAY())}, no_scope).status_code == 403
    raw = make_token(technician, ["devices:read", "devices:write"])
    before = AuditEvent.all_objects.count()
    page = client.get("/api/loans/deliveries/", **bearer(raw))
    assert page.status_code == 200
    assert [(e.object_type, e.person_id) for e in new_rows(before)] == [
        ("devices.deliveries", None)
    ]
    items = page.json()["items"]
    assert [i["id"] for i in items] == [loans["ordered"].pk]  # not the other municipality's
    assert set(items[0]) == {
        "id", "person_name", "street_address", "postal_code", "postal_town", "phone",
        "item_label", "device_type", "owner", "status", "ordered_on", "delivered_on",
        "expected_return_on", "returned_on",
    }  # fmt: skip
    overdue = client.get("/api/loans/overdue/?limit=1", **bearer(raw)).json()
    assert (overdue["count"], [i["id"] for i in overdue["items"]]) == (1, [loans["overdue"].pk])
    # Another municipality's loan is not found.
    url = f"/api/loans/{their_loan.pk}/deliver/"
    assert post(client, url, {"delivered_on": str(TODAY())}, raw).status_code == 404


def test_deliver_and_return_through_the_services(world, client, loans, technician):
    raw = make_token(technician, ["devices:write"])
    loan = loans["ordered"]
    url = f"/api/loans/{loan.pk}/deliver/"
    early = post(client, url, {"delivered_on": str(days_ago(3))}, raw)
    assert early.status_code == 422
    assert early.json()["detail"] == "Utleveringsdatoen kan ikke være før bestillingsdatoen."
    future = post(client, url, {"delivered_on": str(TODAY() + datetime.timedelta(days=1))}, raw)
    assert future.status_code == 422
    assert future.json()["errors"][0]["message"] == "Datoen kan ikke være fram i tid."
    # Return before delivery is refused.
    back = f"/api/loans/{loan.pk}/return/"
    not_out = post(client, back, {"returned_on": str(TODAY()), "condition": "god"}, raw)
    assert not_out.status_code == 409
    before = AuditEvent.all_objects.count()
    response = post(client, url, {"delivered_on": str(days_ago(1))}, raw)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "utlant"
    loan.refresh_from_db()
    assert (loan.delivered_on, loan.delivered_by) == (days_ago(1), technician)
    assert [e.action for e in new_rows(before)] == ["devices.loan.deliver"]
    assert post(client, url, {"delivered_on": str(TODAY())}, raw).status_code == 409
    bad = post(client, back, {"returned_on": str(TODAY()), "condition": "knust"}, raw)
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "condition", "message": "Velg en av de tillatte verdiene."}
    ]
    before = AuditEvent.all_objects.count()
    payload = {"returned_on": str(TODAY()), "condition": "skadet", "note": "Brukket hjul"}
    response = post(client, back, payload, raw)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returnert"
    loan.refresh_from_db()
    assert (loan.returned_on, loan.return_condition, loan.received_by, loan.return_note) == (
        TODAY(),
        "skadet",
        technician,
        "Brukket hjul",
    )
    assert loan.item.status == "reparasjon"  # damaged: straight to repair
    actions = [e.action for e in new_rows(before)]
    assert actions.count("devices.loan.return") == 1 and "view" not in actions
    again = post(client, back, payload, raw)
    assert (again.status_code, again.json()["detail"]) == (409, "Utlånet er allerede avsluttet.")
