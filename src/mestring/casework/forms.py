"""Forms for cases, decisions and the municipality's legal texts."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.casework.models import (
    Appeal,
    AppealStatus,
    Applicant,
    ApplicationLine,
    Decision,
    DecisionOutcome,
    DecisionSubject,
    LegalBasis,
)
from mestring.core.forms import DATE_HELP, DateInput, SubmissionTokenForm
from mestring.people.models import Staff, Unit, UnitKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from mestring.catalogue.models import Service

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}
# Which of the default texts a decision form suggests first (casework/defaults.py).
SUGGESTED_LEGAL_BASIS: dict[str, str] = {
    DecisionSubject.INDIVIDUAL_PLAN: "individuell-plan",
    DecisionSubject.COORDINATOR: "koordinator",
    DecisionSubject.SERVICE: "tjenester",
}


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        name = obj.user.get_full_name() or obj.user.username
        return f"{name} ({obj.title})" if obj.title else name


def _staff_field(label: StrOrPromise, *, required: bool) -> StaffChoiceField:
    return StaffChoiceField(
        label=label,
        queryset=Staff.objects.filter(is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        required=required,
        error_messages={"required": _("Velg saksbehandler.")},
    )


def _date_field(label: StrOrPromise, *, required: bool = True, **kwargs: Any) -> forms.DateField:
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


class CaseApplicationForm(SubmissionTokenForm):
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
        super().clean()
        cleaned = self.cleaned_data
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


class DecisionForm(SubmissionTokenForm):
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
    def subject_label(self) -> StrOrPromise:
        return DecisionSubject(self.subject).label

    def clean_decided_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("decided_on"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
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


# --- The allocation office's service applications and decisions.


def _services_in_use() -> QuerySet[Service]:
    """The catalogue's services in use, reached through the model an application line
    names: the catalogue (its waiting lists and assignments) stands on casework."""
    service_model = ApplicationLine._meta.get_field("service").related_model
    # The field's model is the catalogue's Service, which this layer may not import.
    return cast(
        "QuerySet[Service]", service_model._default_manager.filter(is_active=True)
    ).order_by("name")


class ServiceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        return obj.name


class ServiceApplicationForm(SubmissionTokenForm):
    applicant = forms.ChoiceField(
        label=_("Hvem søker"),
        choices=Applicant.choices,
        widget=forms.RadioSelect,
        initial=Applicant.PERSON,
        error_messages={"required": _("Velg hvem som søker.")},
    )
    received_on = _date_field(_("Søknaden ble mottatt"))
    services = ServiceChoiceField(
        label=_("Tjenester det søkes om"),
        queryset=_services_in_use(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kryss av for minst én tjeneste."),
            "invalid_choice": _("Velg tjenester fra listen."),
        },
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Ansvarlig enhet"),
        queryset=Unit.objects.filter(is_active=True, kind=UnitKind.INTERNAL).order_by("name"),
        required=False,
        help_text=_("Normalt tjenestekontoret."),
    )
    caseworker = _staff_field(_("Saksbehandler"), required=False)

    def clean_received_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("received_on"))

    def clean_services(self) -> list[Service]:
        return list(self.cleaned_data["services"])


def _legal_basis_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Hjemmel"),
        queryset=LegalBasis.objects.filter(is_active=True).order_by("title"),
        error_messages={
            "required": _("Velg hjemmel."),
            "invalid_choice": _("Velg en hjemmel fra listen."),
        },
    )


def _reasons_field() -> forms.CharField:
    return forms.CharField(
        label=_("Begrunnelse"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Skriv i klart språk. Begrunnelsen står i vedtaksbrevet."),
        error_messages={"required": _("Skriv en begrunnelse.")},
    )


class _ScopeFields(SubmissionTokenForm):
    """Outcome, scope and period, shared by a new decision and a change of one."""

    # Set by the case page when the decision was refused for want of an assessment, so
    # the page links to the assessment form next to the message.
    assessment_required = False

    outcome = forms.ChoiceField(
        label=_("Resultat"),
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg resultat.")},
    )
    hours_per_week = forms.DecimalField(
        label=_("Timer per uke"),
        required=False,
        min_value=0,
        max_value=168,
        decimal_places=1,
        localize=True,
        help_text=_("For tjenester som måles i timer, for eksempel 7,5."),
        error_messages={
            "invalid": _("Skriv timer som et tall, for eksempel 7,5."),
            "max_decimal_places": _("Skriv timer med høyst én desimal."),
            "min_value": _("Timer per uke kan ikke være negativt."),
            "max_value": _("En uke har bare 168 timer."),
        },
    )
    days = forms.IntegerField(
        label=_("Antall døgn"),
        required=False,
        min_value=1,
        max_value=3660,
        help_text=_("For opphold og avlastning."),
        error_messages={
            "invalid": _("Skriv antall døgn som et helt tall."),
            "min_value": _("Antall døgn må være minst 1."),
            "max_value": _("Antall døgn kan være høyst 3660 (ti år)."),
        },
    )
    valid_from = _date_field(_("Gjelder fra"), required=False)
    valid_to = _date_field(_("Gjelder til"), required=False)
    reasons = _reasons_field()
    legal_basis = _legal_basis_field()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Sluttdatoen kan ikke være før startdatoen."))
        return cleaned


class ServiceDecisionForm(_ScopeFields):
    decided_on = _date_field(_("Vedtaksdato"))
    field_order = ["outcome", "hours_per_week", "days", "valid_from", "valid_to", "reasons"]

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        self.service = service
        kwargs.setdefault("prefix", f"tjeneste-{service.pk}")
        today = timezone.localdate().strftime("%d.%m.%Y")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("decided_on", today)
        initial.setdefault("valid_from", today)
        suggested = LegalBasis.objects.filter(code="tjenester", is_active=True).first()
        if suggested is not None:
            initial.setdefault("legal_basis", suggested.pk)
        super().__init__(*args, **kwargs)

    def clean_decided_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("decided_on"))


class DecisionChangeForm(_ScopeFields):
    changed_on = _date_field(_("Endret fra (vedtaksdato)"))
    reason = forms.CharField(
        label=_("Hvorfor vedtaket endres"),
        max_length=500,
        help_text=_("Står i brevet om endringen."),
        error_messages={"required": _("Skriv hvorfor vedtaket endres.")},
    )
    field_order = ["reason", "changed_on", "outcome", "hours_per_week", "days"]

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"endre-{decision.pk}")
        kwargs.setdefault(
            "initial",
            {
                "changed_on": timezone.localdate().strftime("%d.%m.%Y"),
                "outcome": decision.outcome,
                "hours_per_week": decision.hours_per_week,
                "days": decision.days,
                "valid_from": decision.valid_from and decision.valid_from.strftime("%d.%m.%Y"),
                "valid_to": decision.valid_to and decision.valid_to.strftime("%d.%m.%Y"),
                "reasons": decision.reasons,
                "legal_basis": decision.legal_basis_id,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_changed_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("changed_on"))


class DecisionStopForm(forms.Form):
    stopped_on = _date_field(_("Stanses fra"))
    reason = forms.CharField(
        label=_("Hvorfor vedtaket stanses"),
        max_length=500,
        help_text=_("Står i brevet om stansen."),
        error_messages={"required": _("Skriv hvorfor vedtaket stanses.")},
    )


class AppealForm(SubmissionTokenForm):
    received_on = _date_field(_("Klagen ble mottatt"))
    grounds = forms.CharField(
        label=_("Hva klagen gjelder"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv hva klagen gjelder.")},
    )

    def clean_received_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("received_on"))


class AppealOutcomeForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Ny status"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg ny status."), "invalid_choice": _("Velg fra listen.")},
    )
    on = _date_field(_("Dato"))
    note = forms.CharField(
        label=_("Utfall"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Må fylles ut når vedtaket omgjøres, endres eller oppheves."),
    )

    def __init__(self, *args: Any, appeal: Appeal, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"klage-{appeal.pk}")
        kwargs.setdefault("initial", {"on": timezone.localdate().strftime("%d.%m.%Y")})
        super().__init__(*args, **kwargs)
        allowed = appeal.allowed_statuses()
        to_status = self.fields["to_status"]
        assert isinstance(to_status, forms.ChoiceField)  # declared above
        to_status.choices = [
            (value, label) for value, label in AppealStatus.choices if value in allowed
        ]

    def clean_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data.get("on"))
