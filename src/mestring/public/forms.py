"""Forms of the public pages and their administration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.core.text import single_line
from mestring.people.models import Unit, UnitKind
from mestring.public.models import OrganisationEvent, PublicProfile, UserOrganisation

# The honeypot: a field people never see (hidden with CSS and from assistive
# technology); a bot that fills every field fills it too.
HONEYPOT_FIELD = "nettsted_adresse"


def _one_line(form: forms.BaseForm, *names: str) -> None:
    """These fields are one line (L12): a line break in a name broke the e-mail that
    approves the organisation."""
    for name in names:
        form.fields[name].validators.append(single_line)


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Nettside"),
        required=False,
        max_length=300,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
        help_text=_("For eksempel https://www.eksempel.no"),
        error_messages={"invalid": _("Skriv en gyldig nettadresse, for eksempel https://…")},
    )

    class Meta:
        model = UserOrganisation
        fields = ["name", "contact_name", "email", "phone", "website", "purpose"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "purpose": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "email": _("Hit sender vi lenken dere bruker for å endre oppføringen."),
            "purpose": _("Hvem dere er for, og hva dere tilbyr: likepersoner, kurs, treff."),
        }
        error_messages = {
            "name": {"required": _("Skriv navnet på organisasjonen.")},
            "contact_name": {"required": _("Skriv navnet på en kontaktperson.")},
            "email": {
                "required": _("Skriv en e-postadresse."),
                "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."),
            },
            "purpose": {"required": _("Skriv kort om formålet og tilbudet deres.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _one_line(self, "name", "contact_name", "email", "phone", "website")


class EventForm(forms.ModelForm):
    class Meta:
        model = OrganisationEvent
        fields = ["title", "kind", "starts_on", "place", "description"]
        widgets = {"starts_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"starts_on": DATE_HELP}
        error_messages = {
            "title": {"required": _("Skriv en tittel.")},
            "starts_on": {
                "required": _("Skriv datoen."),
                "invalid": _("Datoen må skrives som dd.mm.åååå."),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _one_line(self, "title", "place")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Grunn til avvisning"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lagres sammen med oppføringen. Organisasjonen får ikke e-post om dette."),
        error_messages={"required": _("Skriv en grunn til at organisasjonen avvises.")},
    )


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadressen organisasjonen er registrert med"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Skriv en e-postadresse."),
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."),
        },
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = PublicProfile
        fields = [
            "intro",
            "how_to_apply",
            "coordinating_unit",
            "phone",
            "email",
            "address",
            "opening_hours",
        ]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "how_to_apply": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "intro": _("Vises øverst på den offentlige tjenestesiden."),
            "how_to_apply": _("Hvordan innbyggere søker om tjenester eller melder om behov."),
            "opening_hours": _("For eksempel: Hverdager 08.00–15.30"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "coordinating_unit")
        field.queryset = Unit.objects.filter(is_active=True, kind=UnitKind.INTERNAL).order_by(
            "name"
        )
        field.empty_label = _("Velg enhet")
