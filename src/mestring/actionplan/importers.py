"""`mestring import actions FILE.csv --municipality NNNN`.

Columns: number,title,responsible,years,cost_nok,financing. `years` is "2024-2026" or
"2025"; `responsible` is matched to a unit name (case-insensitive), else kept as text;
`financing` is omstilling, ekstern_finansiering or okt_budsjettramme (or empty).
Rows go into the active plan; when there is none, one is made for the years of the
file. Rows are matched on the action number, so importing the same file twice
changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mestring.access.audit import EventSpec, record_events
from mestring.access.models import AuditPurpose
from mestring.actionplan.models import Action, Financing, MunicipalPlan, PlanStatus
from mestring.core.importing import CsvImporter, ImportResult, RowError
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.states import record_initial_status
from mestring.people.models import Unit

if TYPE_CHECKING:
    from mestring.access.actor import Actor

YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?$")
FINANCING_WORDS = {
    **{code: code for code in Financing.values},
    **{str(label).lower(): code for code, label in Financing.choices},
    "ekstern finansiering": Financing.EXTERNAL,
    "økt budsjettramme": Financing.BUDGET,
    "okt budsjettramme": Financing.BUDGET,
}


@dataclass(frozen=True)
class ActionRow:
    line: int
    number: str
    title: str
    unit: Unit | None
    responsible_text: str
    from_year: int
    to_year: int
    cost_nok: int | None
    financing: str


class ActionImporter(CsvImporter):
    columns = ("number", "title", "responsible", "years", "cost_nok", "financing")
    required = ("number", "title", "years")

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.units: dict[str, Unit] | None = None
        self.plan = MunicipalPlan.objects.filter(status=PlanStatus.ACTIVE).first()

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> ActionRow | None:
        if self.units is None:
            self.units = {unit.name.lower(): unit for unit in Unit.objects.all()}
        before = len(errors)
        from_year = to_year = None
        if row["years"]:
            match = YEARS.match(row["years"])
            if match is None:
                errors.append(
                    RowError(
                        line, "years", f"«{row['years']}» er ikke år som 2024-2026 eller 2025."
                    )
                )
            else:
                from_year = int(match.group(1))
                to_year = int(match.group(2) or match.group(1))
                if to_year < from_year:
                    errors.append(RowError(line, "years", "Sluttåret kan ikke være før startåret."))
                elif not (from_year >= 2000 and to_year <= 2100):
                    errors.append(RowError(line, "years", "Årene må være fra 2000 til 2100."))
                elif self.plan and (
                    from_year < self.plan.start_year or to_year > self.plan.end_year
                ):
                    errors.append(
                        RowError(
                            line,
                            "years",
                            f"Årene må ligge innenfor planperioden "
                            f"{self.plan.start_year}–{self.plan.end_year}.",
                        )
                    )
        cost = None
        if row["cost_nok"]:
            raw = row["cost_nok"].replace(" ", "").replace(".", "").replace("\u00a0", "")
            cost = self.integer(raw, line, "cost_nok", errors)
        financing = ""
        if row["financing"]:
            financing = FINANCING_WORDS.get(row["financing"].lower(), "")
            if not financing:
                allowed = ", ".join(Financing.values)
                errors.append(
                    RowError(
                        line,
                        "financing",
                        f"«{row['financing']}» er ikke gyldig. Tillatt: {allowed}.",
                    )
                )
        if len(row["number"]) > 10:
            errors.append(RowError(line, "number", "Nummeret kan ha høyst 10 tegn."))
        if len(row["title"]) > 200:
            errors.append(RowError(line, "title", "Tittelen kan ha høyst 200 tegn."))
        if len(row["responsible"]) > 150:
            errors.append(RowError(line, "responsible", "Ansvar kan ha høyst 150 tegn."))
        if len(errors) > before or from_year is None or to_year is None:
            return None
        unit = self.units.get(row["responsible"].lower()) if row["responsible"] else None
        return ActionRow(
            line=line,
            number=row["number"],
            title=row["title"],
            unit=unit,
            responsible_text="" if unit else row["responsible"],
            from_year=from_year,
            to_year=to_year,
            cost_nok=cost,
            financing=financing,
        )

    def check_all(self, parsed: list[tuple[int, ActionRow]], errors: list[RowError]) -> None:
        seen: dict[str, int] = {}
        for line, row in parsed:
            if row.number in seen:
                errors.append(
                    RowError(line, "number", f"Nummeret står også på rad {seen[row.number]}.")
                )
            seen.setdefault(row.number, line)

    def write(self, parsed: list[ActionRow], result: ImportResult) -> None:
        specs: list[EventSpec] = []
        plan = self.plan
        if plan is None:
            if not parsed:
                return
            start = min(row.from_year for row in parsed)
            end = max(row.to_year for row in parsed)
            plan = MunicipalPlan.objects.create(title="Tiltaksplan", start_year=start, end_year=end)
            record_initial_status(plan, actor=self.actor)
            specs.append(self._spec(AuditAction.CREATE, "action_plan", plan.pk))
        existing = {action.number: action for action in Action.objects.filter(plan=plan)}
        for row in parsed:
            values = {
                "title": row.title,
                "responsible_unit": row.unit,
                "responsible_text": row.responsible_text,
                "from_year": row.from_year,
                "to_year": row.to_year,
                "cost_nok": row.cost_nok,
                "financing": row.financing,
            }
            action = existing.get(row.number)
            if action is None:
                action = Action.objects.create(plan=plan, number=row.number, **values)
                result.created += 1
                specs.append(self._spec(AuditAction.CREATE, "action_plan_action", action.pk))
                continue
            changed = [key for key, value in values.items() if getattr(action, key) != value]
            if not changed:
                result.unchanged += 1
                continue
            for key in changed:
                setattr(action, key, values[key])
            action.save()
            result.updated += 1
            specs.append(self._spec(AuditAction.UPDATE, "action_plan_action", action.pk))
        record_events(actor=self.actor, specs=specs)

    @staticmethod
    def _spec(action: AuditAction, object_type: str, object_id: object) -> EventSpec:
        return EventSpec(
            action=action,
            object_type=object_type,
            object_id=object_id,
            purpose=AuditPurpose.ADMINISTRATION,
        )
