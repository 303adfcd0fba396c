from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "mestring.casework"
    verbose_name = "Saker og vedtak"
