"""Pages of the device store, for staff with DEVICES_MANAGE (the device technician):
the catalogue (types, stores, rooms), items with the scanner search, stock, the
cleaning queue with its scanner field, repair orders and discarding.

Every page works without JavaScript: the scanner types the label and presses Enter
in an ordinary GET or POST form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view
from mestring.access.permissions import DEVICES_MANAGE
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.devices.forms.store import (
    DeviceTypeForm,
    DiscardForm,
    ItemCreateForm,
    ItemEditForm,
    ItemFilterForm,
    RepairCloseForm,
    RepairOpenForm,
    RoomForm,
    ScanForm,
    StoreForm,
)
from mestring.devices.models import DeviceType, Item, ItemStatus, RepairOrder, Store
from mestring.devices.selectors import store as selectors
from mestring.devices.services import store as services

RULE_ERRORS = services.RULE_ERRORS


def _item_or_404(item_id: int) -> Item:
    item = selectors.item_for_page(item_id)
    if item is None:
        raise Http404
    return item


# --- Catalogue ---------------------------------------------------------------------


@staff_required(DEVICES_MANAGE)
@require_GET
def type_list(request: StaffRequest) -> HttpResponseBase:
    page = csvexport.page_or_all(request, selectors.device_types(), per_page=50)
    return csvexport.render_or_csv(request, "devices/store/type_list.html", {"page": page})


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def type_edit(request: StaffRequest, type_id: int | None = None) -> HttpResponse:
    device_type = get_object_or_404(DeviceType, pk=type_id) if type_id else None
    form = DeviceTypeForm(request.POST or None, device_type=device_type)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.device_type_save(
                actor=request.actor, device_type=device_type, data=data
            ),
            success=_("Typen er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:type_list")
    context = {"form": form, "device_type": device_type}
    return render(request, "devices/store/type_form.html", context)


@staff_required(DEVICES_MANAGE)
@require_GET
def store_list(request: StaffRequest) -> HttpResponseBase:
    return csvexport.render_or_csv(
        request, "devices/store/store_list.html", {"stores": list(selectors.stores())}
    )


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def store_edit(request: StaffRequest, store_id: int | None = None) -> HttpResponse:
    store = get_object_or_404(Store, pk=store_id) if store_id else None
    form = StoreForm(request.POST or None, store=store)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.store_save(actor=request.actor, store=store, data=data),
            success=_("Lageret er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:store_list")
    rooms = list(store.rooms.order_by("name")) if store else []
    context = {"form": form, "store": store, "rooms": rooms}
    return render(request, "devices/store/store_form.html", context)


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def room_create(request: StaffRequest, store_id: int) -> HttpResponse:
    store = get_object_or_404(Store, pk=store_id)
    form = RoomForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.room_create(actor=request.actor, store=store, name=data["name"]),
            success=_("Rommet er lagt til."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:store_edit", store_id=store.pk)
    context = {"form": form, "store": store, "rooms": list(store.rooms.order_by("name"))}
    return render(request, "devices/store/room_form.html", context)


# --- Items -------------------------------------------------------------------------


@staff_required(DEVICES_MANAGE)
@require_GET
def item_list(request: StaffRequest) -> HttpResponseBase:
    """Search and filters. A search that is exactly an item's label (a scanner's
    input) opens that item."""
    form = ItemFilterForm(request.GET or None)
    filters = form.filters()
    if filters["text"]:
        item = services.item_for_label(filters["text"])
        if item is not None:
            return redirect("devices:item_detail", item_id=item.pk)
    page = csvexport.page_or_all(request, selectors.items(**filters))
    context = {"form": form, "page": page, "filtered": any(filters.values())}
    return csvexport.render_or_csv(request, "devices/store/item_list.html", context)


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def item_create(request: StaffRequest) -> HttpResponse:
    form = ItemCreateForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.item_create(actor=request.actor, **data),
            success=lambda item: (
                _("Hjelpemiddelet %(label)s er registrert.") % {"label": item.label}
            ),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            if "ny_til" in request.POST:
                return redirect("devices:item_create")
            return redirect("devices:item_detail", item_id=saved.pk)
    return render(request, "devices/store/item_create.html", {"form": form})


@staff_required(DEVICES_MANAGE)
@audited_view(object_type="devices.Item")
@require_GET
def item_detail(request: StaffRequest, item_id: int) -> HttpResponseBase:
    """The item with its full history: status changes, loans (the person's name and
    dates only) and repair orders."""
    item = _item_or_404(item_id)
    repairs = selectors.item_repairs(item)
    context = {
        "item": item,
        "history": selectors.item_history(item),
        "loans": selectors.item_loans(item),
        "repairs": repairs,
        "open_repair": next((r for r in repairs if r.closed_on is None), None),
        "can_repair": item.status != ItemStatus.DISCARDED,
        "can_discard": item.status != ItemStatus.DISCARDED,
    }
    return csvexport.render_or_csv(request, "devices/store/item_detail.html", context)


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def item_edit(request: StaffRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(item_id)
    initial = {"room": item.room_id, "value_nok": item.value_nok, "note": item.note}
    form = ItemEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.item_update(actor=request.actor, item=item, **data),
            success=_("Endringene er lagret."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:item_detail", item_id=item.pk)
    return render(request, "devices/store/item_edit.html", {"form": form, "item": item})


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def item_discard(request: StaffRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(item_id)
    form = DiscardForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.item_discard(
                actor=request.actor, item=item, reason=data["reason"]
            ),
            success=_("Hjelpemiddelet er kassert."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:item_detail", item_id=item.pk)
    return render(request, "devices/store/item_discard.html", {"form": form, "item": item})


# --- Cleaning ----------------------------------------------------------------------


def _cleaned_message(item: Item) -> str:
    if item.awaits_inspection:
        return _("%(item)s er rengjort og venter på kontroll før utlån.") % {"item": item}
    return _("%(item)s er rengjort og ledig.") % {"item": item}


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def cleaning_queue(request: StaffRequest) -> HttpResponseBase:
    """Items awaiting cleaning. POST with a scanned label marks that item cleaned."""
    form = ScanForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.item_clean_by_label(actor=request.actor, label=data["label"]),
            success=_cleaned_message,
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:cleaning_queue")
    page = csvexport.page_or_all(request, selectors.cleaning_queue())
    return csvexport.render_or_csv(
        request, "devices/store/cleaning_queue.html", {"form": form, "page": page}
    )


@staff_required(DEVICES_MANAGE)
@require_POST
def item_cleaned(request: StaffRequest, item_id: int) -> HttpResponse:
    """The "Rengjort" button of a row in the queue (or on the item page)."""
    item = _item_or_404(item_id)
    try:
        item = services.item_mark_cleaned(actor=request.actor, item=item)
    except RULE_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _cleaned_message(item))
    if request.POST.get("fra") == "hjelpemiddel":
        return redirect("devices:item_detail", item_id=item.pk)
    return redirect("devices:cleaning_queue")


@staff_required(DEVICES_MANAGE)
@require_POST
def item_inspected(request: StaffRequest, item_id: int) -> HttpResponse:
    """The "Kontrollert" button: the item is fit to lend again."""
    item = _item_or_404(item_id)
    try:
        services.item_inspected(actor=request.actor, item=item)
    except RULE_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(item)s er kontrollert og ledig.") % {"item": item})
    if request.POST.get("fra") == "hjelpemiddel":
        return redirect("devices:item_detail", item_id=item.pk)
    return redirect("devices:cleaning_queue")


# --- Repair ------------------------------------------------------------------------


@staff_required(DEVICES_MANAGE)
@require_GET
def repair_list(request: StaffRequest) -> HttpResponseBase:
    context = {
        "page": csvexport.page_or_all(request, selectors.open_repairs()),
        "without_order": list(selectors.in_repair_without_order()[:200]),
    }
    return csvexport.render_or_csv(request, "devices/store/repair_list.html", context)


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def repair_create(request: StaffRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(item_id)
    form = RepairOpenForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.repair_open(actor=request.actor, item=item, **data),
            success=_("Hjelpemiddelet er sendt til reparasjon."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:item_detail", item_id=item.pk)
    return render(request, "devices/store/repair_form.html", {"form": form, "item": item})


@staff_required(DEVICES_MANAGE)
@require_http_methods(["GET", "POST"])
def repair_close(request: StaffRequest, item_id: int, repair_id: int) -> HttpResponse:
    item = _item_or_404(item_id)
    repair = get_object_or_404(RepairOrder, pk=repair_id, item=item)
    if repair.closed_on is not None:
        messages.info(request, _("Reparasjonen er allerede avsluttet."))
        return redirect("devices:item_detail", item_id=item.pk)
    initial: dict[str, Any] = {"closed_on": timezone.localdate()}
    form = RepairCloseForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = submit(
            request,
            form,
            lambda data: services.repair_close(actor=request.actor, repair=repair, **data),
            success=_("Reparasjonen er avsluttet."),
            rule_errors=RULE_ERRORS,
        )
        if saved is not None:
            return redirect("devices:item_detail", item_id=item.pk)
    context = {"form": form, "item": item, "repair": repair}
    return render(request, "devices/store/repair_close.html", context)


# --- Stock -------------------------------------------------------------------------


@staff_required(DEVICES_MANAGE)
@require_GET
def stock(request: StaffRequest) -> HttpResponseBase:
    context = {"stores": selectors.stock_by_store(), "low_stock": selectors.low_stock()}
    return csvexport.render_or_csv(request, "devices/store/stock.html", context)
