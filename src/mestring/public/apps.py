from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "mestring.public"
    verbose_name = "Offentlige sider og brukerorganisasjoner"
