from django.apps import AppConfig


class FrisklivConfig(AppConfig):
    name = "mestring.friskliv"
    verbose_name = "Frisklivssentral"
