"""The upload form for a FHIR Bundle."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024


class BundleImportForm(forms.Form):
    file = forms.FileField(
        label=_("FHIR Bundle (JSON)"),
        error_messages={
            "required": _("Velg en fil å laste opp."),
            "empty": _("Filen er tom."),
        },
        help_text=_(
            "En FHIR R4 Bundle i JSON, for eksempel eksportert fra en annen kommune. "
            "Største tillatte størrelse er 5 MB."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor. Største tillatte størrelse er 5 MB."))
        self.file_name = upload.name
        return upload.read()
