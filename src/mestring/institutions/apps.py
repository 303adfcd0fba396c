from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "mestring.institutions"
    verbose_name = "Institusjonsopphold og senger"
