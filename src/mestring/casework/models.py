"""Cases (saker), decisions (vedtak) and the legal texts they cite.

The coordinating unit's cases for individual plan and coordinator come first; the
allocation office's service applications build on the same Case and Decision.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.kernel.states import Stateful, StatusHistory
from mestring.people.models import Person, Staff, Unit
from mestring.tenancy.models import MunicipalityOwned

if TYPE_CHECKING:
    from mestring.catalogue.models import Service

APPEAL_WEEKS = 3
# A case that will take longer than this gets a provisional reply (forvaltningsloven § 11 a).
PROVISIONAL_REPLY_DAYS = 30
# The reply is prompted this many days before the mark, so it can go out in time.
PROVISIONAL_REPLY_NOTICE_DAYS = 7


class CaseKind(models.TextChoices):
    PLAN_AND_COORDINATOR = "ip_koordinator", _("Individuell plan og/eller koordinator")
    SERVICE = "tjeneste", _("Søknad om helse- og omsorgstjenester")


class Applicant(models.TextChoices):
    PERSON = "personen", _("Personen selv")
    RELATIVE = "parorende", _("Pårørende / verge")
    PROVIDER = "tjenesteyter", _("Tjenesteyter")


class CaseStatus(models.TextChoices):
    RECEIVED = "mottatt", _("Mottatt")
    ASSESSING = "kartlegging", _("Under utredning")
    DECIDED = "vedtak", _("Vedtak fattet")
    ASSIGNED = "tildelt", _("Tildelt")
    WAITING = "venteliste", _("På venteliste")
    CLOSED = "avsluttet", _("Avsluttet")


CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.RECEIVED: {CaseStatus.ASSESSING, CaseStatus.DECIDED, CaseStatus.CLOSED},
    CaseStatus.ASSESSING: {CaseStatus.DECIDED, CaseStatus.CLOSED},
    CaseStatus.DECIDED: {CaseStatus.ASSIGNED, CaseStatus.WAITING, CaseStatus.CLOSED},
    CaseStatus.WAITING: {CaseStatus.ASSIGNED, CaseStatus.CLOSED},
    CaseStatus.ASSIGNED: {CaseStatus.CLOSED},
}
OPEN_CASE_STATUSES = (CaseStatus.RECEIVED, CaseStatus.ASSESSING)


def overdue_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Open cases received before this day are overdue."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=PROVISIONAL_REPLY_DAYS)


def provisional_reply_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Open cases received on or before this day without a provisional reply prompt one."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=PROVISIONAL_REPLY_DAYS - PROVISIONAL_REPLY_NOTICE_DAYS)


class Case(MunicipalityOwned, Stateful):
    status_transitions = CASE_TRANSITIONS
    status_history = "history"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("type sak"), max_length=20, choices=CaseKind.choices)
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    received_on = models.DateField(_("mottatt"))
    requests_individual_plan = models.BooleanField(_("søker individuell plan"), default=False)
    requests_coordinator = models.BooleanField(_("søker koordinator"), default=False)
    applicant = models.CharField(
        _("søker"), max_length=20, choices=Applicant.choices, default=Applicant.PERSON
    )
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarlig enhet"),
    )
    caseworker = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("saksbehandler"),
    )
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    provisional_reply_sent_on = models.DateField(_("foreløpig svar sendt"), null=True, blank=True)
    # Forvaltningsloven § 11 a: the provisional reply says, if possible, when to expect an answer.
    provisional_reply_expected_by = models.DateField(
        _("svar kan ventes innen"), null=True, blank=True
    )
    decided_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The form that made this row (M2, one submission, one effect): the same form sent
    # again gets this row back instead of making a second one.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("sak")
        verbose_name_plural = _("saker")
        indexes = [
            models.Index(fields=["municipality", "status", "received_on"]),
            # The case list: open cases oldest first, paged. Partial, so the
            # ten years of closed cases are not in it and the page is read in order.
            models.Index(
                fields=["municipality", "received_on", "id"],
                condition=models.Q(status__in=OPEN_CASE_STATUSES),
                name="case_open_received_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%d.%m.%Y}"

    def processing_days(self, today: datetime.date | None = None) -> int:
        end = self.decided_on or today or timezone.localdate()
        return (end - self.received_on).days

    @property
    def provisional_reply_due_on(self) -> datetime.date:
        return self.received_on + datetime.timedelta(days=PROVISIONAL_REPLY_DAYS)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status == CaseStatus.DECIDED

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def awaits_provisional_reply(self) -> bool:
        """Still undecided, and no provisional reply registered yet."""
        return self.is_open and self.provisional_reply_sent_on is None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Open and received more than PROVISIONAL_REPLY_DAYS ago without a decision."""
        return self.is_open and self.received_on < overdue_cutoff(today)

    def provisional_reply_prompted(self, today: datetime.date | None = None) -> bool:
        """Open, no provisional reply yet, and past or near the 30-day mark."""
        return (
            self.is_open
            and self.provisional_reply_sent_on is None
            and self.received_on <= provisional_reply_cutoff(today)
        )

    def requested_subjects(self) -> list[str]:
        subjects: list[str] = []
        if self.requests_individual_plan:
            subjects.append(DecisionSubject.INDIVIDUAL_PLAN)
        if self.requests_coordinator:
            subjects.append(DecisionSubject.COORDINATOR)
        return subjects


class CaseStatusChange(MunicipalityOwned, StatusHistory):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=20, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=20, choices=CaseStatus.choices)

    class Meta(StatusHistory.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class LegalBasis(MunicipalityOwned):
    """A legal text a decision cites; per municipality, since the rules get renumbered."""

    code = models.SlugField(_("kode"), max_length=40)
    title = models.CharField(_("hjemmel"), max_length=200)
    text = models.TextField(_("tekst i vedtaksbrevet"), max_length=4000)
    is_active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("hjemmel")
        verbose_name_plural = _("hjemler")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="legal_basis_code_unique")
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationLine(MunicipalityOwned):
    """One service applied for in a service application."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lines")
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, related_name="application_lines"
    )
    note = models.CharField(_("hva det søkes om"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "service"], name="application_line_once")
        ]

    def __str__(self) -> str:
        return str(self.service)


class DecisionSubject(models.TextChoices):
    INDIVIDUAL_PLAN = "individuell_plan", _("Individuell plan")
    COORDINATOR = "koordinator", _("Koordinator")
    SERVICE = "tjeneste", _("Tjeneste")


class DecisionState(models.TextChoices):
    IN_FORCE = "gjeldende", _("Gjeldende")
    CHANGED = "endret", _("Erstattet av nytt vedtak")
    STOPPED = "stanset", _("Stanset")


# A decision in force is replaced by a new one (changed) or stopped; either is final.
DECISION_TRANSITIONS: dict[str, set[str]] = {
    DecisionState.IN_FORCE: {DecisionState.CHANGED, DecisionState.STOPPED},
}


class DecisionOutcome(models.TextChoices):
    GRANTED = "innvilget", _("Innvilget")
    PARTLY = "delvis", _("Delvis innvilget")
    REFUSED = "avslag", _("Avslag")


class Decision(MunicipalityOwned, Stateful):
    """Enkeltvedtak. Appeal deadline: three weeks from the day the letter is sent."""

    status_transitions = DECISION_TRANSITIONS
    status_history = "changes"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    subject = models.CharField(_("gjelder"), max_length=30, choices=DecisionSubject.choices)
    outcome = models.CharField(_("resultat"), max_length=12, choices=DecisionOutcome.choices)
    reasons = models.TextField(_("begrunnelse"), max_length=8000)
    legal_basis = models.ForeignKey(
        LegalBasis, on_delete=models.PROTECT, related_name="+", verbose_name=_("hjemmel")
    )
    decided_on = models.DateField(_("vedtaksdato"))
    letter_sent_on = models.DateField(_("brev sendt"), null=True, blank=True)
    valid_from = models.DateField(_("gjelder fra"), null=True, blank=True)
    valid_to = models.DateField(_("gjelder til"), null=True, blank=True)
    decided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    # For service decisions: which service, and how much (hours per week, or days).
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("tjeneste"),
    )
    hours_per_week = models.DecimalField(
        _("timer per uke"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    days = models.PositiveIntegerField(_("antall døgn"), null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=DecisionState.choices, default=DecisionState.IN_FORCE
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("erstatter vedtak"),
    )
    stopped_on = models.DateField(_("stanset fra"), null=True, blank=True)
    # The legal text as cited on the day of the decision: the municipality may edit its
    # texts later (the regulation gets renumbered), and the letter must stay as it was.
    legal_basis_title = models.CharField(_("hjemmel i vedtaket"), max_length=200, blank=True)
    legal_basis_text = models.TextField(_("hjemmelstekst i vedtaket"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The form that made this row (M2, one submission, one effect): the same form sent
    # again gets this row back instead of making a second one.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")

    def __str__(self) -> str:
        return f"{self.get_subject_display()}: {self.get_outcome_display()}"

    @property
    def appeal_deadline(self) -> datetime.date:
        start = self.letter_sent_on or self.decided_on
        return start + datetime.timedelta(weeks=APPEAL_WEEKS)

    @property
    def cited_title(self) -> str:
        return self.legal_basis_title or self.legal_basis.title

    @property
    def cited_text(self) -> str:
        return self.legal_basis_text or self.legal_basis.text

    @property
    def is_positive(self) -> bool:
        return self.outcome in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY)

    @property
    def subject_label(self) -> str:
        """What the decision is about: the service's name, or IP/coordinator."""
        return self.service.name if self.service is not None else self.get_subject_display()

    @property
    def decided_service(self) -> Service:
        """The service a service decision grants or refuses; every one names its service."""
        if self.service is None:
            raise ValueError(f"Decision {self.pk} ({self.subject}) names no service")
        return self.service

    @property
    def in_force(self) -> bool:
        return self.status == DecisionState.IN_FORCE


class DecisionChange(MunicipalityOwned, StatusHistory):
    """History of a decision: changed (replaced by a new decision) or stopped."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(
        _("fra status"), max_length=12, choices=DecisionState.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=12, choices=DecisionState.choices)
    # The day of the change as the letter gives it; `changed_at` is when it was recorded.
    changed_on = models.DateField()

    class Meta(StatusHistory.Meta):
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class AppealStatus(models.TextChoices):
    RECEIVED = "mottatt", _("Mottatt")
    REVERSED = "omgjort", _("Omgjort av kommunen")
    SENT = "oversendt", _("Sendt til Statsforvalteren")
    UPHELD = "stadfestet", _("Stadfestet av Statsforvalteren")
    OVERTURNED = "opphevet", _("Endret eller opphevet av Statsforvalteren")
    WITHDRAWN = "trukket", _("Trukket")


APPEAL_TRANSITIONS: dict[str, set[str]] = {
    AppealStatus.RECEIVED: {AppealStatus.REVERSED, AppealStatus.SENT, AppealStatus.WITHDRAWN},
    AppealStatus.SENT: {AppealStatus.UPHELD, AppealStatus.OVERTURNED, AppealStatus.WITHDRAWN},
}


class Appeal(MunicipalityOwned, Stateful):
    """Klage on a decision: the municipality reconsiders, then the State Administrator."""

    status_transitions = APPEAL_TRANSITIONS
    status_history = "history"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    received_on = models.DateField(_("klagen mottatt"))
    grounds = models.TextField(_("hva klagen gjelder"), max_length=5000)
    status = models.CharField(
        max_length=12, choices=AppealStatus.choices, default=AppealStatus.RECEIVED
    )
    sent_on = models.DateField(_("sendt til Statsforvalteren"), null=True, blank=True)
    outcome_on = models.DateField(_("avgjort"), null=True, blank=True)
    outcome_note = models.TextField(_("utfall"), max_length=3000, blank=True)
    registered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    # The form that made this row (M2, one submission, one effect): the same form sent
    # again gets this row back instead of making a second one.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("klage")
        verbose_name_plural = _("klager")

    def __str__(self) -> str:
        return f"{_('Klage')} {self.received_on:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        return self.status in APPEAL_TRANSITIONS


class AppealStatusChange(MunicipalityOwned, StatusHistory):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("fra status"), max_length=12, choices=AppealStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=12, choices=AppealStatus.choices)

    class Meta(StatusHistory.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
