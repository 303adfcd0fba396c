"""Persons the services know, their relatives, the units, and the staff."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.tenancy.models import LanguageForm, MunicipalityOwned


class UnitKind(models.TextChoices):
    INTERNAL = "intern", _("Kommunal tjeneste")
    GP = "fastlege", _("Fastlege")
    HOSPITAL = "helseforetak", _("Helseforetak")
    NAV = "nav", _("NAV")
    PPT = "ppt", _("PPT")
    SCHOOL = "skole", _("Skole")
    KINDERGARTEN = "barnehage", _("Barnehage")
    USER_ORGANISATION = "brukerorganisasjon", _("Brukerorganisasjon")
    OTHER_EXTERNAL = "annen_ekstern", _("Annen ekstern samarbeidspart")


class Unit(MunicipalityOwned):
    name = models.CharField(_("navn"), max_length=150)
    kind = models.CharField(_("type"), max_length=30, choices=UnitKind.choices)
    contact_name = models.CharField(_("kontaktperson"), max_length=150, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        constraints = [
            models.UniqueConstraint(
                "municipality", Lower("name"), name="unit_name_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_internal(self) -> bool:
        return self.kind == UnitKind.INTERNAL


class Profession(models.TextChoices):
    PHYSIOTHERAPIST = "fysioterapeut", _("Fysioterapeut")
    OCCUPATIONAL_THERAPIST = "ergoterapeut", _("Ergoterapeut")
    NURSE = "sykepleier", _("Sykepleier")
    PUBLIC_HEALTH_NURSE = "helsesykepleier", _("Helsesykepleier")
    SOCIAL_EDUCATOR = "vernepleier", _("Vernepleier")
    PHYSICIAN = "lege", _("Lege")
    SOCIAL_WORKER = "sosionom", _("Sosionom")
    HEALTH_WORKER = "helsefagarbeider", _("Helsefagarbeider")
    CASEWORKER = "saksbehandler", _("Saksbehandler")
    DEVICE_TECHNICIAN = "hjelpemiddeltekniker", _("Hjelpemiddeltekniker")
    LEADER = "leder", _("Leder")
    OTHER = "annet", _("Annet")


hpr_validator = RegexValidator(r"^\d{6,9}$", _("HPR-nummeret skal ha 6 til 9 siffer."))


class Staff(MunicipalityOwned):
    """A user's place in one municipality. A user may be staff in several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_memberships"
    )
    profession = models.CharField(_("yrke"), max_length=30, choices=Profession.choices)
    hpr_number = models.CharField(
        _("HPR-nummer"), max_length=9, blank=True, validators=[hpr_validator]
    )
    title = models.CharField(_("stillingstittel"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    units = models.ManyToManyField(
        Unit, related_name="staff", blank=True, verbose_name=_("enheter")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("ansatt")
        verbose_name_plural = _("ansatte")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "user"], name="staff_once_per_user")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Person(MunicipalityOwned):
    person_ref = models.CharField(
        _("referanse"),
        max_length=40,
        blank=True,
        help_text=_("Kommunens egen faste referanse, brukt ved import."),
    )
    given_name = models.CharField(_("fornavn"), max_length=100)
    family_name = models.CharField(_("etternavn"), max_length=100)
    birth_date = models.DateField(_("fødselsdato"))
    national_id = models.CharField(_("fødselsnummer / D-nummer"), max_length=11, blank=True)
    national_id_kind = models.CharField(max_length=3, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    street_address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True)
    postal_town = models.CharField(_("poststed"), max_length=100, blank=True)
    preferred_language = models.CharField(_("foretrukket språk"), max_length=50, default="norsk")
    needs_interpreter = models.BooleanField(_("trenger tolk"), default=False)
    language_form = models.CharField(
        _("målform"), max_length=2, choices=LanguageForm.choices, default=LanguageForm.BOKMAL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a column: whether the user may open the person, set on the persons of a
    # search or list page (register.selectors.mark_access, or an annotation).
    has_access: bool

    class Meta:
        ordering = ["family_name", "given_name", "birth_date"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "national_id"],
                condition=~models.Q(national_id=""),
                name="person_national_id_unique_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["municipality", "person_ref"],
                condition=~models.Q(person_ref=""),
                name="person_ref_unique_per_municipality",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "family_name", "given_name"]),
            models.Index(fields=["municipality", "birth_date"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: datetime.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


class RelationType(models.TextChoices):
    PARENT = "forelder", _("Forelder")
    CHILD = "barn", _("Barn")
    SPOUSE = "ektefelle", _("Ektefelle / samboer")
    SIBLING = "søsken", _("Søsken")
    OTHER_RELATIVE = "annen_familie", _("Annen familie")
    GUARDIAN = "verge", _("Verge")
    FOSTER_PARENT = "fosterforelder", _("Fosterforelder")
    FRIEND = "venn", _("Venn / nettverk")


class ActingBasis(models.TextChoices):
    NONE = "", _("Ingen rett til å handle på vegne av personen")
    POWER_OF_ATTORNEY = "fullmakt", _("Fullmakt")
    PARENTAL_RESPONSIBILITY = "foreldreansvar", _("Foreldreansvar")
    GUARDIANSHIP = "vergemål", _("Vergemål")


class Relative(MunicipalityOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives")
    name = models.CharField(_("navn"), max_length=200)
    relation = models.CharField(_("relasjon"), max_length=20, choices=RelationType.choices)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    acting_basis = models.CharField(
        _("rett til å handle på vegne av personen"),
        max_length=20,
        choices=ActingBasis.choices,
        blank=True,
    )
    is_primary_contact = models.BooleanField(_("hovedkontakt"), default=False)
    # The relative's own identity number: with a right to act, their login to the
    # citizen pages (ID-porten) finds the person they act for.
    national_id = models.CharField(
        _("pårørendes fødselsnummer / D-nummer"),
        max_length=11,
        blank=True,
        help_text=_(
            "Trengs for at pårørende med rett til å handle kan logge inn på vegne av personen."
        ),
    )

    # The right to act ends on this day (inclusive), or when it is ended (M6): by staff
    # who register persons, or by the person for a power of attorney they gave.
    acting_until = models.DateField(
        _("rett til å handle gjelder til og med"),
        null=True,
        blank=True,
        help_text=_("Tomt: gjelder til den avsluttes."),
    )
    acting_ended_at = models.DateTimeField(_("rett til å handle avsluttet"), null=True, blank=True)

    class Meta:
        ordering = ["-is_primary_contact", "name"]
        verbose_name = _("pårørende")
        verbose_name_plural = _("pårørende")

    def __str__(self) -> str:
        return self.name

    def acting_in_force(self, today: datetime.date | None = None) -> bool:
        """Has a right to act today: a basis, not ended, not past its last day."""
        today = today or timezone.localdate()
        return (
            bool(self.acting_basis)
            and self.acting_ended_at is None
            and (self.acting_until is None or self.acting_until >= today)
        )

    @property
    def may_act_on_behalf(self) -> bool:
        return self.acting_in_force()

    @property
    def acting_expired(self) -> bool:
        """Had a right to act that has ended (ended, or past its last day)."""
        return bool(self.acting_basis) and not self.acting_in_force()


def acting_in_force_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Relatives (or, with prefix "relative__", rows through one) whose right to act is
    in force today: the query form of Relative.acting_in_force."""
    today = today or timezone.localdate()
    return (
        ~Q(**{f"{prefix}acting_basis": ""})
        & Q(**{f"{prefix}acting_ended_at__isnull": True})
        & (
            Q(**{f"{prefix}acting_until__isnull": True})
            | Q(**{f"{prefix}acting_until__gte": today})
        )
    )


class RepresentationChangeKind(models.TextChoices):
    ENDED = "avsluttet", _("Avsluttet")
    CORRECTED = "rettet", _("Rettet")


class RepresentationChange(MunicipalityOwned):
    """One end or correction of a relative's right to act, with why and by whom (M6).
    The audit row says the same in the person's access log; this keeps the reason."""

    relative = models.ForeignKey(
        Relative, on_delete=models.CASCADE, related_name="representation_changes"
    )
    kind = models.CharField(_("endring"), max_length=12, choices=RepresentationChangeKind.choices)
    changed_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_by_name = models.CharField(_("endret av"), max_length=200)
    by_person = models.BooleanField(_("endret av personen selv"), default=False)
    basis_before = models.CharField(max_length=20, choices=ActingBasis.choices, blank=True)
    basis_after = models.CharField(max_length=20, choices=ActingBasis.choices, blank=True)
    until_before = models.DateField(null=True, blank=True)
    until_after = models.DateField(null=True, blank=True)
    reason = models.TextField(_("begrunnelse"), max_length=1000)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("endring av rett til å handle")
        verbose_name_plural = _("endringer av rett til å handle")

    def __str__(self) -> str:
        return f"{self.relative} – {self.get_kind_display()}"


class UnitInvolvement(MunicipalityOwned):
    """A unit taking part in a person's services, internal or external."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(_("rolle"), max_length=150, blank=True)
    started_on = models.DateField(_("fra"))
    ended_on = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("involvert enhet")
        verbose_name_plural = _("involverte enheter")
