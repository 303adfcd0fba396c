from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "mestring.referrals"
    verbose_name = "Meldinger om behov"
