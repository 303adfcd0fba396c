from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "mestring.portal"
    verbose_name = "Innbyggerens egne sider"
