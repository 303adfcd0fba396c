"""Login accounts. Who a user is in a municipality (profession, units, roles) is Staff."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Demo users may skip the second factor when MESTRING_DEMO_2FA_BYPASS is on.
    is_demo = models.BooleanField(default=False)
    # Binding a new authenticator needs more than the password: a one-time enrolment
    # code the administrator was shown when creating the user or resetting the second
    # factor (stored hashed, like a password), valid until used or until it expires.
    enrolment_code = models.CharField(max_length=128, blank=True, default="")
    enrolment_code_expires_at = models.DateTimeField(null=True, blank=True)
    # Set on the request's user by django_otp's OTPMiddleware: whether this session
    # passed the second factor.
    is_verified: Callable[[], bool]

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()
