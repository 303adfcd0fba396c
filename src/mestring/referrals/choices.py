"""Choices that both the models and the pure rules use; here so that the rules need no model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Vanlig")
    URGENT = "haster", _("Haster")


class CarePlace(models.TextChoices):
    MUNICIPALITY = "kommune", _("Kommunen")
    SPECIALIST = "spesialist", _("Spesialisthelsetjenesten")
    JOINT = "felles", _("Felles (i samarbeid)")
