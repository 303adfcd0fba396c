from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.access.actor import Actor
from mestring.access.models import (
    BlockLiftReason,
    CareRelationKind,
    ConsentGiver,
    ConsentKind,
    EmergencyReason,
    ReviewVerdict,
    Role,
)
from mestring.access.permissions import PERMISSIONS
from mestring.access.selectors import staff_with_permission
from mestring.access.services import is_self_grant, self_grant_limit, self_grant_too_long_message
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.people.models import Person, Relative, Staff, Unit, acting_in_force_q

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}


def _staff_choices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Ansatt"),
        queryset=Staff.objects.filter(is_active=True).select_related("user"),
        required=False,
    )


class HandOutForm(forms.Form):
    """Who takes a piece of work from a queue: left empty, the user themselves. Only
    staff who hold the permission the work needs are offered."""

    staff = forms.ModelChoiceField(
        label=_("Fordel til"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("Meg selv"),
        error_messages={"invalid_choice": _("Velg en ansatt fra listen.")},
    )

    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_field = self.fields["staff"]
        assert isinstance(staff_field, forms.ModelChoiceField)
        staff_field.queryset = staff_with_permission(permission)

    def error_text(self) -> str:
        """What was wrong, for a list that shows it as a message above the table."""
        return " ".join(str(error) for error in self.errors.get("staff", []))


UNIT_LABEL = _("Enhet")


def _unit_choices(label: StrOrPromise = UNIT_LABEL) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, queryset=Unit.objects.filter(is_active=True), required=False
    )


class _StaffOrUnitForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if bool(cleaned.get("staff")) == bool(cleaned.get("unit")):
            raise forms.ValidationError(_("Velg enten én ansatt eller én enhet."))
        return cleaned


class GrantForm(_StaffOrUnitForm):
    staff = _staff_choices()
    unit = _unit_choices()
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=300,
        error_messages={"required": _("Skriv hvorfor tilgangen trengs.")},
    )
    valid_to = forms.DateField(
        label=_("Sluttdato"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("En manuell tilgang må ha en sluttdato."), **DATE_ERRORS},
    )

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_valid_to(self) -> datetime.date:
        value = self.cleaned_data["valid_to"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("Sluttdatoen må være etter i dag."))
        return value

    def clean(self) -> dict[str, Any]:
        """Access the user gives themselves (or their own unit) ends within the policy
        limit; the service checks the same, this puts the message on the field."""
        cleaned = super().clean()
        valid_to = cleaned.get("valid_to")
        if self.actor is None or valid_to is None or self.errors:
            return cleaned
        staff, unit = cleaned.get("staff"), cleaned.get("unit")
        if is_self_grant(self.actor, staff=staff, unit=unit) and (
            self.valid_to_datetime() > self_grant_limit()
        ):
            self.add_error("valid_to", self_grant_too_long_message())
        return cleaned

    def valid_to_datetime(self) -> datetime.datetime:
        day = self.cleaned_data["valid_to"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


class BlockForm(_StaffOrUnitForm):
    staff = _staff_choices()
    unit = _unit_choices()
    requested_by_person = forms.ChoiceField(
        label=_("Hvem ba om sperringen?"),
        choices=[("1", _("Personen selv")), ("0", _("Skriftlig anmodning registrert av ansatt"))],
        widget=forms.RadioSelect,
        initial="1",
    )


class BlockLiftForm(forms.Form):
    """Lifting one block. Each block's form has its own prefix, so that several on one
    page keep their own field ids and a form shown again keeps what was typed in it."""

    reason_code = forms.ChoiceField(
        label=_("Hvorfor oppheves sperringen?"),
        choices=[("", _("Velg grunn")), *BlockLiftReason.choices],
        error_messages={"required": _("Velg hvorfor sperringen oppheves.")},
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel når og hvordan personen ba om det. Lagres på sperringen."),
        error_messages={"required": _("Skriv en begrunnelse for å oppheve sperringen.")},
    )

    @staticmethod
    def prefix_for(block_id: int) -> str:
        return f"opphev-{block_id}"


class EmergencyForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Årsak"),
        choices=[("", _("Velg årsak")), *EmergencyReason.choices],
        error_messages={"required": _("Velg en årsak.")},
    )
    explanation = forms.CharField(
        label=_("Kort forklaring"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Forklaringen går til leder som gjennomgår nødtilgangen."),
        error_messages={"required": _("Skriv kort hvorfor du trenger nødtilgang.")},
    )
    confirm_override = forms.BooleanField(
        label=_("Jeg bekrefter at jeg overstyrer personens sperring"), required=False
    )


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Vurdering"),
        choices=ReviewVerdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg en vurdering.")},
    )
    note = forms.CharField(
        label=_("Merknad"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type samtykke"), choices=ConsentKind.choices)
    scope = forms.CharField(
        label=_("Omfang"),
        max_length=300,
        help_text=_("Hva samtykket gjelder, for eksempel «opplysninger i individuell plan»."),
        error_messages={"required": _("Beskriv hva samtykket gjelder.")},
    )
    shared_with_units = forms.ModelMultipleChoiceField(
        label=_("Deles med enheter"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    given_by = forms.ChoiceField(
        label=_("Gitt av"), choices=ConsentGiver.choices, widget=forms.RadioSelect
    )
    given_by_relative = forms.ModelChoiceField(
        label=_("Pårørende eller verge som ga samtykket"),
        queryset=Relative.objects.none(),
        required=False,
    )
    given_on = forms.DateField(
        label=_("Dato gitt"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv inn datoen samtykket ble gitt."), **DATE_ERRORS},
    )
    expires_on = forms.DateField(
        label=_("Utløper"), widget=DateInput(), required=False, error_messages=DATE_ERRORS
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "given_by_relative").queryset = Relative.objects.filter(
            acting_in_force_q(), person=person
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("given_by") not in (None, ConsentGiver.PERSON) and not cleaned.get(
            "given_by_relative"
        ):
            self.add_error("given_by_relative", _("Velg hvem som ga samtykket."))
        given, expires = cleaned.get("given_on"), cleaned.get("expires_on")
        if given and expires and expires < given:
            self.add_error("expires_on", _("Utløpsdatoen kan ikke være før samtykket ble gitt."))
        return cleaned


class WithdrawForm(forms.Form):
    withdrawn_by = forms.ChoiceField(label=_("Trukket tilbake av"), choices=ConsentGiver.choices)


class RolePermissionsForm(forms.Form):
    permissions = forms.MultipleChoiceField(
        label=_("Rettigheter"),
        choices=list(PERMISSIONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RoleAssignmentForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Rolle"), queryset=Role.objects.all(), error_messages={"required": _("Velg rolle.")}
    )
    unit = _unit_choices(_("I enhet (tomt = hele kommunen)"))


RELATION_KIND_LABELS = dict(CareRelationKind.choices)
