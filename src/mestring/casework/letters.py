"""The decision letter (vedtaksbrev) as a PDF in Norwegian bokmål.

The letter follows forvaltningsloven §§ 24–27: the decision in plain words, the
reasons, the legal basis as the municipality words it, and what the person may do:
appeal within the deadline, see the case documents, get help with the appeal.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mestring.casework.models import (
    APPEAL_WEEKS,
    Decision,
    DecisionChange,
    DecisionOutcome,
    DecisionState,
    DecisionSubject,
)
from mestring.core.pdf import PdfDocument


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _weeks_in_words(weeks: int) -> str:
    words = {3: _("tre uker"), 4: _("fire uker")}
    return words.get(weeks, _("%(n)s uker") % {"n": weeks})


def letter_title(decision: Decision, *, stop: bool = False) -> str:
    if decision.subject == DecisionSubject.SERVICE:
        names = {"service": decision.decided_service.name}
        if stop:
            return _("Vedtak om stans av %(service)s") % names
        if decision.replaces_id:
            return _("Vedtak om endring av %(service)s") % names
        return _("Vedtak om %(service)s") % names
    if decision.subject == DecisionSubject.COORDINATOR:
        return _("Vedtak om koordinator")
    return _("Vedtak om individuell plan")


def _service_outcome_in_words(decision: Decision) -> str:
    names = {"service": decision.decided_service.name.lower()}
    if decision.outcome == DecisionOutcome.GRANTED:
        return _("Du får %(service)s.") % names
    if decision.outcome == DecisionOutcome.PARTLY:
        return _("Søknaden din om %(service)s er delvis innvilget.") % names
    return _("Du får ikke %(service)s. Søknaden din er avslått.") % names


def scope_in_words(decision: Decision) -> str:
    """How much is granted: hours per week and/or days (døgn)."""
    parts = []
    if decision.hours_per_week is not None:
        hours = f"{decision.hours_per_week:.1f}".replace(".", ",").removesuffix(",0")
        parts.append(_("%(hours)s timer per uke") % {"hours": hours})
    if decision.days is not None:
        parts.append(
            ngettext("%(days)s døgn", "%(days)s døgn", decision.days) % {"days": decision.days}
        )
    return _(" og ").join(parts) if parts else _("Ikke aktuelt")


def outcome_in_words(decision: Decision) -> str:
    """What the person gets, said the way the person would say it."""
    if decision.subject == DecisionSubject.SERVICE:
        return _service_outcome_in_words(decision)
    plan = decision.subject == DecisionSubject.INDIVIDUAL_PLAN
    if decision.outcome == DecisionOutcome.GRANTED:
        return _("Du får individuell plan.") if plan else _("Du får koordinator.")
    if decision.outcome == DecisionOutcome.PARTLY:
        return (
            _("Søknaden din om individuell plan er delvis innvilget.")
            if plan
            else _("Søknaden din om koordinator er delvis innvilget.")
        )
    return (
        _("Du får ikke individuell plan. Søknaden din er avslått.")
        if plan
        else _("Du får ikke koordinator. Søknaden din er avslått.")
    )


def period_in_words(decision: Decision) -> str:
    start, end = decision.valid_from, decision.valid_to
    if start and end:
        return _("Fra %(start)s til %(end)s") % {"start": _day(start), "end": _day(end)}
    if start:
        return _("Fra %(start)s, uten sluttdato") % {"start": _day(start)}
    if end:
        return _("Til %(end)s") % {"end": _day(end)}
    return _("Fra vedtaksdatoen, uten sluttdato")


def _address_lines(decision: Decision) -> list[str]:
    person = decision.case.person
    postal = f"{person.postal_code} {person.postal_town}".strip()
    return [line for line in (person.full_name, person.street_address, postal) if line]


def _deadline_text(decision: Decision) -> str:
    if decision.letter_sent_on:
        start = _("datoen brevet ble sendt, %(day)s") % {"day": _day(decision.letter_sent_on)}
    else:
        start = _("vedtaksdatoen, %(day)s") % {"day": _day(decision.decided_on)}
    return _("Regnet fra %(start)s, er siste frist for å klage %(deadline)s.") % {
        "start": start,
        "deadline": _day(decision.appeal_deadline),
    }


def _stop_deadline_text(change: DecisionChange) -> str:
    deadline = change.changed_on + datetime.timedelta(weeks=APPEAL_WEEKS)
    return _(
        "Regnet fra datoen for dette brevet, %(day)s, er siste frist for å klage %(deadline)s."
    ) % {
        "day": _day(change.changed_on),
        "deadline": _day(deadline),
    }


def _appeal(
    document: PdfDocument,
    decision: Decision,
    sender: str,
    contact: str,
    stop_change: DecisionChange | None = None,
) -> None:
    document.heading(_("Du kan klage"))
    document.paragraph(
        _("Du kan klage på vedtaket innen %(weeks)s fra den dagen du fikk dette brevet.")
        % {"weeks": _weeks_in_words(APPEAL_WEEKS)}
    )
    document.paragraph(
        _stop_deadline_text(stop_change) if stop_change else _deadline_text(decision)
    )
    document.paragraph(
        _(
            "Send klagen til %(sender)s. Skriv hvilket vedtak du klager på, hva du ønsker "
            "endret, og hvorfor. Husk å skrive under klagen."
        )
        % {"sender": sender}
    )
    document.paragraph(
        _(
            "Vi vurderer saken på nytt når vi får klagen. Hvis vi ikke endrer vedtaket, sender "
            "vi klagen videre til Statsforvalteren, som avgjør saken."
        )
    )
    document.paragraph(
        _(
            "Du har rett til å se dokumentene i saken din (forvaltningsloven § 18). "
            "Ta kontakt med oss hvis du vil se dem."
        )
    )
    document.paragraph(
        _("Du kan få hjelp til å skrive klagen. Ta kontakt med %(contact)s.") % {"contact": contact}
    )


def _change(decision: Decision, to_status: str) -> DecisionChange | None:
    """The history row that changed or stopped this decision."""
    return decision.changes.filter(to_status=to_status).order_by("-changed_on", "-pk").first()


def _decision_part(document: PdfDocument, decision: Decision) -> None:
    document.heading(_("Vedtak"))
    old = decision.replaces
    if old is not None:
        change = _change(old, DecisionState.CHANGED)
        document.paragraph(
            _("Dette vedtaket erstatter vedtaket ditt av %(day)s.") % {"day": _day(old.decided_on)}
        )
        if change is not None:
            document.paragraph(_("Grunnen til endringen: %(reason)s") % {"reason": change.reason})
    document.paragraph(outcome_in_words(decision))
    rows = [(_("Resultat"), decision.get_outcome_display())]
    if decision.subject == DecisionSubject.SERVICE:
        rows = [(_("Tjeneste"), decision.decided_service.name), *rows]
        rows.append((_("Omfang"), scope_in_words(decision)))
    rows += [
        (_("Vedtaksdato"), _day(decision.decided_on)),
        (_("Periode"), period_in_words(decision)),
    ]
    document.facts(rows)
    document.heading(_("Begrunnelse"))
    document.paragraph(decision.reasons)


def _stop_part(document: PdfDocument, decision: Decision) -> None:
    change = _change(decision, DecisionState.STOPPED)
    document.heading(_("Vedtak om stans"))
    document.paragraph(
        _("Vedtaket ditt om %(service)s av %(day)s stanses fra %(stop)s.")
        % {
            "service": decision.decided_service.name.lower(),
            "day": _day(decision.decided_on),
            "stop": _day(decision.stopped_on),
        }
    )
    document.facts(
        [
            (_("Tjeneste"), decision.decided_service.name),
            (_("Omfang som stanses"), scope_in_words(decision)),
            (_("Stanses fra"), _day(decision.stopped_on)),
        ]
    )
    document.heading(_("Begrunnelse"))
    document.paragraph(change.reason if change is not None else "")


def decision_letter(decision: Decision, *, stop: bool = False) -> PdfDocument:
    """The letter for one decision, or with `stop` the letter that stops it. Expects
    case, person, unit, service and staff loaded."""
    if stop and decision.status != DecisionState.STOPPED:
        raise ValueError("Only a stopped decision has a stop letter.")
    case = decision.case
    unit = case.responsible_unit
    municipality = case.municipality.name
    sender = f"{unit.name}, {municipality}" if unit else municipality
    contact = sender + (f", telefon {unit.phone}" if unit and unit.phone else "")
    stop_change = _change(decision, DecisionState.STOPPED) if stop else None
    staff = decision.decided_by
    reference = {"case": case.pk, "id": decision.pk}
    letter_day = stop_change.changed_on if stop_change else decision.letter_sent_on
    document = PdfDocument(
        title=letter_title(decision, stop=stop),
        author=municipality,
        subject=_("Enkeltvedtak"),
    )
    document.paragraph(" · ".join(part for part in (municipality, unit and unit.name) if part))
    document.facts(
        [
            (_("Dato"), _day(letter_day or decision.decided_on)),
            (_("Til"), "\n".join(_address_lines(decision))),
            (_("Vår referanse"), _("Sak %(case)s, vedtak %(id)s") % reference),
        ]
    )
    (_stop_part if stop else _decision_part)(document, decision)
    document.heading(_("Hjemmel"))
    document.paragraph(decision.cited_title)
    document.paragraph(decision.cited_text)
    _appeal(document, decision, sender, contact, stop_change)
    document.heading(_("Vedtaket er fattet av"))
    if stop_change is not None and stop_change.changed_by is not None:
        user = stop_change.changed_by
        document.paragraph(f"{user.get_full_name() or user.username}, {sender}")
    else:
        name = staff.user.get_full_name() or staff.user.username
        document.paragraph(", ".join(part for part in (name, staff.title, sender) if part))
    return document


def decision_letter_pdf(decision: Decision, *, stop: bool = False) -> bytes:
    return decision_letter(decision, stop=stop).render()
