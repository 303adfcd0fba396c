"""The plan as a PDF the person can take home, in plain language ("my plan")."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.core.pdf import PdfDocument
from mestring.plans.revisions import (
    measure_responsible,
    participant_name,
    period,
    show_date,
    staff_name,
)
from mestring.plans.selectors import PlanContent


def _or_dash(value: object) -> str:
    return str(value) if value else "–"


def _coordinator_facts(content: PlanContent) -> list[tuple[str, object]]:
    if content.coordinator is None:
        return [(_("Koordinator"), _("Ingen koordinator er oppnevnt ennå."))]
    staff = content.coordinator.coordinator
    return [
        (_("Koordinator"), staff_name(staff)),
        (_("Telefon til koordinator"), _or_dash(staff.phone)),
        (_("E-post til koordinator"), _or_dash(staff.user.email)),
    ]


def _goals(document: PdfDocument, content: PlanContent) -> None:
    document.heading(_("Mine mål"))
    if not content.goals:
        document.paragraph(_("Ingen mål er skrevet ennå."))
        return
    document.table(
        [_("Mål"), _("Status"), _("Hvor langt jeg har kommet"), _("Ønsket dato")],
        [
            [
                goal.text,
                goal.get_status_display(),
                goal.get_achievement_display(),
                _or_dash(show_date(goal.target_date)),
            ]
            for goal in content.goals
        ],
    )


def _measures(document: PdfDocument, content: PlanContent) -> None:
    document.heading(_("Tiltak – det som skal gjøres"))
    if not content.measures:
        document.paragraph(_("Ingen tiltak er avtalt ennå."))
        return
    document.table(
        [_("Hva"), _("Hvor mye"), _("Hvem"), _("Hvordan"), _("Når")],
        [
            [
                measure.title,
                _or_dash(measure.scope),
                _or_dash(measure_responsible(measure)),
                _or_dash(measure.how),
                _or_dash(period(measure.start_on, measure.end_on)),
            ]
            for measure in content.measures
        ],
    )


def _participants(document: PdfDocument, content: PlanContent) -> None:
    plan = content.plan
    document.heading(_("Hvem som er med, og hva de bidrar med"))
    if content.participants:
        document.table(
            [_("Navn"), _("Rolle"), _("Bidrar med")],
            [[participant_name(p), p.role, _or_dash(p.contribution)] for p in content.participants],
        )
    document.space()
    document.facts(
        [
            (_("Det jeg selv bidrar med"), _or_dash(plan.person_contribution)),
            (_("Det pårørende bidrar med"), _or_dash(plan.relatives_contribution)),
        ]
    )


def _consents(document: PdfDocument, content: PlanContent) -> None:
    document.heading(_("Samtykker"))
    rows = [
        [
            consent.get_kind_display(),
            consent.scope,
            show_date(consent.given_on),
            _or_dash(show_date(consent.withdrawn_on)),
        ]
        for consent in content.consents
    ]
    document.table([_("Samtykke"), _("Gjelder"), _("Gitt"), _("Trukket tilbake")], rows)


def _evaluations(document: PdfDocument, content: PlanContent) -> None:
    document.heading(_("Evalueringer"))
    if not content.evaluations:
        document.paragraph(_("Planen er ikke evaluert ennå."))
        return
    document.table(
        [_("Dato"), _("Gjelder"), _("Resultat"), _("Hva vi fant ut")],
        [
            [
                show_date(e.evaluated_on),
                e.goal.text if e.goal else _("Hele planen"),
                _or_dash(e.get_achievement_display() if e.achievement else ""),
                e.text,
            ]
            for e in content.evaluations
        ],
    )


def plan_pdf(content: PlanContent) -> bytes:
    plan = content.plan
    person = plan.person
    document = PdfDocument(
        title=_("Min individuelle plan"),
        author=str(plan.municipality.name),
        subject=_("Individuell plan for %(name)s") % {"name": person.full_name},
    )
    document.paragraph(f"{person.full_name}, {_('født')} {show_date(person.birth_date)}")
    document.space()
    facts = [
        (_("Planen gjelder"), period(plan.start_date, plan.end_date) or show_date(plan.start_date)),
        (_("Neste gang planen skal gås gjennom"), _or_dash(show_date(plan.next_revision_on))),
        (_("Ansvarlig enhet"), plan.responsible_unit.name),
        *_coordinator_facts(content),
    ]
    if plan.is_closed:
        facts.append((_("Planen ble avsluttet"), show_date(plan.closed_on)))
    document.facts(facts)
    document.heading(_("Hva er viktig for meg"))
    document.paragraph(_or_dash(plan.what_matters))
    if plan.resources_and_needs:
        document.heading(_("Mine ressurser og behov"))
        document.paragraph(plan.resources_and_needs)
    _goals(document, content)
    _measures(document, content)
    _participants(document, content)
    document.heading(_("Samarbeid med andre"))
    document.paragraph(_or_dash(plan.cooperation))
    _consents(document, content)
    _evaluations(document, content)
    document.space(8)
    printed = timezone.localdate().strftime("%d.%m.%Y")
    document.paragraph(
        _(
            "Skrevet ut %(day)s. Versjon %(version)s av planen. Ta kontakt med koordinatoren "
            "din hvis noe er feil eller du vil endre noe."
        )
        % {"day": printed, "version": plan.version},
        small=True,
    )
    return document.render()
