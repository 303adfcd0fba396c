"""`mestring enrolment-code`: the operator's way to let a user enrol (L9)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from mestring.access.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_command_prints_a_new_enrolment_code_and_audits_it(world):
    user = world.owner.user
    factories.confirmed_device(user)
    out = StringIO()
    call_command("enrolment-code", user.username.upper(), stdout=out)
    code = out.getvalue().strip()
    user.refresh_from_db()
    assert check_password(code.replace("-", ""), user.enrolment_code)
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AuditEvent.all_objects.get(action="reset_second_factor")
    assert (event.object_id, event.role, event.municipality_id) == (
        str(world.owner.pk),
        "enrolment-code",
        world.municipality.pk,
    )


def test_unknown_user_is_a_clear_error(world):
    with pytest.raises(CommandError, match="Fant ingen bruker med brukernavnet"):
        call_command("enrolment-code", "finnes-ikke", stdout=StringIO())
