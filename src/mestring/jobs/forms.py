from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mestring.jobs.models import NotificationChannel


class PreferenceForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Hvordan vil du få beskjed om nye påminnelser?"),
        help_text=_(
            "E-posten sier bare at du har en ny påminnelse, med en lenke hit. "
            "Den inneholder aldri navn eller helseopplysninger."
        ),
        choices=NotificationChannel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Velg hvordan du vil få beskjed."),
            "invalid_choice": _("Velg en av måtene å bli varslet på."),
        },
    )
