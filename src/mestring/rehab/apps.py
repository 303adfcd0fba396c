from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "mestring.rehab"
    verbose_name = "Rehabiliteringsforløp"
