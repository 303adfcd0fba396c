"""Forms for episodes and programmes. Rules across fields live in the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mestring.casework.models import Decision
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.people.models import Person, Staff, Unit
from mestring.plans.models import IndividualPlan
from mestring.rehab.models import (
    GOAL_ACHIEVED_CHOICES,
    EpisodeAssessment,
    EpisodeOutcome,
    Programme,
    ReferralSource,
)
from mestring.rehab.services import MAX_VISIT_MINUTES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}


def date_field(
    label: StrOrPromise, *, required: bool = True, missing: StrOrPromise = ""
) -> forms.DateField:
    errors: dict[str, StrOrPromise] = dict(DATE_ERRORS)
    if missing:
        errors["required"] = missing
    return forms.DateField(
        label=label,
        widget=DateInput(),
        help_text=DATE_HELP,
        required=required,
        error_messages=errors,
    )


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return _("Vedtak %(day)s") % {"day": obj.decided_on.strftime("%d.%m.%Y")}


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: IndividualPlan) -> str:
        return _("Plan fra %(day)s") % {"day": obj.start_date.strftime("%d.%m.%Y")}


class ReferralForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Programme.objects.filter(is_active=True).order_by("name"),
        error_messages={
            "required": _("Velg programmet personen er henvist til."),
            "invalid_choice": _("Velg et program fra listen."),
        },
    )
    referral_date = date_field(_("Henvist dato"), missing=_("Skriv inn datoen for henvisningen."))
    referral_source = forms.ChoiceField(
        label=_("Henvist fra"),
        choices=[("", _("Velg")), *ReferralSource.choices],
        error_messages={
            "required": _("Velg hvem henvisningen kom fra."),
            "invalid_choice": _("Velg hvem henvisningen kom fra."),
        },
    )
    referred_by = forms.CharField(label=_("Henviser (navn)"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Grunn til henvisning"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision = DecisionChoiceField(
        label=_("Vedtak"),
        help_text=_("Vedtaket forløpet bygger på, hvis det finnes."),
        queryset=Decision.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Velg et vedtak fra listen.")},
    )
    plan = PlanChoiceField(
        label=_("Individuell plan"),
        help_text=_("Planen forløpet hører til, hvis det finnes en."),
        queryset=IndividualPlan.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Velg en plan fra listen.")},
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decisions = model_choice_field(self, "decision")
        decisions.queryset = Decision.objects.filter(case__person=person).order_by("-decided_on")
        decisions.empty_label = _("Ingen vedtak")
        plans = model_choice_field(self, "plan")
        plans.queryset = IndividualPlan.objects.filter(person=person).order_by("-start_date")
        plans.empty_label = _("Ingen plan")


class AssessForm(forms.Form):
    assessed_on = date_field(_("Vurdert dato"), missing=_("Skriv inn datoen for vurderingen."))
    assessment = forms.ChoiceField(
        label=_("Vurdering"),
        choices=EpisodeAssessment.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Velg om personen er aktuell eller ikke aktuell."),
            "invalid_choice": _("Velg om personen er aktuell eller ikke aktuell."),
        },
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        help_text=_("Må fylles ut når personen ikke er aktuell."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if (
            cleaned.get("assessment") == EpisodeAssessment.NOT_RELEVANT
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Skriv hvorfor personen ikke er aktuell."))
        return cleaned


class StartForm(forms.Form):
    start_date = date_field(_("Startdato"), missing=_("Skriv inn datoen forløpet startet."))


class VisitForm(forms.Form):
    visited_on = date_field(_("Dato for besøket"), missing=_("Skriv inn datoen for besøket."))
    staff = forms.ModelChoiceField(
        label=_("Utført av"),
        queryset=Staff.objects.filter(is_active=True).select_related("user"),
        error_messages={
            "required": _("Velg hvem som gjorde besøket."),
            "invalid_choice": _("Velg en ansatt fra listen."),
        },
    )
    minutes = forms.IntegerField(
        label=_("Varighet i minutter"),
        min_value=1,
        max_value=MAX_VISIT_MINUTES,
        error_messages={
            "required": _("Skriv hvor mange minutter besøket varte."),
            "invalid": _("Skriv varigheten som et helt antall minutter."),
            "min_value": _("Varigheten må være minst 1 minutt."),
            "max_value": _("Varigheten kan være høyst %(limit_value)s minutter."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Merknad"), max_length=500, required=False)


class EndForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Resultat"),
        choices=EpisodeOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Velg om forløpet er fullført eller avbrutt."),
            "invalid_choice": _("Velg om forløpet er fullført eller avbrutt."),
        },
    )
    end_date = date_field(_("Sluttdato"), missing=_("Skriv inn datoen forløpet sluttet."))
    reason = forms.CharField(
        label=_("Grunn"),
        help_text=_("Må fylles ut når forløpet er avbrutt."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if (
            cleaned.get("outcome") == EpisodeOutcome.DISCONTINUED
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Skriv hvorfor forløpet ble avbrutt."))
        return cleaned


class FollowUpForm(forms.Form):
    followed_up_on = date_field(
        _("Dato for oppfølgingen"), missing=_("Skriv inn datoen for oppfølgingen.")
    )
    note = forms.CharField(
        label=_("Notat fra oppfølgingen"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("Mål, med personens egne ord"),
        max_length=500,
        error_messages={"required": _("Skriv målet med personens egne ord.")},
    )
    achieved = forms.ChoiceField(
        label=_("Måloppnåelse"),
        choices=[("", _("Ikke vurdert ennå")), *GOAL_ACHIEVED_CHOICES],
        required=False,
        error_messages={"invalid_choice": _("Velg fra listen.")},
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["achieved"]


class TeamMemberForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=_("Ansatt"),
        queryset=Staff.objects.filter(is_active=True).select_related("user"),
        error_messages={
            "required": _("Velg en ansatt."),
            "invalid_choice": _("Velg en ansatt fra listen."),
        },
    )
    role = forms.CharField(
        label=_("Rolle i teamet"),
        help_text=_("For eksempel fysioterapeut, ergoterapeut eller hjemmetrener."),
        max_length=100,
        required=False,
    )
    started_on = date_field(_("Fra dato"), missing=_("Skriv inn datoen deltakelsen starter."))


class TeamEndForm(forms.Form):
    ended_on = date_field(_("Til dato"), missing=_("Skriv inn datoen deltakelsen slutter."))


class ProgrammeForm(forms.Form):
    code = forms.SlugField(
        label=_("Kode"),
        help_text=_("Små bokstaver, tall og bindestrek, for eksempel «hverdagsrehabilitering»."),
        max_length=50,
        error_messages={
            "required": _("Skriv en kode."),
            "invalid": _("Koden kan bare ha bokstaver, tall, bindestrek og understrek."),
        },
    )
    name = forms.CharField(
        label=_("Navn"), max_length=150, error_messages={"required": _("Skriv et navn.")}
    )
    description = forms.CharField(
        label=_("Beskrivelse"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet som driver programmet"),
        queryset=Unit.objects.all().order_by("name"),
        required=False,
        error_messages={"invalid_choice": _("Velg en enhet fra listen.")},
    )
    follow_up_weeks = forms.IntegerField(
        label=_("Oppfølging etter (uker)"),
        min_value=0,
        max_value=104,
        initial=12,
        error_messages={
            "required": _("Skriv antall uker."),
            "invalid": _("Skriv antall uker som et helt tall."),
            "min_value": _("Antall uker kan ikke være negativt."),
            "max_value": _("Antall uker kan være høyst %(limit_value)s."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    is_active = forms.BooleanField(label=_("I bruk"), required=False, initial=True)

    @staticmethod
    def initial_for(programme: Programme | None) -> dict[str, Any]:
        if programme is None:
            return {"follow_up_weeks": 12, "is_active": True}
        return {
            "code": programme.code,
            "name": programme.name,
            "description": programme.description,
            "unit": programme.unit_id,
            "follow_up_weeks": programme.follow_up_weeks,
            "is_active": programme.is_active,
        }
