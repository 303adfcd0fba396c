"""What citizens write on their own pages: comments and proposals on the plan, what
matters to them, messages with the coordinator, and requests for sperring.

A citizen has no user account, so the author is kept as a name and, when a relative
acts, the basis of their right to act (fullmakt, vergemål, foreldreansvar). The plan's
own fields are never overwritten from here: the coordinator reads the person's words
and copies them into the plan if they agree.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.people.models import Person, Relative, Staff
from mestring.plans.models import Goal, IndividualPlan, Measure
from mestring.tenancy.models import MunicipalityOwned


class CommentKind(models.TextChoices):
    COMMENT = "kommentar", _("Kommentar")
    PROPOSAL = "forslag", _("Forslag til nytt mål")
    WHAT_MATTERS = "viktig", _("Hva er viktig for meg")


class ProposalOutcome(models.TextChoices):
    OPEN = "", _("Ikke behandlet")
    ACCEPTED = "godtatt", _("Tatt inn i planen")
    DECLINED = "avslatt", _("Ikke tatt inn")


class CitizenComment(MunicipalityOwned):
    """A comment on a goal or a measure, a proposal for a new goal, or what matters to
    the person, in their own words; the coordinator answers."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citizen_comments")
    plan = models.ForeignKey(
        IndividualPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="citizen_comments"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="citizen_comments"
    )
    kind = models.CharField(_("type"), max_length=12, choices=CommentKind.choices)
    text = models.TextField(_("tekst"), max_length=3000)
    written_by_name = models.CharField(_("skrevet av"), max_length=150)
    relative = models.ForeignKey(
        Relative, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_behalf_basis = models.CharField(_("på vegne av personen"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("svar"), max_length=3000, blank=True)
    answered_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    proposal_outcome = models.CharField(
        max_length=10, choices=ProposalOutcome.choices, default=ProposalOutcome.OPEN, blank=True
    )
    accepted_goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("innspill fra innbygger")
        verbose_name_plural = _("innspill fra innbyggere")
        indexes = [models.Index(fields=["municipality", "person", "answered_at"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Conversation(MunicipalityOwned):
    """The person's one conversation with their coordinator (and the services)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conversations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("samtale")
        verbose_name_plural = _("samtaler")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "person"], name="one_conversation")
        ]

    def __str__(self) -> str:
        return f"{_('Samtale')} {self.person_id}"


class SenderKind(models.TextChoices):
    CITIZEN = "innbygger", _("Innbygger")
    STAFF = "ansatt", _("Ansatt")


class Message(MunicipalityOwned):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender_kind = models.CharField(max_length=10, choices=SenderKind.choices)
    sender_name = models.CharField(_("fra"), max_length=150)
    relative = models.ForeignKey(
        Relative, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_behalf_basis = models.CharField(max_length=20, blank=True)
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("melding"), max_length=5000)
    sent_at = models.DateTimeField(default=timezone.now)
    # When the other side (citizen for staff messages, staff for citizen messages) read it.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldinger")
        indexes = [models.Index(fields=["municipality", "conversation", "read_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class BlockRequest(MunicipalityOwned):
    """The person asks for sperring; a leader makes the block on the access pages."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="block_requests")
    text = models.TextField(_("hva du vil sperre"), max_length=2000)
    written_by_name = models.CharField(max_length=150)
    on_behalf_basis = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_note = models.CharField(_("merknad"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ønske om sperring")
        verbose_name_plural = _("ønsker om sperring")
        constraints = [
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True) | Q(handled_by__isnull=False),
                name="block_request_handled_by",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]
