"""Pages for outcome measures: a person's measures over time (chart and table), the
form per instrument, one observation, correcting and deleting it, and the
municipality's thresholds for a meaningful change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.decorators import staff_required
from mestring.access.guard import person_view
from mestring.access.permissions import ADMIN_UNITS
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.kernel.audit_words import AuditAction
from mestring.outcomes import selectors, services
from mestring.outcomes.forms import FORMS, ThresholdForm, initial_for
from mestring.outcomes.models import (
    DEFAULT_THRESHOLDS,
    Instrument,
    InstrumentThreshold,
    Observation,
    TimePoint,
)
from mestring.outcomes.templatetags.outcomes import score_text
from mestring.people.models import Person

# Each takes the form's common fields and its instrument's measures as keywords.
RECORDERS: dict[str, Callable[..., Observation]] = {
    Instrument.SPPB: services.sppb_record,
    Instrument.COPM: services.copm_record,
    Instrument.PSFS: services.psfs_record,
    Instrument.FUNCTION: services.function_record,
}


def _after_saving(person: Person, observation: Observation) -> str:
    """Back to the episode when the measure belongs to one (if the rehab pages exist)."""
    if observation.episode_id:
        try:
            return reverse(
                "rehab:episode_detail",
                kwargs={"person_id": person.pk, "episode_id": observation.episode_id},
            )
        except NoReverseMatch:
            return reverse("outcomes:person_measures", args=[person.pk])
    return reverse("outcomes:observation_detail", args=[person.pk, observation.pk])


def _saved_message(observation: Observation) -> str:
    return _("Målingen er lagret. Skår: %(total)s.") % {"total": score_text(observation.total)}


@staff_required()
@person_view(object_type="observations")
@require_GET
def person_measures(request: StaffRequest, person: Person) -> HttpResponseBase:
    context = {
        "person": person,
        "series": selectors.person_series(person),
        "instruments": Instrument.choices,
    }
    return csvexport.render_or_csv(request, "outcomes/person_measures.html", context)


def _preselected(request: StaffRequest, person: Person) -> dict[str, Any]:
    """?forlop=<episode id>&tidspunkt=start|midt|slutt|oppfolging, when they are valid."""
    initial: dict[str, Any] = {}
    raw = request.GET.get("forlop", "")
    if raw.isdigit() and selectors.person_episodes(person).filter(pk=int(raw)).exists():
        initial["episode"] = int(raw)
    if request.GET.get("tidspunkt") in TimePoint.values:
        initial["time_point"] = request.GET["tidspunkt"]
    return initial


def _observation_form(
    request: StaffRequest, person: Person, instrument: str, observation: Observation | None
) -> HttpResponse:
    form_class = FORMS[instrument]
    initial = initial_for(observation) if observation else _preselected(request, person)
    form = form_class(request.POST or None, person=person, initial=initial)
    recorder = RECORDERS[instrument]

    def save(_data: dict[str, Any]) -> Observation:
        return recorder(
            actor=request.actor,
            person=person,
            observation=observation,
            **form.common(),
            **form.measures(),
        )

    if request.method == "POST":
        saved = submit(
            request,
            form,
            save,
            success=_saved_message,
            rule_errors=services.RULE_ERRORS,
        )
        if saved is not None:
            return redirect(_after_saving(person, saved))
    context = {
        "person": person,
        "form": form,
        "observation": observation,
        "instrument": instrument,
        "instrument_label": Instrument(instrument).label,
    }
    return render(request, "outcomes/observation_form.html", context)


@staff_required()
@person_view(object_type="observation")
@require_http_methods(["GET", "POST"])
def observation_create(request: StaffRequest, person: Person, instrument: str) -> HttpResponse:
    if instrument not in FORMS:
        raise Http404
    return _observation_form(request, person, instrument, None)


@staff_required()
@person_view(action=AuditAction.UPDATE, object_type="observation")
@require_http_methods(["GET", "POST"])
def observation_edit(request: StaffRequest, person: Person, observation_id: int) -> HttpResponse:
    observation = get_object_or_404(Observation, pk=observation_id, person=person)
    return _observation_form(request, person, observation.instrument, observation)


@staff_required()
@person_view(object_type="observation")
@require_GET
def observation_detail(
    request: StaffRequest, person: Person, observation_id: int
) -> HttpResponseBase:
    observation = selectors.observation_for_page(person, observation_id)
    if observation is None:
        raise Http404
    context = {
        "person": person,
        "observation": observation,
        "items": list(observation.items.all()),
        "threshold": selectors.threshold_for(observation.instrument),
    }
    return csvexport.render_or_csv(request, "outcomes/observation_detail.html", context)


@staff_required()
@person_view(action=AuditAction.DELETE, object_type="observation")
@require_http_methods(["GET", "POST"])
def observation_delete(request: StaffRequest, person: Person, observation_id: int) -> HttpResponse:
    observation = get_object_or_404(Observation, pk=observation_id, person=person)
    if request.method == "POST":
        services.observation_delete(actor=request.actor, observation=observation)
        messages.success(request, _("Målingen er slettet."))
        return redirect("outcomes:person_measures", person_id=person.pk)
    return render(
        request,
        "outcomes/observation_delete.html",
        {"person": person, "observation": observation},
    )


def _own_thresholds() -> dict[str, Any]:
    own = dict(InstrumentThreshold.objects.values_list("instrument", "meaningful_change"))
    return {instrument: own.get(instrument) for instrument in Instrument.values}


@staff_required(ADMIN_UNITS)
@require_http_methods(["GET", "POST"])
def thresholds(request: StaffRequest) -> HttpResponseBase:
    current = _own_thresholds()
    form = ThresholdForm(request.POST or None, current=current)

    def save(data: dict[str, Any]) -> list[str]:
        changed = []
        for instrument in Instrument.values:
            value = data[f"terskel_{instrument}"]
            if value != current[instrument]:
                services.threshold_set(
                    actor=request.actor, instrument=instrument, meaningful_change=value
                )
                changed.append(instrument)
        return changed

    if request.method == "POST":
        saved = submit(
            request,
            form,
            save,
            success=_("Tersklene er lagret."),
            rule_errors=services.RULE_ERRORS,
        )
        if saved is not None:
            return redirect("outcomes:thresholds")
    rows = [
        {
            "label": label,
            "default": DEFAULT_THRESHOLDS[instrument],
            "own": current[instrument],
        }
        for instrument, label in Instrument.choices
    ]
    return csvexport.render_or_csv(
        request, "outcomes/thresholds.html", {"form": form, "rows": rows}
    )
