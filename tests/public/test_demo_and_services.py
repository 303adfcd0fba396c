"""The demo data for the public pages, and service rules not reached through a page."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from mestring.access.actor import system_actor
from mestring.public import services
from mestring.public.demo import build_public_demo
from mestring.public.models import OrganisationStatus, PublicProfile, UserOrganisation
from mestring.tenancy.context import activate
from tests import factories
from tests.public.helpers import make_org

pytestmark = pytest.mark.django_db


def test_demo_builds_profile_and_organisations_once(world):
    unit = factories.UnitFactory(
        municipality=world.municipality, name="Tjenestekontor og koordinerende enhet"
    )
    today = timezone.localdate()
    with activate(world.municipality):
        build_public_demo(random.Random(1), today)
        build_public_demo(random.Random(2), today)
        organisations = list(UserOrganisation.objects.all())
        profile = PublicProfile.objects.get()
        with_events = [o for o in organisations if o.events.filter(starts_on__gte=today).exists()]
    assert profile.coordinating_unit == unit
    approved = [o for o in organisations if o.status == OrganisationStatus.APPROVED]
    pending = [o for o in organisations if o.status == OrganisationStatus.PENDING]
    assert len(approved) == 5 and len(pending) == 1
    assert all(o.email.endswith("@demo.invalid") for o in organisations)
    assert with_events == approved


def test_approving_twice_and_rejecting_twice_are_refused(world, mailoutbox):
    organisation = make_org(world.municipality)
    actor = system_actor(world.municipality)
    with activate(world.municipality):
        with pytest.raises(services.PublicRuleError):
            services.organisation_approve(
                actor=actor, organisation=organisation, link_builder=lambda token: token
            )
        services.organisation_reject(actor=actor, organisation=organisation, reason="Nei.")
        with pytest.raises(services.PublicRuleError):
            services.organisation_reject(actor=actor, organisation=organisation, reason="Nei.")
        with pytest.raises(services.PublicRuleError):
            services.organisation_update(actor=actor, organisation=organisation, data={})
    assert mailoutbox == []


def test_a_token_lasts_ninety_days(world, mailoutbox):
    organisation = make_org(world.municipality, status=OrganisationStatus.PENDING)
    with activate(world.municipality):
        services.organisation_approve(
            actor=system_actor(world.municipality),
            organisation=organisation,
            link_builder=lambda token: f"https://x/{token}/",
        )
    left = organisation.edit_token_expires_at - timezone.now()
    assert datetime.timedelta(days=89) < left <= datetime.timedelta(days=90)
    assert len(mailoutbox) == 1
