"""The store's pages (DEVICES_MANAGE): catalogue, items, stock, cleaning and repair."""

from django.urls import path

from mestring.devices.views import store as views

urlpatterns: list = [
    path("hjelpemidler/", views.item_list, name="item_list"),
    path("hjelpemidler/ny/", views.item_create, name="item_create"),
    path("hjelpemidler/lager/", views.stock, name="stock"),
    path("hjelpemidler/rengjoring/", views.cleaning_queue, name="cleaning_queue"),
    path("hjelpemidler/reparasjon/", views.repair_list, name="repair_list"),
    path("hjelpemidler/<int:item_id>/", views.item_detail, name="item_detail"),
    path("hjelpemidler/<int:item_id>/endre/", views.item_edit, name="item_edit"),
    path("hjelpemidler/<int:item_id>/kasser/", views.item_discard, name="item_discard"),
    path("hjelpemidler/<int:item_id>/rengjort/", views.item_cleaned, name="item_cleaned"),
    path("hjelpemidler/<int:item_id>/kontrollert/", views.item_inspected, name="item_inspected"),
    path("hjelpemidler/<int:item_id>/reparasjon/ny/", views.repair_create, name="repair_create"),
    path(
        "hjelpemidler/<int:item_id>/reparasjon/<int:repair_id>/ferdig/",
        views.repair_close,
        name="repair_close",
    ),
    path("admin/hjelpemidler/typer/", views.type_list, name="type_list"),
    path("admin/hjelpemidler/typer/ny/", views.type_edit, name="type_create"),
    path("admin/hjelpemidler/typer/<int:type_id>/", views.type_edit, name="type_edit"),
    path("admin/hjelpemidler/lagre/", views.store_list, name="store_list"),
    path("admin/hjelpemidler/lagre/ny/", views.store_edit, name="store_create"),
    path("admin/hjelpemidler/lagre/<int:store_id>/", views.store_edit, name="store_edit"),
    path("admin/hjelpemidler/lagre/<int:store_id>/rom/ny/", views.room_create, name="room_create"),
]
