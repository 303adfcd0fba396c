"""Demo data: the current action plan 2023–2026 with four goals and twelve actions,
statuses per year and one evaluation, and the archived version 2019–2022.

The wording is synthetic, modelled on the kind of actions municipal rehabilitation
plans list. Responsible units are looked up by name among the demo
units; an unknown name is kept as free text.
"""

from __future__ import annotations

import datetime
import random

from mestring.actionplan.models import (
    Action,
    ActionStatus,
    ActionStatusChange,
    ActionYearStatus,
    Financing,
    MunicipalPlan,
    MunicipalPlanStatusChange,
    PlanGoal,
    PlanStatus,
)
from mestring.people.models import Staff, Unit

GOALS = [
    "Innbyggerne mestrer hverdagen hjemme lenger, med tidlig innsats og hverdagsrehabilitering.",
    "Tjenestene henger sammen: én dør inn og en fast koordinator for den som trenger det.",
    "Brukerens mål styrer tiltakene, og brukerorganisasjonene tas med i utviklingen.",
    "Kommunen har kompetanse og kapasitet til å møte flere eldre fram mot 2040.",
]

# number, title, responsible (unit name or free text), from, to, cost, financing, goals
ACTIONS = [
    (
        "1",
        "Hverdagsrehabilitering i hele kommunen",
        "Hjemmetjenesten",
        2023,
        2024,
        None,
        Financing.RESTRUCTURING,
        [1],
    ),
    (
        "2",
        "Forebyggende hjemmebesøk til innbyggere som fyller 78 år",
        "Fysio- og ergoterapitjenesten",
        2024,
        2026,
        250_000,
        Financing.BUDGET,
        [1],
    ),
    (
        "3",
        "Styrke koordinerende enhet med fast kontaktperson",
        "Tjenestekontor og koordinerende enhet",
        2023,
        2026,
        400_000,
        Financing.BUDGET,
        [2],
    ),
    (
        "4",
        "Felles opplæring i individuell plan for koordinatorer",
        "Tjenestekontor og koordinerende enhet",
        2023,
        2023,
        30_000,
        Financing.RESTRUCTURING,
        [2],
    ),
    (
        "5",
        "Utvidet frisklivstilbud med kveldsgrupper",
        "Frisklivssentralen",
        2024,
        2025,
        150_000,
        Financing.EXTERNAL,
        [1, 4],
    ),
    (
        "6",
        "Lokalt hjelpemiddellager med utlån samme dag",
        "Hjelpemiddellageret",
        2023,
        2025,
        120_000,
        Financing.RESTRUCTURING,
        [1],
    ),
    (
        "7",
        "Velferdsteknologi: digitalt tilsyn og medisineringsstøtte",
        "Alle enheter",
        2023,
        2026,
        800_000,
        Financing.EXTERNAL,
        [4],
    ),
    (
        "8",
        "Faste samarbeidsmøter med brukerorganisasjonene",
        "Alle enheter, KE koordinerer",
        2023,
        2026,
        None,
        Financing.RESTRUCTURING,
        [3],
    ),
    (
        "9",
        "Kartlegging med «Hva er viktig for deg?» i alle nye saker",
        "Hjemmetjenesten",
        2023,
        2024,
        None,
        Financing.RESTRUCTURING,
        [3],
    ),
    (
        "10",
        "Lærings- og mestringskurs for personer med kols og diabetes",
        "Frisklivssentralen",
        2025,
        2026,
        60_000,
        Financing.EXTERNAL,
        [3],
    ),
    (
        "11",
        "Rekruttere og beholde ergoterapeuter",
        "Fysio- og ergoterapitjenesten",
        2024,
        2026,
        600_000,
        Financing.BUDGET,
        [4],
    ),
    (
        "12",
        "Revidere planen",
        "Ledergruppen helse og omsorg",
        2026,
        2026,
        None,
        Financing.RESTRUCTURING,
        [2],
    ),
]

OLD_ACTIONS = [
    ("1", "Tverrfaglige team for rehabilitering", "Alle enheter", 2019, 2022),
    ("2", "Styrke koordinerende enhet", "Tjenestekontor og koordinerende enhet", 2019, 2020),
    ("3", "Frisklivssentral", "Frisklivssentralen", 2019, 2022),
    ("4", "Revidere planen", "Ledergruppen helse og omsorg", 2022, 2022),
]


def _responsible(name: str, units: dict[str, Unit]) -> dict:
    unit = units.get(name.lower())
    return {"responsible_unit": unit, "responsible_text": "" if unit else name}


def _set_status(
    action: Action, year: int, status: str, staff: Staff | None, note: str = ""
) -> None:
    row = ActionYearStatus.objects.create(action=action, year=year, status=status, note=note)
    ActionStatusChange.objects.create(
        year_status=row,
        action=action,
        year=year,
        from_status=ActionStatus.NOT_STARTED,
        to_status=status,
        reason=note,
        changed_by=staff.user if staff is not None else None,
    )


def _plan_history(plan: MunicipalPlan, staff: Staff | None) -> None:
    """The version's history as the services would have written it."""
    steps = [("", PlanStatus.ACTIVE)]
    if plan.status == PlanStatus.ARCHIVED:
        steps.append((PlanStatus.ACTIVE, PlanStatus.ARCHIVED))
    for from_status, to_status in steps:
        MunicipalPlanStatusChange.objects.create(
            plan=plan,
            from_status=from_status,
            to_status=to_status,
            changed_by=staff.user if staff is not None else None,
        )


def build_actionplan_demo(
    rng: random.Random, today: datetime.date, staff: Staff | None = None
) -> None:
    if MunicipalPlan.objects.exists():
        return  # already built: the demo is idempotent
    units = {unit.name.lower(): unit for unit in Unit.objects.all()}

    old = MunicipalPlan.objects.create(
        title="Plan for habilitering og rehabilitering",
        start_year=2019,
        end_year=2022,
        adopted_on=datetime.date(2019, 3, 14),
        status=PlanStatus.ARCHIVED,
    )
    _plan_history(old, staff)
    old_goals = [
        PlanGoal.objects.create(plan=old, number=n, text=text)
        for n, text in enumerate(GOALS[:3], start=1)
    ]
    for number, title, responsible, start, end in OLD_ACTIONS:
        action = Action.objects.create(
            plan=old,
            number=number,
            title=title,
            from_year=start,
            to_year=end,
            financing=Financing.RESTRUCTURING,
            **_responsible(responsible, units),
        )
        action.goals.set([old_goals[int(number) % len(old_goals)]])
        for year in range(start, end + 1):
            status = ActionStatus.DONE if year == end else ActionStatus.IN_PROGRESS
            _set_status(action, year, status, staff)

    plan = MunicipalPlan.objects.create(
        title="Plan for habilitering og rehabilitering",
        start_year=2023,
        end_year=2026,
        adopted_on=datetime.date(2023, 2, 9),
        previous=old,
    )
    _plan_history(plan, staff)
    goals = {
        n: PlanGoal.objects.create(plan=plan, number=n, text=text)
        for n, text in enumerate(GOALS, start=1)
    }
    last_year = min(today.year, plan.end_year)
    for number, title, responsible, start, end, cost, financing, goal_numbers in ACTIONS:
        action = Action.objects.create(
            plan=plan,
            number=number,
            title=title,
            description=f"{title}. Tiltaket følges opp i ledergruppen hvert halvår.",
            from_year=start,
            to_year=end,
            cost_nok=cost,
            financing=financing,
            **_responsible(responsible, units),
        )
        action.goals.set([goals[n] for n in goal_numbers])
        for year in range(start, min(end, last_year) + 1):
            if year < last_year:
                status = ActionStatus.DONE if year == end else ActionStatus.IN_PROGRESS
            else:
                status = rng.choice(
                    [
                        ActionStatus.IN_PROGRESS,
                        ActionStatus.IN_PROGRESS,
                        ActionStatus.POSTPONED,
                        ActionStatus.DONE,
                        ActionStatus.NOT_STARTED,
                    ]
                )
            if status != ActionStatus.NOT_STARTED:
                _set_status(action, year, status, staff)
        if number == "1":
            action.evaluation_on = datetime.date(2024, 11, 20)
            action.evaluation_result = (
                "Fire av fem deltakere bedret funksjonen målt med SPPB. Arbeidsformen "
                "videreføres som fast del av hjemmetjenesten."
            )
            action.save(update_fields=["evaluation_on", "evaluation_result"])
