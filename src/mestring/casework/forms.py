"""Forms for cases, decisions and the municipality's legal texts."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.casework.models import DecisionOutcome, DecisionSubject, LegalBasis
from mestring.people.forms import DATE_HELP, DateInput
from mestring.people.models import Staff, Unit, UnitKind

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}
# Which of the default texts a decision form suggests first (casework/defaults.py).
SUGGESTED_LEGAL_BASIS = {
    DecisionSubject.INDIVIDUAL_PLAN: "individuell-plan",
    DecisionSubject.COORDINATOR: "koordinator",
}


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        name = obj.user.get_full_name() or obj.user.username
        return f"{name} ({obj.title})" if obj.title else name


def _staff_field(label: str, *, required: bool) -> StaffChoiceField:
    return StaffChoiceField(
        label=label,
        queryset=Staff.objects.filter(is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        required=required,
        error_messages={"required": _("Velg saksbehandler.")},
    )


def _date_field(label: str, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        required=required,
        help_text=kwargs.pop("help_text", DATE_HELP),
        error_messages={"required": _("Skriv inn datoen."), **DATE_ERRORS},
        **kwargs,
    )


def _not_in_future(value: datetime.date | None) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("Datoen kan ikke være fram i tid."))
    return value


class CaseApplicationForm(forms.Form):
    received_on = _date_field(_("Søknaden ble mottatt"))
    requests_individual_plan = forms.BooleanField(label=_("Søker individuell plan"), required=False)
    requests_coordinator = forms.BooleanField(label=_("Søker koordinator"), required=False)
    responsible_unit = forms.ModelChoiceField(
        label=_("Ansvarlig enhet"),
        queryset=Unit.objects.filter(is_active=True, kind=UnitKind.INTERNAL).order_by("name"),
        required=False,
        help_text=_("Normalt koordinerende enhet."),
    )
    caseworker = _staff_field(_("Saksbehandler"), required=False)

    def clean_received_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("received_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (cleaned.get("requests_individual_plan") or cleaned.get("requests_coordinator")):
            self.add_error(
                "requests_individual_plan",
                _("Kryss av for individuell plan, koordinator eller begge."),
            )
        return cleaned


class ProvisionalReplyForm(forms.Form):
    sent_on = _date_field(_("Foreløpig svar sendt"))
    expected_by = _date_field(
        _("Svar kan ventes innen"),
        required=False,
        help_text=_("Det foreløpige svaret skal si når svar kan ventes, om mulig. dd.mm.åååå."),
    )

    def clean_sent_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("sent_on"))


class AssignForm(forms.Form):
    caseworker = _staff_field(_("Ny saksbehandler"), required=True)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Resultat"),
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg resultat.")},
    )
    reasons = forms.CharField(
        label=_("Begrunnelse"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Skriv i klart språk. Begrunnelsen står i vedtaksbrevet."),
        error_messages={"required": _("Skriv en begrunnelse.")},
    )
    legal_basis = forms.ModelChoiceField(
        label=_("Hjemmel"),
        queryset=LegalBasis.objects.filter(is_active=True).order_by("title"),
        error_messages={
            "required": _("Velg hjemmel."),
            "invalid_choice": _("Velg en hjemmel fra listen."),
        },
    )
    decided_on = _date_field(_("Vedtaksdato"))
    valid_from = _date_field(_("Gjelder fra"), required=False)
    valid_to = _date_field(_("Gjelder til"), required=False)

    def __init__(self, *args: Any, subject: str, **kwargs: Any) -> None:
        self.subject = subject
        kwargs.setdefault("prefix", f"vedtak-{subject}")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("decided_on", timezone.localdate().strftime("%d.%m.%Y"))
        suggested = LegalBasis.objects.filter(
            code=SUGGESTED_LEGAL_BASIS.get(subject, ""), is_active=True
        ).first()
        if suggested is not None:
            initial.setdefault("legal_basis", suggested.pk)
        super().__init__(*args, **kwargs)

    @property
    def subject_label(self) -> str:
        return DecisionSubject(self.subject).label

    def clean_decided_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("decided_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Sluttdatoen kan ikke være før startdatoen."))
        return cleaned


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=500,
        required=False,
        help_text=_("Må fylles ut når saken avsluttes uten vedtak, for eksempel trukket søknad."),
    )


class LetterSentForm(forms.Form):
    sent_on = _date_field(_("Brevet ble sendt"))

    def clean_sent_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("sent_on"))


class LegalBasisForm(forms.ModelForm):
    class Meta:
        model = LegalBasis
        fields = ["code", "title", "text", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "code": _("Kort kode med små bokstaver og bindestrek, for eksempel «koordinator»."),
            "text": _("Teksten står i vedtaksbrevet under «Hjemmel»."),
            "is_active": _("Bare hjemler i bruk kan velges i nye vedtak."),
        }
        error_messages = {
            "code": {
                "required": _("Skriv inn en kode."),
                "invalid": _("Koden kan bare ha bokstaver, tall, bindestrek og understrek."),
            },
            "title": {"required": _("Skriv inn hjemmelen.")},
            "text": {"required": _("Skriv inn teksten til vedtaksbrevet.")},
        }

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if LegalBasis.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Det finnes allerede en hjemmel med denne koden."))
        return code
