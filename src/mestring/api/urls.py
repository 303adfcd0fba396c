from __future__ import annotations

from django.urls import path

from mestring.api import views
from mestring.api.api import api

app_name = "api"

_ninja_patterns, _ninja_app, _ninja_namespace = api.urls

urlpatterns = [
    path("profil/api-nokler/", views.token_list, name="token_list"),
    path(
        "profil/api-nokler/<int:token_id>/trekk-tilbake/", views.token_revoke, name="token_revoke"
    ),
    *_ninja_patterns,
]
