from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mestring.accounts"
    verbose_name = "Brukerkontoer"
