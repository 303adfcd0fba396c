"""The relative form takes the relative's identity number, checked as a person's is."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse

from mestring.people.identity import make_national_id, random_synthetic_national_id
from mestring.people.models import Relative
from mestring.register.forms import RelativeForm
from mestring.tenancy.context import activate

pytestmark = pytest.mark.django_db


def data(**overrides: str) -> dict:
    base = {"name": "Per Pårørende", "relation": "barn", "acting_basis": "fullmakt"}
    base.update(overrides)
    return base


def synthetic() -> str:
    return random_synthetic_national_id(random.Random(3), datetime.date(1970, 5, 17))


def test_valid_number_with_spaces_is_stored_as_digits():
    number = synthetic()
    form = RelativeForm(data=data(national_id=f" {number[:6]} {number[6:]} "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_id"] == number


def test_empty_number_is_allowed():
    form = RelativeForm(data=data(national_id=""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_id"] == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1234", "11 siffer"),
        ("32017012345", "gyldig dato"),
        ("01017012345", "Kontrollsifrene"),
    ],
)
def test_invalid_number_gives_a_clear_error(typed, message):
    form = RelativeForm(data=data(national_id=typed))
    assert not form.is_valid()
    assert message in " ".join(form.errors["national_id"])


def test_synthetic_number_refused_when_not_allowed(settings):
    settings.MESTRING_SYNTHETIC_IDS = False
    form = RelativeForm(data=data(national_id=synthetic()))
    assert not form.is_valid()
    assert "Syntetiske" in " ".join(form.errors["national_id"])
    real = next(n for i in range(1000) if (n := make_national_id(17, 5, 70, i)) is not None)
    assert RelativeForm(data=data(national_id=real)).is_valid()


def test_add_relative_page_saves_the_number_and_keeps_what_was_typed(world, client_for):
    client = client_for(world.owner)
    url = reverse("people:relative_add", kwargs={"person_id": world.person.pk})
    bad = client.post(url, data(national_id="0101701234x"))
    assert bad.status_code == 200
    assert 'value="0101701234x"' in bad.text
    assert "11 siffer" in bad.text
    number = synthetic()
    good = client.post(url, data(national_id=number))
    assert good.status_code == 302
    with activate(world.municipality):
        assert Relative.objects.get(person=world.person, name="Per Pårørende").national_id == number
