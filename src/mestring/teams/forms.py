"""Forms for groups, members, meetings, minutes and follow-up items.

Dates are typed as dd.mm.åååå; a meeting's times as tt:mm in a separate field. The
time is read as Europe/Oslo wall-clock time and stored in UTC.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.people.models import Person, Relative, Staff, Unit
from mestring.teams.models import Attendance, GroupMember, Meeting, MemberKind, ServiceLine

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}
TIME_HELP = _("Skriv klokkeslettet som tt:mm, for eksempel 09:30.")
TIME_PATTERN = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


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


class TimeTextField(forms.CharField):
    """A time of day typed as tt:mm (09:30 or 9.30); gives a datetime.time."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", TIME_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 5}))
        super().__init__(**kwargs)

    def to_python(  # type: ignore[override]  # cleans to a time, not to text
        self,
        value: Any,
    ) -> datetime.time | None:
        text = super().to_python(value)
        if not text:
            return None
        match = TIME_PATTERN.match(text)
        if match is None:
            raise forms.ValidationError(
                _("Klokkeslettet må skrives som tt:mm, for eksempel 09:30."), code="invalid"
            )
        return datetime.time(int(match.group(1)), int(match.group(2)))

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%H:%M") if isinstance(value, datetime.time) else value


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime | None:
    """The moment of a local wall-clock time, or None if it does not exist that day
    (the hour skipped when summer time starts)."""
    zone = timezone.get_default_timezone()
    moment = datetime.datetime.combine(day, time, tzinfo=zone)
    back = moment.astimezone(datetime.UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment.astimezone(datetime.UTC)


class GroupCreateForm(forms.Form):
    started_on = date_field(_("Opprettet"), _("Skriv inn datoen gruppen opprettes."))


class GroupEndForm(forms.Form):
    ended_on = date_field(_("Avsluttet"), _("Skriv inn datoen gruppen avsluttes."))


class MemberEndForm(forms.Form):
    ended_on = date_field(_("Medlem til og med"), _("Skriv inn datoen medlemskapet slutter."))


class MemberForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type medlem"),
        choices=[(k.value, k.label) for k in MemberKind if k != MemberKind.PERSON],
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvilken type medlem det er.")},
    )
    staff = forms.ModelChoiceField(
        label=_("Ansatt (kommunal tjenesteyter)"),
        queryset=Staff.objects.filter(is_active=True).select_related("user"),
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    relative = forms.ModelChoiceField(
        label=_("Pårørende eller verge"), queryset=Relative.objects.none(), required=False
    )
    name = forms.CharField(label=_("Navn (ekstern samarbeidspart)"), max_length=200, required=False)
    role = forms.CharField(
        label=_("Rolle i gruppen"),
        max_length=150,
        help_text=_("For eksempel fysioterapeut, fastlege eller datter."),
        error_messages={"required": _("Skriv hvilken rolle medlemmet har i gruppen.")},
    )
    line = forms.ChoiceField(
        label=_("Tjenestenivå"), choices=ServiceLine.choices, required=False, initial=""
    )
    email = forms.EmailField(
        label=_("E-post for innkalling"),
        required=False,
        help_text=_("Står det tomt, brukes e-posten som er registrert på den ansatte."),
        error_messages={"invalid": _("E-postadressen ser ikke riktig ut.")},
    )
    started_on = date_field(_("Medlem fra"), _("Skriv inn datoen medlemskapet starter."))
    is_chair = forms.BooleanField(
        label=_("Leder gruppen (koordinatoren)"),
        required=False,
        help_text=_("Gruppen har én leder. En ny leder tar over etter den som leder nå."),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "relative").queryset = Relative.objects.filter(person=person)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        kind = cleaned.get("kind")
        if kind == MemberKind.RELATIVE and not cleaned.get("relative"):
            self.add_error("relative", _("Velg hvilken pårørende som skal være med."))
        if kind == MemberKind.INTERNAL and not (cleaned.get("staff") or cleaned.get("unit")):
            self.add_error("staff", _("Velg en ansatt eller en enhet."))
        if kind == MemberKind.EXTERNAL and not (
            cleaned.get("name", "").strip() or cleaned.get("unit")
        ):
            self.add_error("name", _("Skriv navnet på den eksterne samarbeidsparten."))
        if cleaned.get("is_chair") and kind and kind != MemberKind.INTERNAL:
            self.add_error("is_chair", _("Lederen av gruppen må være en kommunal tjenesteyter."))
        if kind == MemberKind.INTERNAL and not cleaned.get("line"):
            cleaned["line"] = ServiceLine.FIRST
        return cleaned


class MeetingForm(forms.Form):
    day = date_field(_("Dato"), _("Skriv inn datoen for møtet."))
    start_time = TimeTextField(
        label=_("Fra klokken"), error_messages={"required": _("Skriv inn når møtet starter.")}
    )
    end_time = TimeTextField(
        label=_("Til klokken"), error_messages={"required": _("Skriv inn når møtet slutter.")}
    )
    place = forms.CharField(
        label=_("Sted"),
        max_length=200,
        help_text=_(
            "Stedet står i kalenderinvitasjonen. Ikke skriv personens navn eller "
            "helseopplysninger her."
        ),
        error_messages={"required": _("Skriv hvor møtet holdes.")},
    )
    agenda = forms.CharField(
        label=_("Saksliste"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sakslisten vises i Mestring, ikke i kalenderinvitasjonen."),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_place(self) -> str:
        place = self.cleaned_data["place"].strip()
        words = set(re.findall(r"\w+", place.casefold()))
        names = re.findall(r"\w+", f"{self.person.given_name} {self.person.family_name}".casefold())
        if any(name in words for name in names if len(name) > 1):
            raise forms.ValidationError(
                _("Stedet står i kalenderinvitasjonen. Skriv det uten personens navn.")
            )
        return place

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if not (day and start and end):
            return cleaned
        starts_at, ends_at = local_datetime(day, start), local_datetime(day, end)
        if starts_at is None:
            self.add_error("start_time", _("Klokkeslettet finnes ikke denne dagen (sommertid)."))
        if ends_at is None:
            self.add_error("end_time", _("Klokkeslettet finnes ikke denne dagen (sommertid)."))
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("end_time", _("Møtet må slutte etter at det starter."))
        cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "day": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "place": meeting.place,
            "agenda": meeting.agenda,
        }


class RecordForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Hvem møtte?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=_("Referat"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Skriv referatet fra møtet.")},
    )
    decisions = forms.CharField(
        label=_("Beslutninger"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    shared_with_person = forms.BooleanField(
        label=_("Referatet deles med personen"), required=False, initial=True
    )

    def __init__(self, *args: Any, attendances: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member_choices = [
            (str(row.member_id), f"{row.member.display_name} ({row.member.role})")
            for row in attendances
        ]
        attended = self.fields["attended"]
        assert isinstance(attended, forms.MultipleChoiceField)  # declared so above
        attended.choices = self.member_choices

    def attendance(self) -> dict[int, bool]:
        present = {int(value) for value in self.cleaned_data["attended"]}
        return {int(value): int(value) in present for value, _label in self.member_choices}

    @staticmethod
    def initial_for(meeting: Meeting, attendances: list[Attendance]) -> dict[str, Any]:
        return {
            "attended": [str(row.member_id) for row in attendances if row.attended],
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
            "shared_with_person": meeting.minutes_shared_with_person,
        }


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: GroupMember) -> str:
        return f"{obj.display_name} ({obj.role})"


class FollowUpForm(forms.Form):
    what = forms.CharField(
        label=_("Hva skal gjøres"),
        max_length=500,
        error_messages={"required": _("Skriv hva som skal gjøres.")},
    )
    responsible = MemberChoiceField(
        label=_("Ansvarlig"),
        queryset=GroupMember.objects.none(),
        error_messages={"required": _("Velg hvem som er ansvarlig.")},
    )
    due_on = date_field(_("Frist"), _("Skriv inn fristen."))

    def __init__(self, *args: Any, members: QuerySet[GroupMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "responsible").queryset = members
