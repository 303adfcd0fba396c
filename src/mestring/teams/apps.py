from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "mestring.teams"
    verbose_name = "Ansvarsgrupper og møter"
