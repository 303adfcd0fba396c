from __future__ import annotations

import pytest

from mestring.people.models import Staff
from tests.conftest import make_staff


@pytest.fixture
def lead(world) -> Staff:
    """Leader of the coordinating unit: registers and triages, no relation to world.person."""
    return make_staff(world.municipality, "leder_ke", "ke-leder")
