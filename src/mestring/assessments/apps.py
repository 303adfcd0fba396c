from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "mestring.assessments"
    verbose_name = "Kartlegging (IPLOS)"
