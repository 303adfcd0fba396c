"""Forms to record each instrument, and the municipality's thresholds.

Times and numbers are typed as text so that a comma decimal ("7,5") is taken and
whatever the user typed is kept when something is wrong."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.assessments.forms import score_choices
from mestring.assessments.models import FunctionVariable
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.outcomes import scoring
from mestring.outcomes.models import (
    DEFAULT_THRESHOLDS,
    DEFAULT_VERSIONS,
    Instrument,
    Observation,
    ObservationItem,
    TimePoint,
)
from mestring.outcomes.services import SPPB_BALANCE_TIMES
from mestring.people.models import Person
from mestring.rehab.models import Episode

ROWS = 5
POINT_CHOICES = [("", _("Regn ut fra tiden")), *[(str(n), str(n)) for n in range(5)]]
SECONDS_HELP = _("Sekunder, for eksempel 7,5. Tomt hvis ikke gjennomført.")


def _number_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class SecondsField(forms.CharField):
    """Seconds as Decimal; comma or point as decimal mark."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("widget", _number_input())
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            seconds = scoring.to_decimal(text)
        except scoring.ScoringError:
            raise forms.ValidationError(
                _("Skriv tiden i sekunder, for eksempel 7,5."), code="invalid"
            ) from None
        if seconds < 0 or seconds >= 1000:
            raise forms.ValidationError(_("Tiden må være fra 0 til 999 sekunder."), code="range")
        return seconds


def _whole_number(low: int, high: int, label: str, **kwargs: Any) -> forms.IntegerField:
    message = _("Skriv et helt tall fra %(low)s til %(high)s.") % {"low": low, "high": high}
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        **kwargs,
    )


class ObservationForm(forms.Form):
    """What every instrument records: date, time point, episode, version, note."""

    instrument: str = ""

    observed_on = forms.DateField(
        label=_("Dato for målingen"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={
            "required": _("Skriv inn datoen for målingen."),
            "invalid": _("Datoen må skrives som dd.mm.åååå."),
        },
    )
    time_point = forms.ChoiceField(
        label=_("Tidspunkt"),
        choices=[("", _("Velg tidspunkt")), *TimePoint.choices],
        error_messages={
            "required": _("Velg tidspunkt."),
            "invalid_choice": _("Velg et av tidspunktene i listen."),
        },
    )
    episode = forms.ModelChoiceField(
        label=_("Forløp"),
        help_text=_("Forløpet målingen hører til, hvis den gjøres i et forløp."),
        queryset=Episode.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Velg et av personens forløp.")},
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        episodes = model_choice_field(self, "episode")
        episodes.queryset = Episode.objects.filter(person=person).select_related("programme")
        episodes.empty_label = _("Ikke knyttet til et forløp")
        self.fields["version"] = forms.CharField(
            label=_("Versjon av instrumentet"),
            max_length=60,
            required=False,
            initial=DEFAULT_VERSIONS.get(self.instrument, ""),
        )
        self.fields["note"] = forms.CharField(
            label=_("Merknad"),
            max_length=500,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def clean_observed_on(self) -> datetime.date:
        value = self.cleaned_data["observed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Datoen for målingen kan ikke være fram i tid."))
        return value

    def common(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "observed_on": data["observed_on"],
            "time_point": data["time_point"],
            "episode": data["episode"],
            "version": data["version"],
            "note": data["note"],
        }

    def measures(self) -> dict[str, Any]:
        raise NotImplementedError


class SppbForm(ObservationForm):
    instrument = Instrument.SPPB

    side_by_side_s = SecondsField(
        label=_("Balanse: stå med samlede føtter (sekunder)"), help_text=SECONDS_HELP
    )
    semi_tandem_s = SecondsField(label=_("Balanse: semi-tandem (sekunder)"), help_text=SECONDS_HELP)
    tandem_s = SecondsField(label=_("Balanse: tandem (sekunder)"), help_text=SECONDS_HELP)
    balance = forms.ChoiceField(
        label=_("Eller poeng for balanse (0–4)"),
        choices=POINT_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Velg 0, 1, 2, 3 eller 4 poeng.")},
    )
    gait_s = SecondsField(label=_("Gange 4 meter (sekunder)"), help_text=SECONDS_HELP)
    gait = forms.ChoiceField(
        label=_("Eller poeng for ganghastighet (0–4)"),
        choices=POINT_CHOICES,
        required=False,
        help_text=_("Velg 0 hvis personen ikke klarte testen."),
        error_messages={"invalid_choice": _("Velg 0, 1, 2, 3 eller 4 poeng.")},
    )
    chair_s = SecondsField(
        label=_("Reise seg fra stol fem ganger (sekunder)"),
        help_text=_("Sekunder, for eksempel 12,3. Over 60 sekunder gir 0 poeng."),
    )
    chair = forms.ChoiceField(
        label=_("Eller poeng for reise seg fra stol (0–4)"),
        choices=POINT_CHOICES,
        required=False,
        help_text=_("Velg 0 hvis personen ikke klarte testen."),
        error_messages={"invalid_choice": _("Velg 0, 1, 2, 3 eller 4 poeng.")},
    )

    def measures(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("side_by_side_s", "semi_tandem_s", "tandem_s", "gait_s", "chair_s")
        parts = ("balance", "gait", "chair")
        points = {name: data[name] if data[name] != "" else None for name in parts}
        return {**{name: data[name] for name in names}, **points}


class CopmForm(ObservationForm):
    instrument = Instrument.COPM

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, ROWS + 1):
            self.fields[f"activity_{row}"] = forms.CharField(
                label=_("Aktivitet %(row)s") % {"row": row},
                max_length=200,
                required=False,
                help_text=_("Med personens egne ord.") if row == 1 else "",
            )
            self.fields[f"performance_{row}"] = _whole_number(
                1, 10, _("Utførelse, aktivitet %(row)s (1–10)") % {"row": row}
            )
            self.fields[f"satisfaction_{row}"] = _whole_number(
                1, 10, _("Tilfredshet, aktivitet %(row)s (1–10)") % {"row": row}
            )
        self.order_fields(
            ["observed_on", "time_point", "episode"]
            + [
                f"{name}_{row}"
                for row in range(1, ROWS + 1)
                for name in ("activity", "performance", "satisfaction")
            ]
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        filled = 0
        for row in range(1, ROWS + 1):
            names = [f"activity_{row}", f"performance_{row}", f"satisfaction_{row}"]
            if any(name in self.errors for name in names):
                filled += 1
                continue
            values = [cleaned.get(name) for name in names]
            if all(value in (None, "") for value in values):
                continue
            filled += 1
            messages = [
                _("Skriv inn aktiviteten."),
                _("Skriv utførelse fra 1 til 10."),
                _("Skriv tilfredshet fra 1 til 10."),
            ]
            for name, value, message in zip(names, values, messages, strict=True):
                if value in (None, ""):
                    self.add_error(name, message)
        if not filled:
            self.add_error("activity_1", _("Skriv inn minst én aktivitet."))
        return cleaned

    def measures(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "activities": [
                (data[f"activity_{row}"], data[f"performance_{row}"], data[f"satisfaction_{row}"])
                for row in range(1, ROWS + 1)
                if data.get(f"activity_{row}")
            ]
        }


class PsfsForm(ObservationForm):
    instrument = Instrument.PSFS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, ROWS + 1):
            self.fields[f"activity_{row}"] = forms.CharField(
                label=_("Aktivitet %(row)s") % {"row": row},
                max_length=200,
                required=False,
                help_text=_("En aktivitet personen har vansker med.") if row == 1 else "",
            )
            self.fields[f"score_{row}"] = _whole_number(
                0,
                10,
                _("Skår, aktivitet %(row)s (0–10)") % {"row": row},
                help_text=_("0 = klarer ikke, 10 = som før problemet.") if row == 1 else "",
            )
        self.order_fields(
            ["observed_on", "time_point", "episode"]
            + [f"{name}_{row}" for row in range(1, ROWS + 1) for name in ("activity", "score")]
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        filled = 0
        for row in range(1, ROWS + 1):
            activity, score = f"activity_{row}", f"score_{row}"
            if activity in self.errors or score in self.errors:
                filled += 1
                continue
            has_activity = bool(cleaned.get(activity))
            has_score = cleaned.get(score) is not None
            if not has_activity and not has_score:
                continue
            filled += 1
            if not has_activity:
                self.add_error(activity, _("Skriv inn aktiviteten."))
            if not has_score:
                self.add_error(score, _("Skriv skår fra 0 til 10."))
        if filled < scoring.PSFS_ACTIVITIES[0]:
            self.add_error(None, _("PSFS må ha minst tre aktiviteter."))
        return cleaned

    def measures(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "activities": [
                (data[f"activity_{row}"], data[f"score_{row}"])
                for row in range(1, ROWS + 1)
                if data.get(f"activity_{row}")
            ]
        }


VARIABLE_PREFIX = "variabel_"


class FunctionForm(ObservationForm):
    instrument = Instrument.FUNCTION

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variables = list(FunctionVariable.objects.filter(is_active=True))
        for variable in self.variables:
            self.fields[f"{VARIABLE_PREFIX}{variable.code}"] = forms.ChoiceField(
                label=variable.name,
                help_text=variable.description,
                choices=[("", _("Ikke skåret")), *score_choices(variable)],
                required=False,
                error_messages={
                    "invalid_choice": _("Velg 1, 2, 3, 4, 5 eller 9 (ikke relevant)."),
                },
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.variables and not any(
            cleaned.get(f"{VARIABLE_PREFIX}{v.code}") for v in self.variables
        ):
            self.add_error(None, _("Gi minst én funksjonsvariabel en skår."))
        return cleaned

    def measures(self) -> dict[str, Any]:
        return {
            "scores": {
                variable.code: int(value)
                if (value := self.cleaned_data.get(f"{VARIABLE_PREFIX}{variable.code}"))
                else None
                for variable in self.variables
            }
        }


FORMS: dict[str, type[ObservationForm]] = {
    Instrument.SPPB: SppbForm,
    Instrument.COPM: CopmForm,
    Instrument.PSFS: PsfsForm,
    Instrument.FUNCTION: FunctionForm,
}


def _plain(value: Decimal | None) -> str:
    """A stored number as the user would type it: "7,5", "12"."""
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def _points(item: ObservationItem) -> int:
    """The item's points as a whole number. The recorders give points to every item
    read for them here (only SPPB's balance times have none)."""
    assert item.points is not None, "an item read for its points has them"
    return int(item.points)


def initial_for(observation: Observation) -> dict[str, Any]:
    """The form's initial values for correcting an observation."""
    initial: dict[str, Any] = {
        "observed_on": observation.observed_on,
        "time_point": observation.time_point,
        "episode": observation.episode_id,
        "version": observation.version,
        "note": observation.note,
    }
    items = list(observation.items.all())
    if observation.instrument == Instrument.SPPB:
        by_code = {item.code: item for item in items}
        names = dict(
            zip(SPPB_BALANCE_TIMES, ("side_by_side_s", "semi_tandem_s", "tandem_s"), strict=True)
        )
        for code, name in names.items():
            if code in by_code:
                initial[name] = _plain(by_code[code].seconds)
        has_balance_times = any(code in by_code for code in SPPB_BALANCE_TIMES)
        if "balance" in by_code and not has_balance_times:
            initial["balance"] = str(_points(by_code["balance"]))
        for part in ("gait", "chair"):
            item = by_code.get(part)
            if item is None:
                continue
            if item.seconds is not None:
                initial[f"{part}_s"] = _plain(item.seconds)
            else:
                initial[part] = str(_points(item))
    elif observation.instrument in (Instrument.COPM, Instrument.PSFS):
        second = "performance" if observation.instrument == Instrument.COPM else "score"
        for row, item in enumerate(items[:ROWS], start=1):
            initial[f"activity_{row}"] = item.label
            initial[f"{second}_{row}"] = _points(item)
            if observation.instrument == Instrument.COPM and item.points_secondary is not None:
                initial[f"satisfaction_{row}"] = int(item.points_secondary)
    else:
        for item in items:
            initial[f"{VARIABLE_PREFIX}{item.code}"] = str(_points(item))
    return initial


class ThresholdForm(forms.Form):
    """One field per instrument; empty means the default."""

    def __init__(self, *args: Any, current: dict[str, Decimal | None], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                f"terskel_{key}": _plain(value) if value is not None else ""
                for key, value in current.items()
            },
        )
        super().__init__(*args, **kwargs)
        for instrument, label in Instrument.choices:
            self.fields[f"terskel_{instrument}"] = forms.CharField(
                label=label,
                max_length=8,
                required=False,
                widget=_number_input(),
                help_text=_("Standard er %(default)s. La feltet stå tomt for å bruke standarden.")
                % {"default": _plain(DEFAULT_THRESHOLDS[instrument])},
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for instrument in Instrument.values:
            name = f"terskel_{instrument}"
            text = cleaned.get(name)
            if not text:
                cleaned[name] = None
                continue
            try:
                value = scoring.to_decimal(text)
            except scoring.ScoringError:
                self.add_error(name, _("Skriv et tall, for eksempel 1,5."))
                continue
            if value <= 0 or value > Decimal("99.9") or value != value.quantize(Decimal("0.1")):
                self.add_error(name, _("Skriv et tall over 0 og høyst 99,9, med høyst én desimal."))
                continue
            cleaned[name] = value
        return cleaned
