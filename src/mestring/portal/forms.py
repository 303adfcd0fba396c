"""Forms on the citizen's pages (plain words, one thing per page) and the staff's
answer form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mestring.access.models import ConsentKind
from mestring.catalogue.models import Service
from mestring.core.forms import SubmissionTokenForm
from mestring.portal import services

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _text_field(
    label: StrOrPromise, help_text: StrOrPromise = "", *, max_length: int = 3000, rows: int = 5
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Du må skrive noe her."),
            "max_length": _("Teksten er for lang (høyst %(limit_value)d tegn)."),
        },
    )


class WhatMattersForm(forms.Form):
    text = _text_field(
        _("Hva er viktig for deg?"),
        _("Skriv med dine egne ord. Koordinatoren din leser det og kan ta det inn i planen."),
    )


class CommentForm(forms.Form):
    text = _text_field(_("Din kommentar"), _("Koordinatoren din leser og svarer deg."))


class ProposalForm(forms.Form):
    text = _text_field(
        _("Målet du foreslår"),
        _("Skriv målet med dine egne ord, for eksempel «Jeg vil klare å handle selv»."),
        max_length=2000,
        rows=3,
    )


class MessageForm(forms.Form):
    body = _text_field(
        _("Melding"),
        _("Skriv ikke mer om helsen din enn det koordinatoren trenger å vite."),
        max_length=5000,
        rows=6,
    )


APPLY_CHOICES = [
    (services.APPLY_PLAN, _("Individuell plan")),
    (services.APPLY_COORDINATOR, _("Koordinator")),
    (services.APPLY_BOTH, _("Individuell plan og koordinator")),
    (services.APPLY_SERVICE, _("En tjeneste")),
]


class ApplyForm(SubmissionTokenForm):
    what = forms.ChoiceField(
        label=_("Hva vil du søke om?"),
        choices=APPLY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hva du vil søke om.")},
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Tjenester"),
        help_text=_("Bare hvis du søker om en tjeneste. Du kan velge flere."),
        queryset=Service.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is None:  # a parent's clean() that returns nothing keeps cleaned_data
            data = self.cleaned_data
        if data.get("what") == services.APPLY_SERVICE and not data.get("services"):
            self.add_error("services", _("Velg minst én tjeneste."))
        return data


CONSENT_CHOICES = [
    (ConsentKind.INDIVIDUAL_PLAN, _("Samtykke til individuell plan")),
    (ConsentKind.SHARING, _("Samtykke til å dele opplysninger med de som deltar i planen")),
]


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hva samtykker du til?"),
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hva du samtykker til.")},
    )
    scope = forms.CharField(
        label=_("Hva gjelder samtykket?"),
        help_text=_("For eksempel «Arbeid med planen min» eller hvem opplysningene kan deles med."),
        max_length=300,
        error_messages={"required": _("Skriv hva samtykket gjelder.")},
    )


class BlockRequestForm(forms.Form):
    text = _text_field(
        _("Hvem eller hva vil du sperre?"),
        _(
            "Skriv hvilke ansatte eller enheter som ikke skal se opplysningene dine. "
            "Kommunen tar kontakt med deg."
        ),
        max_length=2000,
        rows=4,
    )


STAFF_ACTIONS = [
    ("svar", _("Svar")),
    ("godta", _("Ta målet inn i planen")),
    ("avsla", _("Ikke ta målet inn")),
    ("melding", _("Send melding")),
    ("sperring", _("Sperringsønsket er behandlet")),
]


class StaffAnswerForm(forms.Form):
    """One form for every answer on the staff page: which item, what to do, the text."""

    action = forms.ChoiceField(choices=STAFF_ACTIONS)
    item = forms.IntegerField(required=False, min_value=1)
    text = forms.CharField(max_length=5000, required=False, strip=True)


class PowerOfAttorneyEndForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor avslutter du fullmakten?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Skriv hvorfor du avslutter fullmakten."),
            "max_length": _("Teksten er for lang (høyst %(limit_value)d tegn)."),
        },
    )
