"""Roles, care relations (tjenstlig behov) and the audit log (DESIGN.md §6)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.people.models import Person, Staff, Unit
from mestring.tenancy.models import MunicipalityOwned, ScopedManager


class Role(MunicipalityOwned):
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("navn"), max_length=100)
    permissions = models.JSONField(_("rettigheter"), default=list)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="role_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class StaffRole(MunicipalityOwned):
    """A role held by a staff member, optionally only in one unit."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        verbose_name = _("rolletildeling")
        verbose_name_plural = _("rolletildelinger")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "role"], condition=Q(unit__isnull=True), name="staff_role_once"
            ),
            models.UniqueConstraint(
                fields=["staff", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="staff_role_once_per_unit",
            ),
        ]


class CareRelationKind(models.TextChoices):
    COORDINATOR = "koordinator", _("Koordinator")
    GROUP_MEMBER = "ansvarsgruppe", _("Medlem av ansvarsgruppe")
    PROVIDER = "tjenesteyter", _("Tildelt tjenesteyter")
    CASEWORKER = "saksbehandler", _("Saksbehandler på åpen sak")
    MANUAL = "manuell", _("Manuelt tildelt")


class CareRelationQuerySet(models.QuerySet):
    def active(self, at: datetime.datetime | None = None) -> CareRelationQuerySet:
        at = at or timezone.now()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at), valid_from__lte=at)

    def for_staff(self, staff: Staff) -> CareRelationQuerySet:
        return self.filter(Q(staff=staff) | Q(unit__in=staff.units.all()))


class CareRelation(MunicipalityOwned):
    """Tjenstlig behov: a staff member, or everyone in a unit, may see one person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="care_relations")
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, null=True, blank=True, related_name="care_relations"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="care_relations"
    )
    kind = models.CharField(_("type"), max_length=20, choices=CareRelationKind.choices)
    reason = models.CharField(_("begrunnelse"), max_length=300)
    valid_from = models.DateTimeField(_("fra"), default=timezone.now)
    valid_to = models.DateTimeField(_("til"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager.from_queryset(CareRelationQuerySet)()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("tjenstlig behov")
        verbose_name_plural = _("tjenstlige behov")
        constraints = [
            models.CheckConstraint(
                condition=Q(staff__isnull=False, unit__isnull=True)
                | Q(staff__isnull=True, unit__isnull=False),
                name="care_relation_staff_xor_unit",
            )
        ]
        indexes = [models.Index(fields=["municipality", "person", "staff"])]


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", _("Tillatt")
    REFUSED = "refused", _("Avvist")


class AuditPurpose(models.TextChoices):
    CARE = "care", _("Helsehjelp")
    EMERGENCY = "emergency", _("Nødtilgang")
    ADMINISTRATION = "administration", _("Administrasjon")


class AuditEvent(MunicipalityOwned):
    """One read, write or refusal. Append-only; each row hashes the one before it."""

    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    hpr_number = models.CharField(max_length=9, blank=True)
    role = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=40)
    outcome = models.CharField(max_length=10, choices=AuditOutcome.choices)
    purpose = models.CharField(max_length=20, choices=AuditPurpose.choices)
    reason_code = models.CharField(max_length=40, blank=True)
    self_granted = models.BooleanField(default=False)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=40, blank=True)
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "seq"], name="audit_seq_unique")
        ]
        indexes = [models.Index(fields=["municipality", "person", "occurred_at"])]


class AuditChainHead(models.Model):
    """The last hash per municipality; locking it serialises writers of the chain."""

    municipality = models.OneToOneField(
        "tenancy.Municipality", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.seq}"
