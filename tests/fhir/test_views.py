"""The person's FHIR download, the import page, and the `mestring fhir` command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.people.models import Person
from mestring.plans.models import IndividualPlan
from tests import factories
from tests.fhir.bundles import resources, substance, validate
from tests.fhir.helpers import rich_person
from tests.fhir.test_import import minimal_bundle, synthetic

pytestmark = pytest.mark.django_db


def test_owner_downloads_the_bundle(world, client_for):
    rich_person(world)
    before = AuditEvent.all_objects.count()
    response = client_for(world.owner).get(reverse("fhir:person_export", args=[world.person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="fhir-person-{world.person.pk}.json"'
    )
    bundle = json.loads(response.content)
    validate(bundle)
    assert resources(bundle, "Patient")[0]["identifier"][0]["value"] == world.person.national_id
    (event,) = AuditEvent.all_objects.filter(pk__gt=0).order_by("-pk")[:1]
    assert AuditEvent.all_objects.count() == before + 1  # exactly one row per response
    assert (event.action, event.object_type, event.person_id) == ("export", "fhir", world.person.pk)
    assert event.username == "eier"


def test_outsider_is_refused_the_download(world, client_for):
    response = client_for(world.outsider).get(reverse("fhir:person_export", args=[world.person.pk]))
    assert response.status_code == 403
    refused = AuditEvent.all_objects.get(username="utenforstaende", outcome="refused")
    assert refused.action == "export"


def test_download_is_get_only(world, client_for):
    url = reverse("fhir:person_export", args=[world.person.pk])
    assert client_for(world.owner).post(url).status_code == 405


def upload(content: bytes, name: str = "bundle.json") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="application/fhir+json")}


def test_caseworker_imports_a_bundle(world, client_for):
    client = client_for(world.caseworker)
    url = reverse("fhir:import")
    page = client.get(url)
    assert page.status_code == 200 and "Importer FHIR Bundle" in page.content.decode()
    bundle = minimal_bundle(synthetic())
    response = client.post(url, upload(json.dumps(bundle).encode()))
    assert response.status_code == 302 and response.url == url
    person = Person.all_objects.get(municipality=world.municipality, family_name="Testesen")
    assert IndividualPlan.all_objects.filter(person=person).count() == 1
    shown = client.get(url).content.decode()
    assert "Importert fra bundle.json: 5 nye, 0 endret, 0 uendret." in shown


def test_import_page_shows_the_errors_and_saves_nothing(world, client_for):
    client = client_for(world.caseworker)
    bundle = minimal_bundle(synthetic())
    bundle["entry"][0]["resource"]["identifier"] = []
    response = client.post(reverse("fhir:import"), upload(json.dumps(bundle).encode()))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Filen har 1 feil og er ikke importert" in text
    assert "Patient mangler fødselsnummer eller D-nummer" in text
    assert not Person.all_objects.filter(family_name="Testesen").exists()
    response = client.post(reverse("fhir:import"), upload(b"ikke json"))
    assert "Filen er ikke gyldig JSON" in response.content.decode()
    response = client.post(reverse("fhir:import"), {})
    assert "Velg en fil å laste opp." in response.content.decode()


def test_import_page_needs_the_register_permission(world, client_for):
    for staff in (world.outsider, world.owner, world.read_only):
        assert client_for(staff).get(reverse("fhir:import")).status_code == 403


def test_command_export_and_import(world, tmp_path):
    rich_person(world)
    out = io.StringIO()
    call_command(
        "fhir", "export", "--municipality", "9001", "--person", world.person.person_ref, stdout=out
    )
    bundle = json.loads(out.getvalue())
    validate(bundle)
    assert AuditEvent.all_objects.filter(action="export", object_type="fhir").count() == 1

    factories.make_municipality("9002", "Andrekommune")
    path = write_json(tmp_path, bundle)
    out = io.StringIO()
    call_command("fhir", "import", str(path), "--municipality", "9002", stdout=out)
    assert "7 nye, 0 endret, 0 uendret" in out.getvalue()
    person = Person.all_objects.get(municipality__number="9002")
    out = io.StringIO()
    person.person_ref = "IMP-1"
    person.save()
    call_command("fhir", "export", "--municipality", "9002", "--person", "IMP-1", stdout=out)
    assert substance(json.loads(out.getvalue())) == substance(bundle)
    out = io.StringIO()
    call_command("fhir", "import", str(path), "--municipality", "9002", stdout=out)
    assert "0 nye, 0 endret, 6 uendret" in out.getvalue()


def write_json(directory: Path, bundle: dict) -> Path:
    path = directory / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


def test_command_errors(world, tmp_path):
    with pytest.raises(CommandError, match="Fant ingen person med referansen"):
        call_command("fhir", "export", "--municipality", "9001", "--person", "FINNES-IKKE")
    with pytest.raises(CommandError, match="Finner ikke filen"):
        call_command("fhir", "import", "/finnes/ikke.json", "--municipality", "9001")
    path = write_json(tmp_path, {"resourceType": "Patient"})
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 feil i"):
        call_command("fhir", "import", str(path), "--municipality", "9001", stderr=err)
    assert "resourceType må være «Bundle»" in err.getvalue()
    with pytest.raises(CommandError, match="Fant ingen kommune"):
        call_command("fhir", "import", str(path), "--municipality", "9999")
