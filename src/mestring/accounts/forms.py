from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class PasswordLoginForm(forms.Form):
    username = forms.CharField(
        label=_("Brukernavn"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Passord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Engangskode"),
        help_text=_("Sekssifret kode fra autentiseringsappen."),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
        error_messages={
            "required": _("Skriv inn koden fra autentiseringsappen."),
            "min_length": _("Koden har seks siffer."),
            "max_length": _("Koden har seks siffer."),
        },
    )


class EnrolForm(CodeForm):
    """First login: the administrator's one-time enrolment code and the app's first code."""

    enrolment_code = forms.CharField(
        label=_("Registreringskode"),
        help_text=_(
            "Engangskoden du fikk av administrator da brukeren ble opprettet eller "
            "autentiseringsappen ble tilbakestilt."
        ),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={
            "required": _("Skriv inn registreringskoden du fikk av administrator."),
            "max_length": _("Registreringskoden har åtte tegn."),
        },
    )

    field_order = ["enrolment_code", "code"]

    def __init__(self, *args: Any, enrolment_code_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not enrolment_code_required:
            del self.fields["enrolment_code"]
