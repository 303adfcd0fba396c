"""Forms for frisklivsresepter: register, start (health conversation), end."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mestring.core.forms import DATE_HELP, DateInput
from mestring.friskliv.models import Reason, ReferrerKind
from mestring.friskliv.services import MAX_WEEKS
from mestring.people.models import Staff

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}


def date_field(
    label: StrOrPromise, required_message: StrOrPromise, **kwargs: Any
) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": required_message, **DATE_ERRORS},
        **kwargs,
    )


def weeks_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Periode i uker"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=12,
        help_text=_("Vanligvis 12 uker."),
        error_messages={
            "invalid": _("Skriv et helt tall."),
            "required": _("Skriv hvor mange uker perioden varer."),
            "min_value": _("Perioden må være minst 1 uke."),
            "max_value": _("Perioden kan ikke være mer enn %(limit_value)s uker."),
        },
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return str(obj)


class PrescriptionForm(forms.Form):
    referral_date = date_field(_("Henvist dato"), _("Skriv inn datoen for henvisningen."))
    reason = forms.ChoiceField(
        label=_("Årsak"),
        choices=[("", _("Velg årsak")), *Reason.choices],
        error_messages={
            "required": _("Velg årsaken til henvisningen."),
            "invalid_choice": _("Velg en årsak fra listen."),
        },
    )
    referrer_kind = forms.ChoiceField(
        label=_("Henvist av"),
        choices=[("", _("Ukjent")), *ReferrerKind.choices],
        required=False,
        error_messages={"invalid_choice": _("Velg en henviser fra listen.")},
    )
    referrer_name = forms.CharField(
        label=_("Navn på henviser"),
        max_length=150,
        required=False,
        help_text=_("For eksempel legens navn eller legekontoret."),
    )
    period_weeks = weeks_field()
    contact = StaffChoiceField(
        label=_("Kontaktperson"),
        queryset=Staff.objects.filter(is_active=True).select_related("user"),
        required=False,
        empty_label=_("Meg selv"),
        help_text=_("Kontaktpersonen får tilgang til personen mens resepten varer."),
        error_messages={"invalid_choice": _("Velg en ansatt fra listen.")},
    )


class StartForm(forms.Form):
    start_date = date_field(_("Dato for helsesamtalen"), _("Skriv inn datoen for helsesamtalen."))
    period_weeks = weeks_field()


class EndForm(forms.Form):
    ended_on = date_field(_("Avsluttet dato"), _("Skriv inn datoen resepten ble avsluttet."))
    completed = forms.TypedChoiceField(
        label=_("Ble reseptperioden gjennomført?"),
        choices=[("ja", _("Ja, gjennomført")), ("nei", _("Nei, ikke gjennomført"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Velg om perioden ble gjennomført."),
            "invalid_choice": _("Velg ja eller nei."),
        },
    )
    note = forms.CharField(
        label=_("Merknad"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel hvorfor perioden ble avbrutt."),
    )
