from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.api.models import SCOPES
from mestring.core.forms import DATE_HELP, DateInput


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på nøkkelen"),
        max_length=100,
        help_text=_("Hva nøkkelen brukes til, for eksempel «Journalintegrasjon»."),
        error_messages={"required": _("Gi nøkkelen et navn.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("Tilganger"),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Gi bare tilgangene programmet trenger."),
        error_messages={"required": _("Velg minst én tilgang.")},
    )
    expires_on = forms.DateField(
        label=_("Utløper (valgfritt)"),
        required=False,
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"invalid": _("Datoen må skrives som dd.mm.åååå.")},
    )

    def clean_expires_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Utløpsdatoen må være etter i dag."))
        return day

    def expires_at(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
