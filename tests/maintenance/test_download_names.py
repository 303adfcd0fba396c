"""(L5) Download file names cannot break the Content-Disposition header: the innsyn copy is
named after the person's reference, which staff type and import."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from mestring.core.downloads import ascii_filename, content_disposition
from tests import factories
from tests.conftest import make_staff

pytestmark = pytest.mark.attack

INJECTION = '"\r\nSet-Cookie: x=1'


def filename_of(header: str) -> str:
    """The name a browser saves: filename* where present, else filename."""
    extended = re.search(r"filename\*=UTF-8''([^;]+)", header)
    if extended:
        return unquote(extended.group(1))
    return re.search(r'filename="([^"]*)"', header).group(1)


def test_a_plain_name_is_written_as_it_is():
    assert content_disposition("vedtak-12.pdf", inline=True) == 'inline; filename="vedtak-12.pdf"'
    assert content_disposition("frister-alle.csv") == 'attachment; filename="frister-alle.csv"'


def test_quotes_semicolons_and_line_breaks_never_reach_the_header():
    header = content_disposition(f"innsyn-{INJECTION}.json")
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="innsyn-_Set-Cookie_x_1.json"; filename*=')
    assert header.count('"') == 2
    assert filename_of(header) == 'innsyn-"Set-Cookie: x=1.json'


def test_norwegian_letters_keep_their_real_name_in_filename_star():
    header = content_disposition("Bø i Telemark Ås/1.csv")
    assert ascii_filename("Bø i Telemark Ås/1.csv") == "Bo_i_Telemark_As_1.csv"
    assert filename_of(header) == "Bø i Telemark Ås_1.csv"
    assert content_disposition("\r\n") == 'attachment; filename="fil"'


@pytest.mark.django_db
def test_the_innsyn_download_header_is_one_well_formed_value(world, client_for):
    person = factories.PersonFactory(municipality=world.municipality, person_ref=INJECTION)
    leader = make_staff(world.municipality, "leder_ke", "ledernavn")
    factories.grant_relation(leader, person)
    url = reverse("maintenance:person_innsyn", kwargs={"person_id": person.pk})
    response = client_for(leader).get(url, {"format": "json"})
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header == (
        'attachment; filename="innsyn-_Set-Cookie_x_1.json"; '
        "filename*=UTF-8''innsyn-%22Set-Cookie%3A%20x%3D1.json"
    )
    assert "x" not in response.cookies
    assert not [name for name, _value in response.items() if name.lower() == "set-cookie"]
