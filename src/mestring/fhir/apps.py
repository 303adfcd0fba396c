from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "mestring.fhir"
    verbose_name = "FHIR R4"
