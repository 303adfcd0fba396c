"""`mestring import loans FILE.csv --municipality NNNN`.

Columns: person_ref,item_ref,device_type,value_nok,owner,delivered_date,returned_date.
`item_ref` is the item's label; a new label creates the item (and an unknown device
type is created by name in the category "Importert"). `owner` is kommune or nav;
`returned_date` is empty while the item is on loan. Imported loans are delivered
(ordered on the delivery day). Loans are matched on (item, person, delivered_date), so
importing the same file twice changes nothing; a return date where there was none
ends the loan. The item's status follows its last loan (open → utlånt, returned →
ledig), with a history row for each change.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils import timezone

from mestring.access.audit import EventSpec, record_events
from mestring.core.importing import (
    CHUNK,
    CsvImporter,
    ImportResult,
    RowError,
    fetch_in,
)
from mestring.devices.models import (
    DeviceType,
    Item,
    ItemStatus,
    ItemStatusChange,
    Loan,
    Owner,
)
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person
from mestring.register.importers import persons_by_ref

if TYPE_CHECKING:
    from mestring.access.actor import Actor

IMPORTED_CATEGORY = "Importert"


@dataclass(frozen=True)
class LoanRow:
    line: int
    person: Person
    label: str
    device_type: str
    value_nok: Decimal
    owner: str
    delivered_on: datetime.date
    returned_on: datetime.date | None


class LoanImporter(CsvImporter):
    columns = (
        "person_ref",
        "item_ref",
        "device_type",
        "value_nok",
        "owner",
        "delivered_date",
        "returned_date",
    )
    required = ("person_ref", "item_ref", "device_type", "owner", "delivered_date")

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.persons: dict[str, Person] | None = None

    def prepare(self, rows: list[dict[str, str]] | None) -> None:
        self.persons = persons_by_ref(rows)

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> LoanRow | None:
        if self.persons is None:
            # parse() called on its own: every person a row could name.
            self.persons = persons_by_ref(None)
        person = self.persons.get(row["person_ref"])
        if row["person_ref"] and person is None:
            errors.append(RowError(line, "person_ref", "Fant ingen person med denne referansen."))
        label = row["item_ref"]
        if len(label) > 60:
            errors.append(RowError(line, "item_ref", "Merkelappen kan ha høyst 60 tegn."))
        if len(row["device_type"]) > 150:
            errors.append(RowError(line, "device_type", "Typen kan ha høyst 150 tegn."))
        value: Decimal | None = Decimal(0)
        if row["value_nok"]:
            try:
                value = Decimal(row["value_nok"].replace(" ", "").replace(",", "."))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite() or value < 0 or value >= Decimal(10**8):
                errors.append(
                    RowError(line, "value_nok", f"«{row['value_nok']}» er ikke et gyldig beløp.")
                )
                value = None
        owner = (
            self.choice(row["owner"], Owner.values, line, "owner", errors) if row["owner"] else None
        )
        today = timezone.localdate()
        delivered = self.date(row["delivered_date"], line, "delivered_date", errors)
        if delivered and delivered > today:
            errors.append(RowError(line, "delivered_date", "Datoen er fram i tid."))
        returned = self.date(row["returned_date"], line, "returned_date", errors)
        if returned and returned > today:
            errors.append(RowError(line, "returned_date", "Datoen er fram i tid."))
        if delivered and returned and returned < delivered:
            errors.append(
                RowError(line, "returned_date", "Returdatoen kan ikke være før utleveringsdatoen.")
            )
        if errors or person is None or delivered is None or owner is None or value is None:
            return None
        return LoanRow(line, person, label, row["device_type"], value, owner, delivered, returned)

    def check_all(self, parsed: list[tuple[int, LoanRow]], errors: list[RowError]) -> None:
        by_label: dict[str, list[LoanRow]] = {}
        for _line, row in parsed:
            by_label.setdefault(row.label, []).append(row)
        items = {item.label: item for item in fetch_in(Item.objects, "label", by_label)}
        existing: dict[str, list[Loan]] = {}
        for loan in fetch_in(Loan.objects.select_related("item"), "item__label", by_label):
            existing.setdefault(loan.item.label, []).append(loan)
        for label, rows in by_label.items():
            first = rows[0]
            for row in rows[1:]:
                if (row.owner, row.device_type) != (first.owner, first.device_type):
                    errors.append(
                        RowError(
                            row.line,
                            "item_ref",
                            f"Samme merkelapp har annen eier eller type på rad {first.line}.",
                        )
                    )
            item = items.get(label)
            if item is not None and item.owner != first.owner:
                errors.append(
                    RowError(first.line, "owner", "Hjelpemiddelet finnes med en annen eier.")
                )
            known = {(loan.person_id, loan.delivered_on): loan for loan in existing.get(label, [])}
            # Periods of this item: those already stored (unless the file repeats them)
            # and those in the file; none may overlap.
            periods: list[tuple[datetime.date, datetime.date | None, int | None]] = [
                (loan.delivered_on or loan.ordered_on, loan.returned_on, None)
                for key, loan in known.items()
                if key not in {(r.person.pk, r.delivered_on) for r in rows}
            ]
            seen: dict[tuple[int, datetime.date], int] = {}
            for row in rows:
                key = (row.person.pk, row.delivered_on)
                if key in seen:
                    errors.append(
                        RowError(
                            row.line,
                            "delivered_date",
                            f"Samme hjelpemiddel, person og dato står også på rad {seen[key]}.",
                        )
                    )
                    continue
                seen[key] = row.line
                stored = known.get(key)
                returned = row.returned_on or (stored.returned_on if stored else None)
                periods.append((row.delivered_on, returned, row.line))
            periods.sort(key=lambda p: p[0])
            for (_start_a, end_a, line_a), (start_b, _end_b, line_b) in itertools.pairwise(periods):
                line = line_b or line_a
                if line is None:
                    # Two stored loans (an order dated back before the last return):
                    # no clash of the file's.
                    continue
                if end_a is None or end_a > start_b:
                    errors.append(
                        RowError(
                            line,
                            "delivered_date",
                            "Hjelpemiddelet er utlånt til noen andre i samme periode"
                            + (f" (rad {line_a})." if line_a and line_a != line else "."),
                        )
                    )

    def write(self, parsed: list[LoanRow], result: ImportResult) -> None:
        municipality = self.actor.municipality
        types = {t.name: t for t in DeviceType.objects.all()}
        labels = {row.label for row in parsed}
        items = {item.label: item for item in fetch_in(Item.objects, "label", labels)}
        loans = fetch_in(Loan.objects, "item__label", labels)
        existing = {(loan.item_id, loan.person_id, loan.delivered_on): loan for loan in loans}
        new_types: list[DeviceType] = []
        new_items: list[Item] = []
        new_loans: list[Loan] = []
        returned: list[Loan] = []
        # Per row: the type and item it created, its loan, and what was done to the loan
        # (None: nothing).
        outcomes: list[tuple[DeviceType | None, Item | None, AuditAction | None, Loan, Person]] = []
        touched: set[str] = set()
        # Oldest first, so an item's earlier loan is closed before its next one opens.
        for row in sorted(parsed, key=lambda r: (r.delivered_on, r.line)):
            device_type = types.get(row.device_type)
            created_type = None
            if device_type is None:
                device_type = created_type = DeviceType(
                    municipality=municipality, name=row.device_type, category=IMPORTED_CATEGORY
                )
                types[row.device_type] = device_type
                new_types.append(device_type)
            item = items.get(row.label)
            created_item = None
            if item is None:
                item = created_item = Item(
                    municipality=municipality,
                    device_type=device_type,
                    label=row.label,
                    value_nok=row.value_nok,
                    owner=row.owner,
                    status=ItemStatus.AVAILABLE,
                )
                items[row.label] = item
                new_items.append(item)
            key = (item.pk, row.person.pk, row.delivered_on)
            loan = existing.get(key) if item.pk else None
            action: AuditAction | None = None
            if loan is None:
                loan = Loan(
                    municipality=municipality,
                    item=item,
                    person=row.person,
                    ordered_on=row.delivered_on,
                    delivered_on=row.delivered_on,
                    returned_on=row.returned_on,
                    note="Importert",
                )
                new_loans.append(loan)
                action = AuditAction.IMPORT_CREATE
                result.created += 1
                touched.add(row.label)
            elif row.returned_on is None or loan.returned_on == row.returned_on:
                result.unchanged += 1
            else:
                loan.returned_on = row.returned_on
                returned.append(loan)
                action = AuditAction.IMPORT_UPDATE
                result.updated += 1
                touched.add(row.label)
            outcomes.append((created_type, created_item, action, loan, row.person))
        DeviceType.objects.bulk_create(new_types, batch_size=CHUNK)
        Item.objects.bulk_create(new_items, batch_size=CHUNK)
        Loan.objects.bulk_create(new_loans, batch_size=CHUNK)
        Loan.objects.bulk_update(returned, ["returned_on"], batch_size=CHUNK)

        events: list[EventSpec] = []
        for created_type, created_item, action, loan, person in outcomes:
            if created_type is not None:
                events.append(
                    EventSpec(AuditAction.IMPORT_CREATE, "devices.DeviceType", created_type.pk)
                )
            if created_item is not None:
                events.append(EventSpec(AuditAction.IMPORT_CREATE, "devices.Item", created_item.pk))
            if action is not None:
                events.append(EventSpec(action, "devices.Loan", loan.pk, person))

        # The item's status follows its loans: every loan of the file's items is in hand.
        open_items = {loan.item_id for loan in [*loans, *new_loans] if loan.returned_on is None}
        changes: list[ItemStatusChange] = []
        moved: list[Item] = []
        for label in sorted(touched):
            item = items[label]
            wanted = ItemStatus.ON_LOAN if item.pk in open_items else ItemStatus.AVAILABLE
            if item.status == wanted or (
                # A returned item already further on (cleaning, repair) stays there.
                wanted == ItemStatus.AVAILABLE and item.status != ItemStatus.ON_LOAN
            ):
                continue
            changes.append(
                ItemStatusChange(
                    municipality=municipality,
                    item=item,
                    from_status=item.status,
                    to_status=wanted,
                    reason="Importert",
                    changed_by=self.actor.user,
                )
            )
            item.status = wanted
            moved.append(item)
            events.append(EventSpec(AuditAction.IMPORT_STATUS, "devices.Item", item.pk))
        Item.objects.bulk_update(moved, ["status"], batch_size=CHUNK)
        ItemStatusChange.objects.bulk_create(changes, batch_size=CHUNK)
        record_events(actor=self.actor, specs=events)
