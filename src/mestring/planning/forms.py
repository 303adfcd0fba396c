"""Forms for planning: the population upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024
FORMATS = [
    ("csv", _("CSV med kolonnene region,age_group,year,count")),
    ("jsonstat", _("JSON-stat 2.0, slik SSBs statistikkbank leverer den")),
]


class PopulationImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=FORMATS,
        widget=forms.RadioSelect,
        initial="csv",
        error_messages={"required": _("Velg formatet til filen.")},
    )
    file = forms.FileField(
        label=_("Fil"),
        error_messages={
            "required": _("Velg en fil å laste opp."),
            "empty": _("Filen er tom."),
        },
        help_text=_(
            "UTF-8. CSV: én rad per region, aldersgruppe og år, for eksempel "
            "«1824,67-79,2030,412». Aldersgrupper skrives som 0-5, 67-79 eller 90+."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor. Største tillatte størrelse er 5 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("Filen er ikke lagret som UTF-8. Lagre den som UTF-8 og prøv igjen.")
            ) from exc
        self.file_name = upload.name
        return text
