"""Responsibility groups (ansvarsgrupper), their members, meetings and follow-ups."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Person, Relative, Staff, Unit
from mestring.plans.models import IndividualPlan
from mestring.tenancy.models import MunicipalityOwned


class ResponsibilityGroup(MunicipalityOwned):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="groups")
    plan = models.ForeignKey(
        IndividualPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="groups"
    )
    started_on = models.DateField(_("opprettet"))
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("ansvarsgruppe")
        verbose_name_plural = _("ansvarsgrupper")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_active_group_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Ansvarsgruppe')} {self.person_id}"


class MemberKind(models.TextChoices):
    PERSON = "personen", _("Personen selv")
    RELATIVE = "parorende", _("Pårørende / verge")
    INTERNAL = "intern", _("Kommunal tjenesteyter")
    EXTERNAL = "ekstern", _("Ekstern samarbeidspart")


class ServiceLine(models.TextChoices):
    FIRST = "forste", _("Førstelinjen (kommunen)")
    SECOND = "andre", _("Andrelinjen (spesialisthelsetjenesten)")
    NONE = "", _("Ikke relevant")


class GroupMember(MunicipalityOwned):
    group = models.ForeignKey(ResponsibilityGroup, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("type"), max_length=12, choices=MemberKind.choices)
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    relative = models.ForeignKey(
        Relative, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("navn"), max_length=200, blank=True)
    role = models.CharField(_("rolle"), max_length=150)
    line = models.CharField(
        _("tjenestenivå"), max_length=10, choices=ServiceLine.choices, blank=True
    )
    is_chair = models.BooleanField(_("leder gruppen (koordinator)"), default=False)
    email = models.EmailField(_("e-post for innkalling"), blank=True)
    started_on = models.DateField(_("fra"))
    ended_on = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        ordering = ["-is_chair", "kind", "pk"]
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")
        constraints = [
            # The coordinator chairs; a group has one chair at a time.
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(is_chair=True, ended_on__isnull=True),
                name="one_current_chair_per_group",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == MemberKind.PERSON:
            return self.group.person.full_name
        if self.staff_id:
            return str(self.staff)
        # An unset foreign key reads as None without a query.
        if self.relative is not None:
            return self.relative.name
        return self.name or (self.unit.name if self.unit is not None else "")

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class MeetingStatus(models.TextChoices):
    PLANNED = "planlagt", _("Planlagt")
    HELD = "avholdt", _("Avholdt")
    CANCELLED = "avlyst", _("Avlyst")


# Minutes may be corrected after a meeting is held; that is not a change of status.
MEETING_TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.PLANNED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
}


class Meeting(MunicipalityOwned, Stateful):
    status_transitions = MEETING_TRANSITIONS
    status_history = "history"

    group = models.ForeignKey(
        ResponsibilityGroup, on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = models.CharField(_("sted"), max_length=200)
    agenda = models.TextField(_("saksliste"), max_length=5000, blank=True)
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("referat"), max_length=20000, blank=True)
    decisions = models.TextField(_("beslutninger"), max_length=10000, blank=True)
    minutes_shared_with_person = models.BooleanField(
        _("referatet deles med personen"), default=True
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE, raised on change
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        indexes = [models.Index(fields=["municipality", "starts_at"])]

    def __str__(self) -> str:
        return f"{_('Møte')} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class MeetingStatusChange(MunicipalityOwned, StatusHistory):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=12, choices=MeetingStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=12, choices=MeetingStatus.choices)

    class Meta(StatusHistory.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Attendance(MunicipalityOwned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="attendances")
    invited_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.meeting_id}"


class FollowUpItem(MunicipalityOwned):
    """Oppfølgingspunkt from a meeting: stays on the responsible's list until done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    what = models.CharField(_("hva"), max_length=500)
    responsible_member = models.ForeignKey(
        GroupMember,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("ansvarlig"),
    )
    due_on = models.DateField(_("frist"))
    done_on = models.DateField(_("utført"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("oppfølgingspunkt")
        verbose_name_plural = _("oppfølgingspunkter")
        indexes = [models.Index(fields=["municipality", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.what


class CalendarFeed(MunicipalityOwned):
    """A staff member's private iCalendar feed of their meetings. The URL's token is the
    credential (calendar apps cannot log in), so only its SHA-256 is stored; a new feed
    revokes the old one."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_calendar_feed_per_staff",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Kalenderabonnement')} {self.staff_id}"
