"""Give municipalities created before service decisions the default legal text for them."""

from django.db import migrations


def add_service_legal_basis(apps, schema_editor):
    from mestring.casework.defaults import DEFAULT_LEGAL_BASES

    LegalBasis = apps.get_model("casework", "LegalBasis")
    Municipality = apps.get_model("tenancy", "Municipality")
    code, title, text = next(entry for entry in DEFAULT_LEGAL_BASES if entry[0] == "tjenester")
    for municipality in Municipality._base_manager.all():
        LegalBasis._base_manager.get_or_create(
            municipality=municipality, code=code, defaults={"title": title, "text": text}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_service_decisions"),
        ("tenancy", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_service_legal_basis, migrations.RunPython.noop)]
