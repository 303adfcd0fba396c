"""The decision letter (vedtaksbrev) as a PDF in Norwegian bokmål.

The letter follows forvaltningsloven §§ 24–27: the decision in plain words, the
reasons, the legal basis as the municipality words it, and what the person may do:
appeal within the deadline, see the case documents, get help with the appeal.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from mestring.casework.models import APPEAL_WEEKS, Decision, DecisionOutcome, DecisionSubject
from mestring.core.pdf import PdfDocument


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _weeks_in_words(weeks: int) -> str:
    words = {3: _("tre uker"), 4: _("fire uker")}
    return words.get(weeks, _("%(n)s uker") % {"n": weeks})


def letter_title(decision: Decision) -> str:
    if decision.subject == DecisionSubject.COORDINATOR:
        return _("Vedtak om koordinator")
    return _("Vedtak om individuell plan")


def outcome_in_words(decision: Decision) -> str:
    """What the person gets, said the way the person would say it."""
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


def _appeal(document: PdfDocument, decision: Decision, sender: str, contact: str) -> None:
    document.heading(_("Du kan klage"))
    document.paragraph(
        _("Du kan klage på vedtaket innen %(weeks)s fra den dagen du fikk dette brevet.")
        % {"weeks": _weeks_in_words(APPEAL_WEEKS)}
    )
    document.paragraph(_deadline_text(decision))
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


def decision_letter(decision: Decision) -> PdfDocument:
    """The letter for one decision. Expects case, person, unit and staff loaded."""
    case = decision.case
    unit = case.responsible_unit
    municipality = case.municipality.name
    sender = f"{unit.name}, {municipality}" if unit else municipality
    contact = sender + (f", telefon {unit.phone}" if unit and unit.phone else "")
    staff = decision.decided_by
    reference = {"case": case.pk, "id": decision.pk}
    document = PdfDocument(
        title=letter_title(decision),
        author=municipality,
        subject=_("Enkeltvedtak"),
    )
    document.paragraph(" · ".join(part for part in (municipality, unit and unit.name) if part))
    document.facts(
        [
            (_("Dato"), _day(decision.letter_sent_on or decision.decided_on)),
            (_("Til"), "\n".join(_address_lines(decision))),
            (_("Vår referanse"), _("Sak %(case)s, vedtak %(id)s") % reference),
        ]
    )
    document.heading(_("Vedtak"))
    document.paragraph(outcome_in_words(decision))
    document.facts(
        [
            (_("Resultat"), decision.get_outcome_display()),
            (_("Vedtaksdato"), _day(decision.decided_on)),
            (_("Periode"), period_in_words(decision)),
        ]
    )
    document.heading(_("Begrunnelse"))
    document.paragraph(decision.reasons)
    document.heading(_("Hjemmel"))
    document.paragraph(decision.cited_title)
    document.paragraph(decision.cited_text)
    _appeal(document, decision, sender, contact)
    document.heading(_("Vedtaket er fattet av"))
    name = staff.user.get_full_name() or staff.user.username
    document.paragraph(", ".join(part for part in (name, staff.title, sender) if part))
    return document


def decision_letter_pdf(decision: Decision) -> bytes:
    return decision_letter(decision).render()
