"""The municipal assistive-device store: device types, items in stores and
rooms, loans and returns, cleaning and repair, NAV long-term mediation, inquiries.

The municipality lends devices for needs under two years from its own store; for
longer needs it applies to NAV Hjelpemiddelsentral, which owns the device.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Person, Staff, Unit
from mestring.tenancy.models import MunicipalityOwned

# A municipal loan expected to last longer than this is a need for NAV, which lends
# devices for needs of more than two years.
MUNICIPAL_LOAN_MAX_DAYS = 2 * 365


class DeviceType(MunicipalityOwned):
    name = models.CharField(_("navn"), max_length=150)
    category = models.CharField(_("kategori"), max_length=100)
    iso_class = models.CharField(
        _("ISO 9999-klasse"),
        max_length=20,
        blank=True,
        help_text=_("Valgfritt, for eksempel 12 22 03."),
    )
    low_stock_threshold = models.PositiveSmallIntegerField(
        _("varsle når færre enn dette er ledige"), default=0
    )
    is_active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("hjelpemiddeltype")
        verbose_name_plural = _("hjelpemiddeltyper")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="device_type_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Store(MunicipalityOwned):
    name = models.CharField(_("navn"), max_length=150)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    # The unit whose staff run the store: assigning a device service to this unit puts
    # an order on the store's list, and the unit sees a person while an order or a loan
    # of theirs is open.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="device_stores",
        verbose_name=_("enhet"),
        help_text=_("Enheten som driver lageret. Tildelinger til enheten blir bestillinger."),
    )
    is_active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lager")
        verbose_name_plural = _("lagre")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="store_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class StoreRoom(MunicipalityOwned):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("rom"), max_length=100)

    class Meta:
        ordering = ["store", "name"]
        verbose_name = _("rom")
        verbose_name_plural = _("rom")
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="store_room_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.store} – {self.name}"


class Owner(models.TextChoices):
    MUNICIPALITY = "kommune", _("Kommunen")
    NAV = "nav", _("NAV Hjelpemiddelsentral")


class ItemStatus(models.TextChoices):
    AVAILABLE = "ledig", _("Ledig")
    ON_LOAN = "utlant", _("Utlånt")
    CLEANING = "rengjoring", _("Venter på rengjøring")
    # Cleaned, but the return said it was worn, missing parts, or had a note: someone
    # checks it before it is lent again.
    INSPECTION = "kontroll", _("Til kontroll")
    REPAIR = "reparasjon", _("Til reparasjon")
    DISCARDED = "kassert", _("Kassert")


ITEM_TRANSITIONS: dict[str, set[str]] = {
    ItemStatus.AVAILABLE: {ItemStatus.ON_LOAN, ItemStatus.REPAIR, ItemStatus.DISCARDED},
    # Back to available only when an order is cancelled before delivery.
    ItemStatus.ON_LOAN: {
        ItemStatus.AVAILABLE,
        ItemStatus.CLEANING,
        ItemStatus.REPAIR,
        ItemStatus.DISCARDED,
    },
    ItemStatus.CLEANING: {
        ItemStatus.AVAILABLE,
        ItemStatus.INSPECTION,
        ItemStatus.REPAIR,
        ItemStatus.DISCARDED,
    },
    ItemStatus.INSPECTION: {ItemStatus.AVAILABLE, ItemStatus.REPAIR, ItemStatus.DISCARDED},
    ItemStatus.REPAIR: {ItemStatus.CLEANING, ItemStatus.AVAILABLE, ItemStatus.DISCARDED},
}


class Item(MunicipalityOwned, Stateful):
    status_transitions = ITEM_TRANSITIONS
    status_history = "history"

    device_type = models.ForeignKey(
        DeviceType, on_delete=models.PROTECT, related_name="items", verbose_name=_("type")
    )
    # What a barcode scanner types: the label stuck on the item.
    label = models.CharField(_("strekkode / merkelapp"), max_length=60)
    serial_number = models.CharField(_("serienummer"), max_length=100, blank=True)
    room = models.ForeignKey(
        StoreRoom,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("lagerplass"),
    )
    value_nok = models.DecimalField(_("verdi (kr)"), max_digits=10, decimal_places=2, default=0)
    owner = models.CharField(
        _("eier"), max_length=10, choices=Owner.choices, default=Owner.MUNICIPALITY
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.AVAILABLE
    )
    acquired_on = models.DateField(_("anskaffet"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    # The return the item is being handled after (cleaning, inspection, repair): its
    # condition and note are shown there. Cleared when the item is available again.
    last_return = models.ForeignKey(
        "Loan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("siste retur"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label"]
        verbose_name = _("hjelpemiddel")
        verbose_name_plural = _("hjelpemidler")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "label"], name="item_label_unique")
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "device_type"]),
            models.Index(fields=["municipality", "serial_number"]),
        ]

    def __str__(self) -> str:
        return f"{self.device_type} ({self.label})"

    # For templates: the status as a question, so no raw status value is compared there.
    @property
    def is_available(self) -> bool:
        return self.status == ItemStatus.AVAILABLE

    @property
    def is_on_loan(self) -> bool:
        return self.status == ItemStatus.ON_LOAN

    @property
    def awaits_cleaning(self) -> bool:
        return self.status == ItemStatus.CLEANING

    @property
    def in_repair(self) -> bool:
        return self.status == ItemStatus.REPAIR

    @property
    def awaits_inspection(self) -> bool:
        return self.status == ItemStatus.INSPECTION


class ItemStatusChange(MunicipalityOwned, StatusHistory):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=12, choices=ItemStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=12, choices=ItemStatus.choices)

    class Meta:
        ordering = ["changed_at", "pk"]


class NavApplicationStatus(models.TextChoices):
    SENT = "sendt", _("Sendt")
    GRANTED = "innvilget", _("Innvilget")
    REFUSED = "avslatt", _("Avslått")
    DELIVERED = "levert", _("Levert")
    RETURNED = "returnert", _("Returnert")


NAV_TRANSITIONS: dict[str, set[str]] = {
    NavApplicationStatus.SENT: {NavApplicationStatus.GRANTED, NavApplicationStatus.REFUSED},
    NavApplicationStatus.GRANTED: {NavApplicationStatus.DELIVERED},
    NavApplicationStatus.DELIVERED: {NavApplicationStatus.RETURNED},
}


class NavApplication(MunicipalityOwned, Stateful):
    """An application to NAV Hjelpemiddelsentral for a long-term device."""

    status_transitions = NAV_TRANSITIONS
    status_history = "history"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nav_applications")
    device_type = models.ForeignKey(
        DeviceType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nav_applications",
        verbose_name=_("type"),
    )
    description = models.CharField(_("hva det søkes om"), max_length=300)
    sent_on = models.DateField(_("sendt"))
    status = models.CharField(
        max_length=12, choices=NavApplicationStatus.choices, default=NavApplicationStatus.SENT
    )
    decided_on = models.DateField(_("svar fra NAV"), null=True, blank=True)
    nav_reference = models.CharField(_("NAVs saksnummer"), max_length=50, blank=True)
    sent_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("søknad til NAV")
        verbose_name_plural = _("søknader til NAV")

    def __str__(self) -> str:
        return f"{self.description} ({self.sent_on:%d.%m.%Y})"

    @property
    def has_next_status(self) -> bool:
        """Not yet refused or returned: NAV's answer or the delivery can still come."""
        return bool(NAV_TRANSITIONS.get(self.status))


class NavApplicationStatusChange(MunicipalityOwned, StatusHistory):
    application = models.ForeignKey(
        NavApplication, on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(
        _("fra status"), max_length=12, choices=NavApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("til status"), max_length=12, choices=NavApplicationStatus.choices
    )
    # The day NAV's answer or the delivery came, as told; `changed_at` is when it was recorded.
    changed_on = models.DateField()

    class Meta:
        ordering = ["changed_at", "pk"]


class ReturnCondition(models.TextChoices):
    GOOD = "god", _("God")
    WORN = "slitt", _("Slitt")
    DAMAGED = "skadet", _("Skadet, må repareres")
    MISSING_PARTS = "mangler_deler", _("Mangler deler")


class Loan(MunicipalityOwned):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="device_loans")
    # Where the loan comes from, when it does: a decision, a measure in the plan, or
    # NAV's decision for a long-term device.
    decision = models.ForeignKey(
        "casework.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="device_loans",
        verbose_name=_("vedtak"),
    )
    measure = models.ForeignKey(
        "plans.Measure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="device_loans",
        verbose_name=_("tiltak i planen"),
    )
    nav_application = models.ForeignKey(
        NavApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("søknad til NAV"),
    )
    # A loan is ordered by the therapist and delivered by the store; until then the item
    # is reserved for the person and the delivery shows on the store's list.
    ordered_on = models.DateField(_("bestilt"))
    ordered_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bestilt av"),
    )
    delivered_on = models.DateField(_("utlevert"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utlevert av"),
    )
    expected_return_on = models.DateField(_("forventet tilbake"), null=True, blank=True)
    returned_on = models.DateField(_("levert tilbake"), null=True, blank=True)
    return_condition = models.CharField(
        _("tilstand ved retur"), max_length=14, choices=ReturnCondition.choices, blank=True
    )
    received_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mottatt av"),
    )
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    return_note = models.CharField(_("merknad ved retur"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        verbose_name = _("utlån")
        verbose_name_plural = _("utlån")
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(returned_on__isnull=True),
                name="one_open_loan_per_item",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True)
                | Q(delivered_on__isnull=False, returned_on__gte=models.F("delivered_on")),
                name="loan_returned_after_delivery",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "delivered_on"]),
            models.Index(fields=["municipality", "returned_on"]),
            models.Index(fields=["municipality", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.ordered_on:%d.%m.%Y}"

    @property
    def needs_inspection(self) -> bool:
        """The return asks for a check before the item is lent again: worn, missing
        parts, or anything noted."""
        return bool(self.return_note) or self.return_condition in (
            ReturnCondition.WORN,
            ReturnCondition.MISSING_PARTS,
        )


class DeviceOrderStatus(models.TextChoices):
    # Made by an assignment to the store's unit: the technician chooses the type.
    NEW = "ny", _("Type ikke valgt")
    WAITING = "venter", _("Venter på ledig hjelpemiddel")
    FILLED = "fylt", _("Hjelpemiddel reservert")
    CANCELLED = "avbestilt", _("Avbestilt")


ORDER_TRANSITIONS: dict[str, set[str]] = {
    DeviceOrderStatus.NEW: {
        DeviceOrderStatus.WAITING,
        DeviceOrderStatus.FILLED,
        DeviceOrderStatus.CANCELLED,
    },
    DeviceOrderStatus.WAITING: {DeviceOrderStatus.FILLED, DeviceOrderStatus.CANCELLED},
    # A reserved item whose loan is cancelled before delivery cancels the order.
    DeviceOrderStatus.FILLED: {DeviceOrderStatus.CANCELLED},
}

OPEN_ORDER_STATUSES = (DeviceOrderStatus.NEW, DeviceOrderStatus.WAITING)


class DeviceOrder(MunicipalityOwned, Stateful):
    """An order of a device of a type for a person. The store fills it with a free
    item of the type (a loan, reserved for the person) or keeps it waiting until one
    is free; waiting orders are filled first ordered first."""

    status_transitions = ORDER_TRANSITIONS
    status_history = "history"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="device_orders")
    device_type = models.ForeignKey(
        DeviceType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("type"),
    )
    store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("lager"),
    )
    decision = models.ForeignKey(
        "casework.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="device_orders",
        verbose_name=_("vedtak"),
    )
    measure = models.ForeignKey(
        "plans.Measure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="device_orders",
        verbose_name=_("tiltak i planen"),
    )
    ordered_on = models.DateField(_("bestilt"))
    ordered_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bestilt av"),
    )
    expected_return_on = models.DateField(_("forventet tilbake"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DeviceOrderStatus.choices,
        default=DeviceOrderStatus.WAITING,
    )
    loan = models.OneToOneField(
        Loan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order",
        verbose_name=_("utlån"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ordered_on", "pk"]
        verbose_name = _("bestilling av hjelpemiddel")
        verbose_name_plural = _("bestillinger av hjelpemidler")
        indexes = [models.Index(fields=["municipality", "status", "device_type"])]

    def __str__(self) -> str:
        return f"{self.device_type or '–'} {self.ordered_on:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES

    @property
    def needs_type(self) -> bool:
        return self.status == DeviceOrderStatus.NEW

    @property
    def is_filled(self) -> bool:
        return self.status == DeviceOrderStatus.FILLED


class DeviceOrderStatusChange(MunicipalityOwned, StatusHistory):
    order = models.ForeignKey(DeviceOrder, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=12, choices=DeviceOrderStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=12, choices=DeviceOrderStatus.choices)

    class Meta:
        ordering = ["changed_at", "pk"]


class RepairOrder(MunicipalityOwned):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="repairs")
    opened_on = models.DateField(_("sendt til reparasjon"))
    description = models.CharField(_("hva som er galt"), max_length=500)
    repairer = models.CharField(_("reparatør"), max_length=150, blank=True)
    cost_nok = models.DecimalField(
        _("kostnad (kr)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    closed_on = models.DateField(_("ferdig"), null=True, blank=True)
    # The return that sent the item here, when one did: its condition and note.
    loan = models.ForeignKey(
        Loan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repairs",
        verbose_name=_("retur"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("reparasjon")
        verbose_name_plural = _("reparasjoner")

    def __str__(self) -> str:
        return f"{self.item} {self.opened_on:%d.%m.%Y}"


class InquiryTopic(models.TextChoices):
    DEVICE = "hjelpemiddel", _("Hjelpemiddel")
    HOME_ADAPTATION = "tilrettelegging", _("Tilrettelegging av bolig")
    OTHER = "annet", _("Annet")


class Inquiry(MunicipalityOwned):
    """A new inquiry about a device or home adaptation (counted per year).

    The person may be unknown when the inquiry comes in (a phone call)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="device_inquiries"
    )
    received_on = models.DateField(_("mottatt"))
    topic = models.CharField(_("gjelder"), max_length=20, choices=InquiryTopic.choices)
    description = models.CharField(_("kort beskrivelse"), max_length=500, blank=True)
    handled_on = models.DateField(_("behandlet"), null=True, blank=True)
    registered_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("henvendelse")
        verbose_name_plural = _("henvendelser")
        indexes = [models.Index(fields=["municipality", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.received_on:%d.%m.%Y}"
