from __future__ import annotations

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
