"""The citizen's pages under min-side/ (the person comes from the citizen session), and
the staff's pages for what citizens wrote."""

from django.urls import path

from mestring.portal import views_pages as pages
from mestring.portal import views_staff as staff

urlpatterns = [
    path("min-side/", pages.home, name="home"),
    path("min-side/plan/", pages.plan, name="plan"),
    path("min-side/plan/viktig-for-meg/", pages.what_matters, name="what_matters"),
    path("min-side/plan/foresla-mal/", pages.goal_propose, name="goal_propose"),
    path("min-side/plan/mal/<int:goal_id>/kommentar/", pages.goal_comment, name="goal_comment"),
    path(
        "min-side/plan/tiltak/<int:measure_id>/kommentar/",
        pages.measure_comment,
        name="measure_comment",
    ),
    path("min-side/moter/<int:meeting_id>/kalender.ics", pages.meeting_ics, name="meeting_ics"),
    path("min-side/meldinger/", pages.messages_page, name="messages"),
    path("min-side/vedtak/", pages.decisions, name="decisions"),
    path(
        "min-side/vedtak/<int:decision_id>/brev.pdf", pages.decision_letter, name="decision_letter"
    ),
    path("min-side/soknad/", pages.apply, name="apply"),
    path("min-side/samtykke/", pages.consent, name="consent"),
    path(
        "min-side/samtykke/<int:consent_id>/trekk-tilbake/",
        pages.consent_withdraw,
        name="consent_withdraw",
    ),
    path("min-side/samtykke/sperring/", pages.block_request, name="block_request"),
    path(
        "min-side/samtykke/fullmakt/<int:relative_id>/avslutt/",
        pages.power_of_attorney_end,
        name="power_of_attorney_end",
    ),
    path("min-side/innsyn/", pages.access_log, name="access_log"),
    # Staff
    path(
        "personer/<str:person_id>/fra-innbygger/",
        staff.citizen_input,
        name="staff_citizen_input",
    ),
    path("innbyggere/innboks/", staff.inbox, name="staff_inbox"),
]
