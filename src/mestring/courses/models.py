"""Courses and group offers: lærings- og mestringstilbud and group training (MS, KOLS,
kreft, fall prevention 65+) with sessions, enrolment, a waiting list and attendance.
Enrolment grants no access: attendance lists are work lists."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Person, Unit
from mestring.tenancy.models import MunicipalityOwned


class CourseKind(models.TextChoices):
    LEARNING = "laering_mestring", _("Lærings- og mestringstilbud")
    GROUP_TRAINING = "gruppetrening", _("Gruppetrening")
    OTHER = "annet", _("Annet")


class TargetGroup(models.TextChoices):
    MS = "ms", _("MS")
    COPD = "kols", _("KOLS")
    CANCER = "kreft", _("Kreft")
    FALLS = "fallforebygging_65", _("Fallforebygging 65+")
    HEART = "hjerte", _("Hjerte- og karsykdom")
    DIABETES = "diabetes", _("Diabetes type 2")
    MENTAL = "psykisk_helse", _("Psykisk helse")
    OTHER = "annet", _("Annet")


class Course(MunicipalityOwned):
    title = models.CharField(_("tittel"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=CourseKind.choices)
    target_group = models.CharField(_("målgruppe"), max_length=30, choices=TargetGroup.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="courses", verbose_name=_("enhet")
    )
    description = models.TextField(_("beskrivelse"), max_length=5000, blank=True)
    capacity = models.PositiveSmallIntegerField(_("antall plasser"))
    starts_on = models.DateField(_("starter"))
    ends_on = models.DateField(_("slutter"), null=True, blank=True)
    is_published = models.BooleanField(_("åpen for påmelding"), default=True)
    # The service from the catalogue the course carries out: a decision for it assigned
    # to the course's unit enrols the person (see `courses.provision`).
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("tjeneste"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        verbose_name = _("kurs")
        verbose_name_plural = _("kurs")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="course_capacity_1")
        ]

    def __str__(self) -> str:
        return self.title


class CourseSession(MunicipalityOwned):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = models.CharField(_("sted"), max_length=200)
    topic = models.CharField(_("tema"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("samling")
        verbose_name_plural = _("samlinger")

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%d.%m.%Y %H:%M}" + (f" – {self.topic}" if self.topic else "")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "pameldt", _("Påmeldt")
    WAITING = "venteliste", _("Venteliste")
    WITHDRAWN = "trukket", _("Trukket")
    COMPLETED = "fullfort", _("Fullført")


OPEN_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING, EnrolmentStatus.COMPLETED)
# Those who take part (attendance is recorded for them).
TAKING_PART = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)

TRANSITIONS: dict[str, set[str]] = {
    EnrolmentStatus.WAITING: {EnrolmentStatus.ENROLLED, EnrolmentStatus.WITHDRAWN},
    EnrolmentStatus.ENROLLED: {EnrolmentStatus.WITHDRAWN, EnrolmentStatus.COMPLETED},
    EnrolmentStatus.WITHDRAWN: set(),
    EnrolmentStatus.COMPLETED: set(),
}


class Enrolment(MunicipalityOwned, Stateful):
    status_transitions = TRANSITIONS
    status_history = "status_changes"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    enrolled_on = models.DateField(_("meldt på"), default=timezone.localdate)
    # Set when the person was put on the waiting list; kept after moving up.
    waiting_since = models.DateTimeField(_("på venteliste fra"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    # The decision whose assignment enrolled the person, when it was one.
    decision = models.ForeignKey(
        "casework.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("vedtak"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person"],
                condition=~models.Q(status="trukket"),
                name="course_enrolment_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.course}"

    @property
    def is_enrolled(self) -> bool:
        return self.status == EnrolmentStatus.ENROLLED


class EnrolmentStatusChange(MunicipalityOwned, StatusHistory):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta:
        ordering = ["changed_at", "pk"]


class Attendance(MunicipalityOwned):
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("til stede"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="course_attendance_once")
        ]
