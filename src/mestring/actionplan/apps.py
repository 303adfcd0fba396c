from django.apps import AppConfig


class ActionplanConfig(AppConfig):
    name = "mestring.actionplan"
    verbose_name = "Tiltaksplan"
