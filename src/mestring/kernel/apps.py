from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "mestring.kernel"
    verbose_name = "Kjerne"
