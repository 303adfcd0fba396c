from django.urls import path

from mestring.institutions import views

app_name = "institutions"
urlpatterns = [
    path("personer/<str:person_id>/opphold/", views.person_stays, name="person_stays"),
    path("personer/<str:person_id>/opphold/ny/", views.stay_create, name="stay_create"),
    path(
        "personer/<str:person_id>/opphold/<int:stay_id>/",
        views.stay_detail,
        name="stay_detail",
    ),
    path(
        "personer/<str:person_id>/opphold/<int:stay_id>/rehabiliteringsplan/",
        views.rehab_plan_edit,
        name="rehab_plan_edit",
    ),
    path(
        "personer/<str:person_id>/opphold/planlagt/<int:planned_id>/skriv-inn/",
        views.planned_admit,
        name="planned_admit",
    ),
    path("institusjoner/sengeoversikt/", views.bed_board, name="bed_board"),
    path("admin/institusjoner/senger/", views.unit_beds, name="unit_beds"),
    path("institusjoner/kjopte-plasser/", views.agreement_list, name="agreement_list"),
    path("institusjoner/kjopte-plasser/ny/", views.agreement_edit, name="agreement_create"),
    path(
        "institusjoner/kjopte-plasser/<int:agreement_id>/",
        views.agreement_detail,
        name="agreement_detail",
    ),
    path(
        "institusjoner/kjopte-plasser/<int:agreement_id>/endre/",
        views.agreement_edit,
        name="agreement_edit",
    ),
    path("rapporter/beleggsprosent/", views.report_beds, name="report_beds"),
    path("rapporter/kjopte-plasser/", views.report_purchased, name="report_purchased"),
]
