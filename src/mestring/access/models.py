"""Roles, care relations (tjenstlig behov) and the audit log."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.people.models import Person, Staff, Unit
from mestring.tenancy.models import MunicipalityOwned, ScopedManager


def staff_or_unit(name: str) -> models.CheckConstraint:
    """A row that points at exactly one of a staff member or a whole unit."""
    return models.CheckConstraint(
        condition=Q(staff__isnull=False, unit__isnull=True)
        | Q(staff__isnull=True, unit__isnull=False),
        name=name,
    )


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
    # Registering a message of need: a few days, for the message only (intake pages),
    # never the record; reviewed by a leader (INTAKE_KINDS).
    INTAKE = "mottak", _("Registrerte melding om behov (bare meldingen)")
    # Took a message of need from the inbox (or was given it) to handle it: for the
    # message only, for as long as it is open. Normal work, so not reviewed.
    REFERRAL_HANDLER = "meldingsbehandler", _("Behandler melding om behov (bare meldingen)")


# Kinds that open only the intake pages of a person (the messages of need), not the
# record: the guard lets them through only where a view asks for the intake purpose.
INTAKE_KINDS = frozenset({CareRelationKind.INTAKE, CareRelationKind.REFERRAL_HANDLER})
# Kinds granted by hand or for a few days: they must have an end when they are given.
MUST_END_KINDS = frozenset({CareRelationKind.MANUAL, CareRelationKind.INTAKE})


class ReviewVerdict(models.TextChoices):
    JUSTIFIED = "begrunnet", _("Begrunnet")
    UNJUSTIFIED = "ikke_begrunnet", _("Ikke begrunnet – følges opp")


class CareRelationQuerySet(models.QuerySet):
    def active(
        self, at: datetime.datetime | None = None, *, include_intake: bool = False
    ) -> CareRelationQuerySet:
        """Relations in force at `at` (now). Intake relations (INTAKE_KINDS) open only the
        message pages, so they count only when asked for explicitly."""
        at = at or timezone.now()
        active = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at), valid_from__lte=at)
        return active if include_intake else active.exclude(kind__in=INTAKE_KINDS)

    def awaiting_review(self) -> CareRelationQuerySet:
        return self.filter(needs_review=True, reviewed_at__isnull=True)

    def for_staff(self, staff: Staff) -> CareRelationQuerySet:
        return self.filter(Q(staff=staff) | Q(unit__in=staff.units.all()))


CareRelationManager = ScopedManager.from_queryset(CareRelationQuerySet)


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
    # Granted by the one who gets it (themselves or their own unit).
    self_granted = models.BooleanField(_("gitt til seg selv"), default=False)
    # A leader looks at it afterwards: intake relations and self-granted access.
    needs_review = models.BooleanField(_("skal gjennomgås"), default=False)
    reviewed_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=20, choices=ReviewVerdict.choices, blank=True)
    review_note = models.TextField(max_length=1000, blank=True)

    objects: ClassVar[CareRelationManager] = CareRelationManager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("tjenstlig behov")
        verbose_name_plural = _("tjenstlige behov")
        constraints = [staff_or_unit("care_relation_staff_xor_unit")]
        indexes = [models.Index(fields=["municipality", "person", "staff"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.staff or self.unit}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.valid_from <= now and (self.valid_to is None or self.valid_to > now)


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", _("Tillatt")
    REFUSED = "refused", _("Avvist")
    # The request was allowed but could not be answered (a PDF that failed to render):
    # what was attempted stays in the log.
    FAILED = "failed", _("Mislyktes")


class AuditPurpose(models.TextChoices):
    CARE = "care", _("Helsehjelp")
    EMERGENCY = "emergency", _("Nødtilgang")
    ADMINISTRATION = "administration", _("Administrasjon")
    CITIZEN = "citizen", _("Innsyn for personen selv")


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
    # The actor's name as it was when the row was written (a later rename of the
    # account must not rewrite history). Empty on rows written before it was kept.
    actor_name = models.CharField(max_length=300, blank=True, default="")
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
    block_override = models.BooleanField(default=False)
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


class AuditCheckpoint(MunicipalityOwned):
    """Where a municipality's audit chain starts after retention removed its oldest rows.

    Rows `first_seq` … `last_seq` were removed in one run; the chain continues from
    `last_hash`, the hash of row `last_seq`. The run that wrote the checkpoint is itself
    an audit event whose object id is `audit.checkpoint_tag(checkpoint)`, so the
    checkpoint is covered by the hash chain. Append-only, like the audit table.
    """

    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    last_event_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    last_occurred_at = models.DateTimeField()
    removed = models.BigIntegerField()
    cutoff = models.DateTimeField()  # the rows removed were older than this
    created_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=200, blank=True)  # for a command: its label

    class Meta:
        ordering = ["last_seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "last_seq"], name="audit_checkpoint_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.first_seq}–{self.last_seq}"


class AuditAnchor(MunicipalityOwned):
    """Where a municipality's chain was seen whole: its last row and that row's hash.

    Written when the chain is verified (`mestring audit verify`) and after retention
    pruned it. The chain head can be rolled back together with the newest rows, and the
    rest of the chain still links; an anchor cannot (append-only, like the audit table),
    so `verify_chain` reports a chain that ends before its latest anchor, or whose row
    there has another hash, as cut back.
    """

    seq = models.BigIntegerField()
    row_hash = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()
    source = models.CharField(max_length=40)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["municipality", "seq"])]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.seq}"


class EmergencyReason(models.TextChoices):
    """The fixed list shown to the person; staff free text never is."""

    ACUTE_CARE = "akutt_helsehjelp", _("Akutt behov for helsehjelp")
    UNREACHABLE_COLLEAGUE = (
        "vakt_uten_tilgang",
        _("Vakt der ansvarlig tjenesteyter ikke er til stede"),
    )
    CONTINUITY = "kontinuitet", _("Nødvendig for å gi forsvarlig oppfølging")
    SAFETY = "sikkerhet", _("Fare for personens eller andres liv eller helse")


class EmergencyAccess(MunicipalityOwned):
    """Break the glass: time-limited access without a care relation, reviewed afterwards."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emergency_accesses")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="emergency_accesses")
    reason = models.CharField(_("årsak"), max_length=30, choices=EmergencyReason.choices)
    explanation = models.TextField(_("forklaring"), max_length=1000)
    overrides_block = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=20, choices=ReviewVerdict.choices, blank=True)
    review_note = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("nødtilgang")
        verbose_name_plural = _("nødtilganger")
        indexes = [models.Index(fields=["municipality", "person", "staff", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.staff} → {self.person_id} ({self.get_reason_display()})"


class BlockLiftReason(models.TextChoices):
    """Why a block was lifted. A fixed list, because it is what the audit row records
    and the person may read in their access log; the staff's own words stay on the block."""

    PERSON_ASKED = "personen_ba_om_det", _("Personen ba om å oppheve sperringen")
    REPRESENTATIVE_ASKED = (
        "representant_ba_om_det",
        _("Verge eller annen som handler for personen ba om å oppheve sperringen"),
    )
    REGISTERED_IN_ERROR = "feilregistrert", _("Sperringen var registrert ved en feil")


class Block(MunicipalityOwned):
    """Sperring: the person blocks a staff member or a whole unit from their record.

    A lifted block stays, with who lifted it, when and why: the block was the person's
    wish, so its end must be accounted for."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="blocks")
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, null=True, blank=True, related_name="blocks_against"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="blocks_against"
    )
    requested_by_person = models.BooleanField(
        _("personen ba selv om sperringen"),
        default=True,
        help_text=_("Ellers registrert av ansatt etter skriftlig anmodning."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opphevet av"),
    )
    end_reason_code = models.CharField(
        _("grunn til oppheving"), max_length=30, choices=BlockLiftReason.choices, blank=True
    )
    end_reason = models.TextField(_("begrunnelse for oppheving"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sperring")
        verbose_name_plural = _("sperringer")
        constraints = [staff_or_unit("block_staff_xor_unit")]

    def __str__(self) -> str:
        return str(self.staff or self.unit)


class ConsentKind(models.TextChoices):
    INDIVIDUAL_PLAN = "individuell_plan", _("Individuell plan")
    SHARING = "deling", _("Deling med navngitte deltakere eller enheter")
    OTHER = "annet", _("Annet")


class ConsentGiver(models.TextChoices):
    PERSON = "personen", _("Personen selv")
    GUARDIAN = "verge", _("Verge / foresatt")
    RELATIVE = "parorende", _("Pårørende med rett til å samtykke")


class ConsentQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None) -> ConsentQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=on),
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on),
            given_on__lte=on,
        )


ConsentManager = ScopedManager.from_queryset(ConsentQuerySet)


class Consent(MunicipalityOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("type"), max_length=20, choices=ConsentKind.choices)
    scope = models.CharField(_("omfang"), max_length=300)
    shared_with_units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("deles med enheter")
    )
    given_by = models.CharField(_("gitt av"), max_length=20, choices=ConsentGiver.choices)
    given_by_relative = models.ForeignKey(
        "people.Relative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pårørende / verge"),
    )
    given_on = models.DateField(_("dato"))
    expires_on = models.DateField(_("utløper"), null=True, blank=True)
    withdrawn_on = models.DateField(_("trukket tilbake"), null=True, blank=True)
    withdrawn_by = models.CharField(max_length=20, choices=ConsentGiver.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects: ClassVar[ConsentManager] = ConsentManager()

    class Meta:
        ordering = ["-given_on"]
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.given_on})"
