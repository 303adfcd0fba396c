from __future__ import annotations

from django.urls import path

from mestring.courses import views

app_name = "courses"
urlpatterns = [
    path("personer/<str:person_id>/kurs/", views.person_courses, name="person_courses"),
    path("kurs/", views.course_list, name="course_list"),
    path("kurs/nytt/", views.course_edit, name="course_create"),
    path("kurs/<int:course_id>/", views.course_detail, name="course_detail"),
    path("kurs/<int:course_id>/endre/", views.course_edit, name="course_edit"),
    path("kurs/<int:course_id>/samlinger/ny/", views.session_create, name="session_create"),
    path(
        "kurs/<int:course_id>/samlinger/<int:session_id>/oppmote/",
        views.attendance,
        name="attendance",
    ),
    path(
        "kurs/<int:course_id>/deltakere/<int:enrolment_id>/meld-av/",
        views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path(
        "kurs/<int:course_id>/deltakere/<int:enrolment_id>/fullfort/",
        views.enrolment_complete,
        name="enrolment_complete",
    ),
]
