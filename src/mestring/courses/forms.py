"""Forms for courses, sessions, attendance and enrolment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mestring.catalogue.models import Service
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.courses.models import Course, CourseKind, Enrolment, TargetGroup
from mestring.courses.services import MAX_CAPACITY, SessionData
from mestring.people.models import Unit
from mestring.teams.forms import TimeTextField, local_datetime

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from mestring.courses.selectors import CountedCourse

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


class CourseForm(forms.Form):
    title = forms.CharField(
        label=_("Tittel"), max_length=150, error_messages={"required": _("Skriv inn en tittel.")}
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Velg type")), *CourseKind.choices],
        error_messages={
            "required": _("Velg type tilbud."),
            "invalid_choice": _("Velg en type fra listen."),
        },
    )
    target_group = forms.ChoiceField(
        label=_("Målgruppe"),
        choices=[("", _("Velg målgruppe")), *TargetGroup.choices],
        error_messages={
            "required": _("Velg målgruppe."),
            "invalid_choice": _("Velg en målgruppe fra listen."),
        },
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Velg enhet"),
        error_messages={
            "required": _("Velg enheten som holder kurset."),
            "invalid_choice": _("Velg en enhet fra listen."),
        },
    )
    service = forms.ModelChoiceField(
        label=_("Tjeneste"),
        queryset=Service.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Ingen tjeneste"),
        help_text=_(
            "Når et vedtak om tjenesten tildeles enheten, meldes personen på neste kurs "
            "for tjenesten."
        ),
        error_messages={"invalid_choice": _("Velg en tjeneste fra listen.")},
    )
    description = forms.CharField(
        label=_("Beskrivelse"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capacity = forms.IntegerField(
        label=_("Antall plasser"),
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("Når kurset er fullt, settes nye påmeldte på venteliste."),
        error_messages={
            "required": _("Skriv inn antall plasser."),
            "invalid": _("Skriv et helt tall."),
            "min_value": _("Kurset må ha minst 1 plass."),
            "max_value": _("Kurset kan ha høyst %(limit_value)s plasser."),
        },
    )
    starts_on = date_field(_("Starter"), _("Skriv inn når kurset starter."))
    ends_on = date_field(_("Slutter"), "", required=False)
    is_published = forms.BooleanField(label=_("Åpent for påmelding"), required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Kurset kan ikke slutte før det starter."))
        return cleaned

    @staticmethod
    def initial_for(course: Course) -> dict[str, Any]:
        return {
            "title": course.title,
            "kind": course.kind,
            "target_group": course.target_group,
            "unit": course.unit_id,
            "service": course.service_id,
            "description": course.description,
            "capacity": course.capacity,
            "starts_on": course.starts_on,
            "ends_on": course.ends_on,
            "is_published": course.is_published,
        }


class SessionForm(forms.Form):
    day = date_field(_("Dato"), _("Skriv inn datoen for samlingen."))
    start_time = TimeTextField(
        label=_("Fra klokken"), error_messages={"required": _("Skriv inn når samlingen starter.")}
    )
    end_time = TimeTextField(
        label=_("Til klokken"), error_messages={"required": _("Skriv inn når samlingen slutter.")}
    )
    place = forms.CharField(
        label=_("Sted"),
        max_length=200,
        error_messages={"required": _("Skriv hvor samlingen holdes.")},
    )
    topic = forms.CharField(label=_("Tema"), max_length=200, required=False)

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
            self.add_error("end_time", _("Samlingen må slutte etter at den starter."))
        cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned

    def session_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(data["starts_at"], data["ends_at"], data["place"], data["topic"])


class ParticipantChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        return f"{obj.person.family_name}, {obj.person.given_name}"


class AttendanceForm(forms.Form):
    present = ParticipantChoice(
        label=_("Til stede"),
        queryset=Enrolment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kryss av for dem som kom. De andre registreres som borte."),
        error_messages={
            "invalid_choice": _("Velg blant deltakerne på kurset."),
            "invalid_pk_value": _("Velg blant deltakerne på kurset."),
        },
    )

    def __init__(self, *args: Any, participants: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "present")
        field.queryset = Enrolment.objects.filter(pk__in=[e.pk for e in participants])
        # The choices come from the list already fetched, with the persons joined.
        field.choices = [(e.pk, field.label_from_instance(e)) for e in participants]


class CourseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: CountedCourse) -> str:
        full = obj.enrolled_count >= obj.capacity
        when = obj.starts_on.strftime("%d.%m.%Y")
        suffix = (
            _("fullt, venteliste")
            if full
            else _("%(n)s ledige") % {"n": obj.capacity - obj.enrolled_count}
        )
        return f"{obj.title} ({when}, {suffix})"


class EnrolForm(forms.Form):
    course = CourseChoice(
        label=_("Kurs"),
        queryset=Course.objects.none(),
        empty_label=_("Velg kurs"),
        error_messages={
            "required": _("Velg et kurs."),
            "invalid_choice": _("Velg et kurs fra listen."),
        },
    )
    note = forms.CharField(label=_("Merknad"), max_length=500, required=False)

    def __init__(self, *args: Any, courses: QuerySet[CountedCourse], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "course").queryset = courses
