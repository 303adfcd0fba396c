from django.urls import path

from mestring.register import admin_views, views

app_name = "people"
urlpatterns = [
    path("personer/", views.person_search, name="search"),
    path("personer/ny/", views.person_register, name="register"),
    path("personer/<str:person_id>/", views.person_overview, name="overview"),
    path("personer/<str:person_id>/endre/", views.person_edit, name="edit"),
    path("personer/<str:person_id>/parorende/ny/", views.relative_add, name="relative_add"),
    path(
        "personer/<str:person_id>/parorende/<int:relative_id>/avslutt-rett/",
        views.representation_end,
        name="representation_end",
    ),
    path(
        "personer/<str:person_id>/parorende/<int:relative_id>/rett-opp/",
        views.representation_correct,
        name="representation_correct",
    ),
    path("personer/<str:person_id>/enheter/ny/", views.involvement_add, name="involvement_add"),
    path("admin/enheter/", admin_views.unit_list, name="unit_list"),
    path("admin/enheter/ny/", admin_views.unit_edit, name="unit_create"),
    path("admin/enheter/<int:unit_id>/", admin_views.unit_edit, name="unit_edit"),
    path("admin/ansatte/", admin_views.staff_list, name="staff_list"),
    path("admin/ansatte/ny/", admin_views.staff_edit, name="staff_create"),
    path("admin/ansatte/<int:staff_id>/", admin_views.staff_edit, name="staff_edit"),
    path("admin/ansatte/<int:staff_id>/las-opp/", admin_views.staff_unlock, name="staff_unlock"),
    path(
        "admin/ansatte/<int:staff_id>/ny-app/",
        admin_views.staff_reset_second_factor,
        name="staff_reset_second_factor",
    ),
]
