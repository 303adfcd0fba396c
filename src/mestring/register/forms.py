from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from mestring.access.models import Role
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.people.identity import InvalidNationalId, parse_national_id
from mestring.people.models import (
    ActingBasis,
    Person,
    Profession,
    Relative,
    Staff,
    Unit,
    UnitInvolvement,
)
from mestring.register.services import (
    ACCOUNT_FIELDS,
    REASON_MAX,
    national_id_taken,
    person_ref_taken,
    person_ref_taken_message,
    username_taken_message,
)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "birth_date",
            "national_id",
            "phone",
            "email",
            "street_address",
            "postal_code",
            "postal_town",
            "preferred_language",
            "needs_interpreter",
            "language_form",
            "person_ref",
        ]
        widgets = {"birth_date": DateInput()}
        help_texts = {
            "birth_date": DATE_HELP,
            "national_id": _("11 siffer. Kan stå tomt hvis personen ikke har nummer ennå."),
        }
        error_messages = {
            "given_name": {"required": _("Skriv inn fornavn.")},
            "family_name": {"required": _("Skriv inn etternavn.")},
            "birth_date": {
                "required": _("Skriv inn fødselsdato."),
                "invalid": _("Fødselsdatoen må skrives som dd.mm.åååå."),
            },
            "email": {"invalid": _("E-postadressen ser ikke riktig ut.")},
        }

    def clean_national_id(self) -> str:
        raw = self.cleaned_data.get("national_id", "")
        if not raw.strip():
            return ""
        try:
            parsed = parse_national_id(raw, allow_synthetic=settings.MESTRING_SYNTHETIC_IDS)
        except InvalidNationalId as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        if national_id_taken(parsed.value, exclude_pk=self.instance.pk):
            raise forms.ValidationError(
                _("Det finnes allerede en person med dette nummeret i kommunen. Søk opp personen."),
                code="duplicate",
            )
        self.national_id_kind = str(parsed.kind)
        return parsed.value

    def clean_person_ref(self) -> str:
        value = self.cleaned_data.get("person_ref", "").strip()
        if person_ref_taken(value, exclude_pk=self.instance.pk):
            raise forms.ValidationError(person_ref_taken_message(), code="duplicate")
        return value

    def clean_postal_code(self) -> str:
        value = self.cleaned_data.get("postal_code", "").strip()
        if value and not (value.isdigit() and len(value) == 4):
            raise forms.ValidationError(_("Postnummeret har fire siffer."))
        return value

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["national_id_kind"] = (
            getattr(self, "national_id_kind", "") if data["national_id"] else ""
        )
        return data


class RelativeForm(forms.ModelForm):
    # Wider than the 11 digits stored, so a number typed with spaces reaches the check.
    national_id = forms.CharField(
        label=_("Pårørendes fødselsnummer / D-nummer"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "11 siffer. Trengs for at pårørende med rett til å handle kan logge inn "
            "på Min side på vegne av personen."
        ),
    )

    class Meta:
        model = Relative
        fields = [
            "name",
            "relation",
            "phone",
            "email",
            "acting_basis",
            "acting_until",
            "national_id",
            "is_primary_contact",
        ]
        widgets = {"acting_until": DateInput()}
        error_messages = {
            "name": {"required": _("Skriv inn navnet.")},
            "relation": {"required": _("Velg relasjon.")},
            "acting_until": {"invalid": _("Datoen må skrives som dd.mm.åååå.")},
        }

    def __init__(self, *args: Any, may_register_right: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_register_right:
            # A right to act opens the person's Min side to the relative: only those who
            # register persons (person.register) record one (M6).
            del self.fields["acting_basis"]
            del self.fields["acting_until"]

    def clean_national_id(self) -> str:
        """The same check as the person's number (people.identity); empty is allowed."""
        raw = self.cleaned_data.get("national_id", "")
        if not raw.strip():
            return ""
        try:
            parsed = parse_national_id(raw, allow_synthetic=settings.MESTRING_SYNTHETIC_IDS)
        except InvalidNationalId as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return parsed.value


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Begrunnelse"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lagres sammen med endringen og hvem som gjorde den."),
        error_messages={
            "required": _("Skriv en begrunnelse."),
            "max_length": _("Begrunnelsen er for lang (høyst %(limit_value)d tegn)."),
        },
    )


class RepresentationEndForm(forms.Form):
    """End a relative's right to act now (M6)."""

    reason = _reason_field()


class RepresentationCorrectForm(forms.Form):
    """Correct the kind or the last day of a relative's right to act (M6)."""

    acting_basis = forms.ChoiceField(
        label=_("Rett til å handle på vegne av personen"),
        choices=[(value, label) for value, label in ActingBasis.choices if value],
        error_messages={
            "required": _("Velg hva retten bygger på."),
            "invalid_choice": _("Velg hva retten bygger på."),
        },
    )
    acting_until = forms.DateField(
        label=_("Gjelder til og med"),
        required=False,
        widget=DateInput(),
        help_text=_("Tomt: gjelder til den avsluttes. Skriv datoen som dd.mm.åååå."),
        error_messages={"invalid": _("Datoen må skrives som dd.mm.åååå.")},
    )
    reason = _reason_field()


class InvolvementForm(forms.ModelForm):
    class Meta:
        model = UnitInvolvement
        fields = ["unit", "role", "started_on", "ended_on"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}
        help_texts = {"started_on": DATE_HELP}
        error_messages = {
            "unit": {"required": _("Velg enhet.")},
            "started_on": {
                "required": _("Skriv inn når enheten ble involvert."),
                "invalid": _("Datoen må skrives som dd.mm.åååå."),
            },
            "ended_on": {"invalid": _("Datoen må skrives som dd.mm.åååå.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.filter(is_active=True).order_by(
            "name"
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("Sluttdatoen kan ikke være før startdatoen."))
        return cleaned


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "contact_name", "phone", "email", "address", "is_active"]
        error_messages = {
            "name": {"required": _("Skriv inn navnet på enheten.")},
            "kind": {"required": _("Velg type enhet.")},
        }

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Unit.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Det finnes allerede en enhet med dette navnet."))
        return name


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Brukernavn"), max_length=150)
    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150)
    email = forms.EmailField(label=_("E-post"), required=False)
    profession = forms.ChoiceField(label=_("Yrke"), choices=Profession.choices)
    hpr_number = forms.CharField(
        label=_("HPR-nummer"), max_length=9, required=False, help_text=_("6 til 9 siffer.")
    )
    title = forms.CharField(label=_("Stillingstittel"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("Enheter"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Roller"),
        queryset=Role.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)
    password = forms.CharField(
        label=_("Første passord"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Minst 12 tegn. Den ansatte registrerer autentiseringsapp ved første innlogging."
        ),
    )

    def __init__(
        self,
        *args: Any,
        staff: Staff | None = None,
        account_editable: bool = True,
        may_join: bool = False,
        **kwargs: Any,
    ) -> None:
        """`account_editable`: the actor may change the shared account's name and e-mail
        (register.services.account_change_refusal). `may_join`: an installation
        administrator, who may add an existing user of another municipality here."""
        self.staff = staff
        self.may_join = may_join
        if staff is not None:
            kwargs.setdefault(
                "initial",
                {
                    "username": staff.user.username,
                    "first_name": staff.user.first_name,
                    "last_name": staff.user.last_name,
                    "email": staff.user.email,
                    "profession": staff.profession,
                    "hpr_number": staff.hpr_number,
                    "title": staff.title,
                    "phone": staff.phone,
                    "units": list(staff.units.all()),
                    "roles": [a.role for a in staff.role_assignments.all() if a.unit_id is None],
                    "is_active": staff.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        model_choice_field(self, "units").queryset = Unit.objects.filter(is_active=True).order_by(
            "name"
        )
        model_choice_field(self, "roles").queryset = Role.objects.order_by("name")
        if staff is not None:
            self.fields["username"].disabled = True
            del self.fields["password"]
            if not account_editable:
                for name in ACCOUNT_FIELDS:  # the posted value is ignored, the stored kept
                    self.fields[name].disabled = True
        else:
            self.fields["password"].required = True

    def clean_hpr_number(self) -> str:
        value = self.cleaned_data.get("hpr_number", "").strip()
        if value and not (value.isdigit() and 6 <= len(value) <= 9):
            raise forms.ValidationError(_("HPR-nummeret skal ha 6 til 9 siffer."))
        return value

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if self.staff is None:
            user = get_user_model().objects.filter(username__iexact=username).first()
            if user is not None and Staff.objects.filter(user=user).exists():
                raise forms.ValidationError(_("Denne brukeren er allerede ansatt i kommunen."))
            if user is not None and not self.may_join:
                # Never join another municipality's user silently: a shared account
                # is the installation administrator's to join.
                raise forms.ValidationError(username_taken_message(), code="taken")
        return username

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if password:
            password_validation.validate_password(password)
        return password

    def user_data(self) -> dict[str, Any]:
        keys = ["first_name", "last_name", "email"]
        if self.staff is None:
            keys.append("username")
        return {key: self.cleaned_data[key] for key in keys}

    def staff_data(self) -> dict[str, Any]:
        keys = ["profession", "hpr_number", "title", "phone", "is_active"]
        return {key: self.cleaned_data[key] for key in keys}


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Navn, fødselsdato eller fødselsnummer"), required=False, max_length=200
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[("navn", "navn"), ("-navn", "-navn"), ("fodt", "fodt"), ("-fodt", "-fodt")],
    )
