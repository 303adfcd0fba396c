from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "mestring.devices"
    verbose_name = "Hjelpemidler"
