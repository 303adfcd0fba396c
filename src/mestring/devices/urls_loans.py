"""Loans, deliveries, returns, NAV applications, inquiries and the yearly report."""

from django.urls import path

from mestring.devices.views import loans as views
from mestring.devices.views import report

PERSON = "personer/<str:person_id>/hjelpemidler/"

urlpatterns: list = [
    path(PERSON, views.person_devices, name="person_devices"),
    path(f"{PERSON}utlan/ny/", views.loan_create, name="loan_create"),
    path(f"{PERSON}utlan/<int:loan_id>/avbestill/", views.loan_cancel, name="loan_cancel"),
    path(
        f"{PERSON}bestilling/<int:order_id>/avbestill/",
        views.order_cancel,
        name="order_cancel",
    ),
    path(f"{PERSON}nav/ny/", views.nav_create, name="nav_create"),
    path(f"{PERSON}nav/<int:application_id>/status/", views.nav_status, name="nav_status"),
    path(
        f"{PERSON}henvendelse/ny/",
        views.inquiry_create_for_person,
        name="inquiry_create_for_person",
    ),
    path("hjelpemidler/bestillinger/", views.store_orders, name="store_orders"),
    path("hjelpemidler/personer/", views.store_person_search, name="store_person_search"),
    path("hjelpemidler/utlevering/", views.deliveries, name="deliveries"),
    path("hjelpemidler/retur/", views.return_scan, name="return_scan"),
    path("hjelpemidler/forfalt/", views.overdue, name="overdue"),
    path("hjelpemidler/nav/", views.nav_items, name="nav_items"),
    path("hjelpemidler/henvendelser/", views.inquiry_list, name="inquiry_list"),
    path("hjelpemidler/henvendelser/ny/", views.inquiry_create, name="inquiry_create"),
    path("rapporter/hjelpemidler/", report.report, name="report"),
]
