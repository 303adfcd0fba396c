"""(I4) The access log's retention has a floor the municipality cannot lower."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mestring.access.actor import system_actor
from mestring.access.audit import record_event
from mestring.access.models import AuditEvent
from mestring.maintenance import retention, services
from mestring.maintenance.models import RetentionPolicy
from mestring.tenancy.context import activate

pytestmark = pytest.mark.django_db

PERIODS = {
    "referrals_years": 10,
    "cases_years": 10,
    "plans_years": 10,
    "episodes_years": 10,
    "stays_years": 10,
    "loans_years": 5,
    "audit_years": 10,
    "persons_years": 10,
}


@pytest.mark.attack
def test_administrator_cannot_cut_audit_retention_below_the_minimum(world, client_for):
    """(I4) A municipality's administrator alone could set the access log's period to one
    year; now the form refuses anything below the installation's minimum (10 years by
    default), the service refuses it too, and the job never honours a lower value."""
    client = client_for(world.admin)
    url = reverse("maintenance:retention_settings")
    response = client.post(url, {**PERIODS, "audit_years": 1})
    assert response.status_code == 200
    assert "Tilgangsloggen må oppbevares i minst 10 år" in response.content.decode()
    assert not RetentionPolicy.all_objects.filter(audit_years__lt=10).exists()
    with activate(world.municipality), pytest.raises(services.RetentionPolicyRefused):
        services.retention_policy_update(
            actor=system_actor(world.municipality), values={"audit_years": 9}
        )
    assert client.post(url, {**PERIODS, "audit_years": 12}).status_code == 302
    assert RetentionPolicy.all_objects.get(municipality=world.municipality).audit_years == 12
    # A row written past the form (the database, an old value) does not cut the log.
    RetentionPolicy.all_objects.filter(municipality=world.municipality).update(audit_years=1)
    with activate(world.municipality):
        record_event(actor=system_actor(world.municipality), action="view", object_type="x")
        before = AuditEvent.all_objects.count()
        later = datetime.date.today() + datetime.timedelta(days=3 * 365)
        results = {r.code: r for r in retention.execute(world.municipality.pk, later)}
    assert results["audit"].years == 10
    assert AuditEvent.all_objects.count() >= before


def test_the_installation_may_set_another_minimum(world, client_for, settings):
    settings.MESTRING_AUDIT_MIN_YEARS = 3
    client = client_for(world.admin)
    url = reverse("maintenance:retention_settings")
    assert client.post(url, {**PERIODS, "audit_years": 3}).status_code == 302
    response = client.post(url, {**PERIODS, "audit_years": 2})
    assert "minst 3 år" in response.content.decode()
