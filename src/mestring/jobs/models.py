"""Background jobs with the database as the queue, reminders and notification choices.

`Job` is system infrastructure, not a domain row: one worker serves every municipality
of an installation, so the queue is not scoped by `MunicipalityOwned`. A job that acts
for a municipality names it, and the worker activates it before running the job.
`Reminder` and `NotificationPreference` are domain rows and are scoped as usual.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.people.models import Person, Staff
from mestring.tenancy.models import Municipality, MunicipalityOwned


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Kjører")
    DONE = "done", _("Ferdig")
    FAILED = "failed", _("Feilet")


class Job(models.Model):
    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    run_after = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    last_error = models.TextField(blank=True)
    # The lease: a worker that dies leaves `locked_until` behind, and the job is claimable
    # again once it has passed.
    locked_by = models.CharField(max_length=100, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Scheduled jobs carry a key (e.g. one reminder scan per municipality per day), so
    # enqueueing them twice — two workers, a restart — gives one job.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run_after", "pk"]
        verbose_name = _("bakgrunnsjobb")
        verbose_name_plural = _("bakgrunnsjobber")
        indexes = [models.Index(fields=["status", "run_after"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class ReminderKind(models.TextChoices):
    PLAN_REVISION = "plan_revisjon", _("Revisjon av individuell plan")
    FOLLOW_UP = "oppfolging", _("Oppfølgingspunkt med frist")
    CASE_PROVISIONAL_REPLY = "sak_forelopig_svar", _("Sak trenger foreløpig svar")
    CASE_OVERDUE = "sak_overtid", _("Sak over saksbehandlingsfristen")
    DECISION_ENDING = "vedtak_utloper", _("Vedtak som utløper")
    CONSENT_EXPIRING = "samtykke_utloper", _("Samtykke som utløper")
    LOAN_OVERDUE = "utlan_forfalt", _("Utlån som skulle vært levert tilbake")
    MEETING_INVITATION = "moteinnkalling", _("Innkalling til ansvarsgruppemøte")
    MEETING_CHANGED = "moteendring", _("Endret ansvarsgruppemøte")
    MEETING_CANCELLED = "moteavlysning", _("Avlyst ansvarsgruppemøte")
    COORDINATOR_APPOINTED = "koordinator_oppnevnt", _("Du er oppnevnt som koordinator")
    NEW_CARE_RELATION = "nytt_tjenstlig_behov", _("Ny person i arbeidet ditt")
    CITIZEN_MESSAGE = "innbyggermelding", _("Ny melding fra innbygger eller pårørende")


# Events that come to the user: found by the scan every quarter of an hour as well as
# the daily one, so that they do not wait for the next day.
EVENT_KINDS = frozenset(
    {
        ReminderKind.COORDINATOR_APPOINTED,
        ReminderKind.NEW_CARE_RELATION,
        ReminderKind.CITIZEN_MESSAGE,
    }
)

# The notices about one meeting: the invitation, then one per change, or the cancellation.
MEETING_KINDS = frozenset(
    {ReminderKind.MEETING_INVITATION, ReminderKind.MEETING_CHANGED, ReminderKind.MEETING_CANCELLED}
)


class Reminder(MunicipalityOwned):
    """One reminder to one recipient about one item and due date. The recipient is a
    staff member, or — for meeting notices — a group member outside the staff who
    has an e-mail address. `recipient_key` makes the row unique whoever it is for.
    `late` marks a reminder made only after the day it should have come (e.g. the
    worker was stopped through the whole notice period)."""

    kind = models.CharField(_("type"), max_length=24, choices=ReminderKind.choices)
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    member = models.ForeignKey(
        "teams.GroupMember", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipient_key = models.CharField(max_length=40)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    due_on = models.DateField(_("frist"))
    # A changed or cancelled meeting is notified again: its iCalendar SEQUENCE is the version.
    version = models.PositiveIntegerField(default=0)
    late = models.BooleanField(_("forsinket"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(_("sett"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "municipality",
                    "recipient_key",
                    "kind",
                    "object_id",
                    "due_on",
                    "version",
                ],
                name="reminder_once",
            ),
            models.CheckConstraint(
                condition=Q(staff__isnull=False) | Q(member__isnull=False),
                name="reminder_has_recipient",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "staff", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%d.%m.%Y}"


class NotificationChannel(models.TextChoices):
    IN_APP = "app", _("Bare i Mestring")
    EMAIL = "epost", _("I Mestring og på e-post")


class NotificationPreference(MunicipalityOwned):
    staff = models.OneToOneField(
        Staff, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channel = models.CharField(
        _("varsling"),
        max_length=10,
        choices=NotificationChannel.choices,
        default=NotificationChannel.IN_APP,
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("varslingsvalg")
        verbose_name_plural = _("varslingsvalg")

    def __str__(self) -> str:
        return f"{self.staff}: {self.channel}"
