from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.people.identity import InvalidNationalId, parse_national_id
from mestring.people.models import Person, Staff, Unit, UnitKind
from mestring.referrals.models import (
    CarePlace,
    PyramidLevel,
    Referral,
    ReferralSource,
    ReferralStatus,
    Urgency,
)
from mestring.register.selectors import PersonQuery, search_persons
from mestring.register.services import national_id_taken

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}
WHO_EXISTING, WHO_NEW = "eksisterende", "ny"
# More hits than this: the user is asked to search more precisely.
MAX_CANDIDATES = 20
NEW_PERSON_FIELDS = ("given_name", "family_name", "birth_date")


def _person_label(person: Person) -> str:
    born = person.birth_date.strftime("%d.%m.%Y")
    return f"{person.family_name}, {person.given_name} ({_('født')} {born})"


class ReferralRegisterForm(forms.Form):
    """One form, two paths: a person found by search, or a new person. Without JavaScript
    both groups are shown; the choice in `who` decides which is validated."""

    who = forms.ChoiceField(
        label=_("Hvem gjelder meldingen?"),
        choices=[
            (WHO_EXISTING, _("Eksisterende person – søk opp og velg personen")),
            (WHO_NEW, _("Ny person – ikke registrert fra før")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Velg om meldingen gjelder en eksisterende eller ny person.")
        },
    )
    q = forms.CharField(label=_("Søk etter person"), required=False, max_length=200)
    person = forms.ModelChoiceField(
        label=_("Velg person"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Personen finnes ikke lenger i søket. Søk på nytt.")},
    )
    given_name = forms.CharField(label=_("Fornavn"), max_length=100)
    family_name = forms.CharField(label=_("Etternavn"), max_length=100)
    birth_date = forms.DateField(
        label=_("Fødselsdato"),
        widget=DateInput(),
        localize=True,
        help_text=DATE_HELP,
        error_messages=DATE_ERRORS,
    )
    national_id = forms.CharField(
        label=_("Fødselsnummer eller D-nummer"),
        max_length=20,
        required=False,
        help_text=_("11 siffer. Kan stå tomt hvis nummeret ikke er kjent."),
    )
    source = forms.ChoiceField(
        label=_("Meldingen kom fra"),
        choices=[("", _("Velg avsender")), *ReferralSource.choices],
        error_messages={"required": _("Velg hvem meldingen kom fra.")},
    )
    source_unit = forms.ModelChoiceField(
        label=_("Avsender (enhet)"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_(
            "For eksempel fastlegekontoret eller sykehusavdelingen, hvis den er registrert."
        ),
    )
    received_on = forms.DateField(
        label=_("Mottatt"),
        widget=DateInput(),
        localize=True,  # today's date, shown as dd.mm.åååå
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv inn datoen meldingen kom."), **DATE_ERRORS},
    )
    urgency = forms.ChoiceField(
        label=_("Hastegrad"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.NORMAL,
        error_messages={"required": _("Velg hastegrad.")},
    )
    description = forms.CharField(
        label=_("Beskrivelse av behovet"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Beskriv behovet.")},
    )

    def __init__(self, *args: Any, may_search: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate
        source = self.data if self.is_bound else self.initial
        who = source.get("who")
        # Unbound, the new person's fields are shown as required (which they are on that
        # path); bound, they are required only when the user chose a new person.
        for name in NEW_PERSON_FIELDS:
            self.fields[name].required = who == WHO_NEW if self.is_bound else True
        self.fields["given_name"].error_messages["required"] = _("Skriv inn fornavn.")
        self.fields["family_name"].error_messages["required"] = _("Skriv inn etternavn.")
        self.fields["birth_date"].error_messages["required"] = _("Skriv inn fødselsdato.")
        self.query = PersonQuery(text=str(source.get("q") or "").strip()[:200])
        self.candidates: list[Person] = []
        self.more_candidates = False
        person = model_choice_field(self, "person")
        if may_search and self.query.text:
            matches = search_persons(self.query)
            person.queryset = matches
            found = list(matches[: MAX_CANDIDATES + 1])
            self.candidates = found[:MAX_CANDIDATES]
            self.more_candidates = len(found) > MAX_CANDIDATES
        person.choices = [(p.pk, _person_label(p)) for p in self.candidates]

    def clean_national_id(self) -> str:
        raw = self.cleaned_data.get("national_id", "")
        if not raw.strip() or self.data.get("who") != WHO_NEW:
            return ""
        try:
            parsed = parse_national_id(raw, allow_synthetic=settings.MESTRING_SYNTHETIC_IDS)
        except InvalidNationalId as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        if national_id_taken(parsed.value):
            raise forms.ValidationError(
                _(
                    "Det finnes allerede en person med dette nummeret i kommunen. "
                    "Velg «Eksisterende person» og søk opp personen."
                ),
                code="duplicate",
            )
        self.national_id_kind = str(parsed.kind)
        return parsed.value

    def clean_birth_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Fødselsdatoen kan ikke være fram i tid."))
        return value

    def clean_received_on(self) -> datetime.date:
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Mottatt-datoen kan ikke være fram i tid."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        missing = cleaned.get("who") == WHO_EXISTING and not cleaned.get("person")
        if missing and "person" not in self.errors:  # not twice for an invalid choice
            message = (
                _("Velg personen meldingen gjelder i listen.")
                if self.candidates
                else _("Søk opp personen meldingen gjelder, og velg den i listen.")
            )
            self.add_error("person", message)
        return cleaned

    @property
    def is_new_person(self) -> bool:
        return self.cleaned_data.get("who") == WHO_NEW

    def person_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in NEW_PERSON_FIELDS}
        data["given_name"] = data["given_name"].strip()
        data["family_name"] = data["family_name"].strip()
        data["national_id"] = self.cleaned_data["national_id"]
        data["national_id_kind"] = (
            getattr(self, "national_id_kind", "") if data["national_id"] else ""
        )
        return data

    def referral_data(self) -> dict[str, Any]:
        keys = ("source", "source_unit", "received_on", "description", "urgency")
        return {key: self.cleaned_data[key] for key in keys}


SCORE_CHOICES = [
    ("", _("Velg skår")),
    ("1", _("1 – klart kommunalt")),
    ("2", "2"),
    ("3", _("3 – både og")),
    ("4", "4"),
    ("5", _("5 – klart spesialisthelsetjenesten")),
]


def _score_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        help_text=help_text,
        error_messages={"required": _("Velg en skår fra 1 til 5.")},
    )


class TriageForm(forms.Form):
    pyramid_level = forms.TypedChoiceField(
        label=_("Nivå i rehabiliteringspyramiden"),
        choices=[("", _("Velg nivå")), *PyramidLevel.choices],
        coerce=int,
        error_messages={"required": _("Velg nivå i rehabiliteringspyramiden.")},
    )
    competence = _score_field(
        _("Behov for spesialisert kompetanse"),
        _(
            "1: kompetanse på muligheter og begrensninger i nærmiljøet, som kommunen har. "
            "5: spesialisert kompetanse som bare spesialisthelsetjenesten har."
        ),
    )
    complexity = _score_field(
        _("Kompleksitet"),
        _(
            "1: få tjenester og enkel samhandling. "
            "5: mange fagområder, tjenester og sektorer som må samordnes tett."
        ),
    )
    intensity = _score_field(
        _("Behov for intensitet"),
        _(
            "1: jevn, lav innsats over tid, gjerne langvarig. "
            "5: høy, tverrfaglig innsats hver dag i en avgrenset periode."
        ),
    )
    care_place = forms.ChoiceField(
        label=_("Hvor bør behovet møtes?"),
        choices=[("", _("Følg forslaget")), *CarePlace.choices],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Velg et annet sted hvis dere vurderer det annerledes enn forslaget."),
    )

    @classmethod
    def for_referral(cls, referral: Referral, data: Any = None) -> TriageForm:
        initial = {
            "pyramid_level": referral.pyramid_level,
            "competence": referral.competence_score,
            "complexity": referral.complexity_score,
            "intensity": referral.intensity_score,
            "care_place": referral.care_place if referral.place_overruled else "",
        }
        return cls(data, prefix="triage", initial=initial)


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Ny status"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg ny status.")},
    )
    forwarded_to = forms.ModelChoiceField(
        label=_("Sendes videre til"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("Fylles ut når meldingen sendes videre."),
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Må fylles ut når meldingen sendes videre eller avsluttes."),
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        allowed = set(referral.allowed_statuses()) - {ReferralStatus.CASE_OPENED}
        to_status = self.fields["to_status"]
        assert isinstance(to_status, forms.ChoiceField)  # declared above
        to_status.choices = [
            (value, label) for value, label in ReferralStatus.choices if value in allowed
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        status, reason = cleaned.get("to_status"), cleaned.get("reason", "").strip()
        if status == ReferralStatus.FORWARDED:
            if not cleaned.get("forwarded_to"):
                self.add_error("forwarded_to", _("Velg hvilken enhet meldingen sendes videre til."))
            if not reason:
                self.add_error("reason", _("Skriv hvorfor meldingen sendes videre."))
        if status == ReferralStatus.CLOSED and not reason:
            self.add_error("reason", _("Skriv hvorfor meldingen avsluttes."))
        return cleaned


class OpenCaseForm(forms.Form):
    requests_individual_plan = forms.BooleanField(
        label=_("Personen søker individuell plan"), required=False
    )
    requests_coordinator = forms.BooleanField(label=_("Personen søker koordinator"), required=False)
    responsible_unit = forms.ModelChoiceField(
        label=_("Ansvarlig enhet"),
        queryset=Unit.objects.filter(is_active=True, kind=UnitKind.INTERNAL).order_by("name"),
        required=False,
    )
    caseworker = forms.ModelChoiceField(
        label=_("Saksbehandler"),
        queryset=Staff.objects.filter(is_active=True).select_related("user"),
        required=False,
        help_text=_("Saksbehandleren får tilgang til personen så lenge saken er åpen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "sak")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not (cleaned.get("requests_individual_plan") or cleaned.get("requests_coordinator")):
            self.add_error(
                "requests_individual_plan",
                _("Kryss av for individuell plan, koordinator eller begge."),
            )
        return cleaned
