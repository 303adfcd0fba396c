"""The audit log's vocabulary: every action an audit row can record, with the words a
person reads in the access log.

A value is what the row stores, and rows are hash-chained, so a value never changes:
a new action gets a new member, and an old member stays for the rows that carry it.
Labels say what the actor did, in plain words, so a citizen reading their own access
log understands it. `record_event` refuses a value that is not here, so no action can
be written without its words.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Reading and searching
    VIEW = "view", _("så på opplysninger")
    SEARCH = "search", _("søkte etter personer")
    OPEN_PAGE = "open_page", _("åpnet en side")
    EXPORT = "export", _("hentet ut opplysninger")
    PRINT = "print", _("skrev ut planen")
    WRITE = "write", _("prøvde å endre opplysninger")

    # Registering and changing, whatever the object (the log names the object)
    CREATE = "create", _("registrerte opplysninger")
    UPDATE = "update", _("endret opplysninger")
    DELETE = "delete", _("slettet opplysninger")
    END = "end", _("avsluttet")
    CLOSE = "close", _("lukket")
    ADD = "add", _("la til en deltaker")
    REMOVE = "remove", _("tok bort fra ventelisten")

    # Imports and examples
    IMPORT = "import", _("importerte opplysninger")
    IMPORT_CREATE = "import_create", _("registrerte opplysninger ved import")
    IMPORT_UPDATE = "import_update", _("endret opplysninger ved import")
    IMPORT_STATUS = "import_status", _("endret status på et hjelpemiddel ved import")
    DEMO_CREATE = "demo_create", _("registrerte eksempeldata")

    # Access to a person: relations, emergency access, blocks, consent
    GRANT = "grant", _("ga tilgang")
    REVIEW = "review", _("gjennomgikk en tilgang")
    EMERGENCY_ACCESS = "emergency_access", _("tok i bruk nødtilgang")
    BLOCK = "block", _("registrerte sperring")
    UNBLOCK = "unblock", _("opphevet sperring")
    CONSENT_GIVEN = "consent_given", _("registrerte samtykke")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("registrerte at samtykket ble trukket")

    # Staff accounts and roles
    ASSIGN_ROLE = "assign_role", _("ga en rolle")
    UNASSIGN_ROLE = "unassign_role", _("fjernet en rolle")
    JOIN = "join", _("knyttet en bruker til kommunen")
    UPDATE_ACCOUNT = "update_account", _("endret navn eller e-post på en brukerkonto")
    UNLOCK = "unlock", _("låste opp en brukerkonto")
    RESET_SECOND_FACTOR = "reset_second_factor", _("tilbakestilte tofaktorinnloggingen")
    REVOKE = "revoke", _("trakk tilbake en tilgangsnøkkel")

    # The citizen's pages
    LOGIN = "login", _("logget inn på Min side")
    ANSWER = "answer", _("svarte på en kommentar")
    ACCEPT = "accept", _("tok et foreslått mål inn i planen")
    DECLINE = "decline", _("avslo et foreslått mål")
    HANDLE = "handle", _("behandlet et ønske om sperring")

    # Cases, decisions and messages of need
    ASSIGN = "assign", _("tildelte saken til en saksbehandler")
    PROVISIONAL_REPLY = "provisional_reply", _("sendte foreløpig svar")
    LETTER_SENT = "letter_sent", _("registrerte at vedtaksbrevet er sendt")
    CHANGE = "change", _("endret vedtaket")
    STOP = "stop", _("stanset vedtaket")
    TRIAGE = "triage", _("vurderte meldingen om behov")

    # Status of a case (saken), an appeal (klagen) or a message of need (meldingen)
    STATUS_RECEIVED = "status_mottatt", _("endret status til «Mottatt»")
    STATUS_CLOSED = "status_avsluttet", _("endret status til «Avsluttet»")
    STATUS_ASSESSING = "status_kartlegging", _("endret status på saken til «Under utredning»")
    STATUS_DECIDED = "status_vedtak", _("endret status på saken til «Vedtak fattet»")
    STATUS_ASSIGNED = "status_tildelt", _("endret status på saken til «Tildelt»")
    STATUS_WAITING = "status_venteliste", _("endret status på saken til «På venteliste»")
    STATUS_REVERSED = "status_omgjort", _("endret status på klagen til «Omgjort av kommunen»")
    STATUS_SENT = "status_oversendt", _("endret status på klagen til «Sendt til Statsforvalteren»")
    STATUS_UPHELD = (
        "status_stadfestet",
        _("endret status på klagen til «Stadfestet av Statsforvalteren»"),
    )
    STATUS_OVERTURNED = (
        "status_opphevet",
        _("endret status på klagen til «Endret eller opphevet av Statsforvalteren»"),
    )
    STATUS_WITHDRAWN = "status_trukket", _("endret status på klagen til «Trukket»")
    STATUS_UNDER_REVIEW = (
        "status_under_vurdering",
        _("endret status på meldingen om behov til «Under vurdering»"),
    )
    STATUS_CASE_OPENED = (
        "status_sak_opprettet",
        _("endret status på meldingen om behov til «Sak opprettet»"),
    )
    STATUS_FORWARDED = (
        "status_videresendt",
        _("endret status på meldingen om behov til «Videresendt»"),
    )

    # Individual plans and coordinators
    APPOINT = "appoint", _("oppnevnte en koordinator")
    ACTIVATE = "activate", _("gjorde en koordinator tilgjengelig igjen")
    DEACTIVATE = "deactivate", _("gjorde en koordinator utilgjengelig")

    # Responsibility groups and meetings
    SCHEDULE = "schedule", _("satte opp et møte")
    CANCEL = "cancel", _("avlyste et møte")
    RECORD = "record", _("skrev referat fra et møte")
    DONE = "done", _("markerte en oppfølgingsoppgave som utført")
    CHAIR_REMOVED = "chair_removed", _("tok bort rollen som leder av ansvarsgruppen")

    # Rehabilitation
    ASSESS = "assess", _("vurderte behovet for rehabilitering")
    START = "start", _("startet et forløp")
    FOLLOW_UP = "follow_up", _("registrerte oppfølging etter rehabiliteringen")

    # Institutions
    ADMIT = "admit", _("skrev inn på institusjon")
    ADMIT_OVER_CAPACITY = (
        "admit_over_capacity",
        _("skrev inn på institusjon ut over antall plasser"),
    )
    DISCHARGE = "discharge", _("skrev ut fra institusjon")

    # Courses
    ENROL = "enrol", _("meldte på et kurs")
    WAITLIST = "waitlist", _("satte på venteliste til et kurs")
    WITHDRAW = "withdraw", _("meldte av et kurs")
    COMPLETE = "complete", _("registrerte at kurset er fullført")
    PROMOTE = "promote", _("flyttet fra venteliste til plass på kurset")
    ATTENDANCE = "attendance", _("registrerte oppmøte på kurs")

    # The municipality's action plan
    REVISE = "revise", _("reviderte handlingsplanen")
    STATUS_CHANGE = "status_change", _("endret status på et tiltak i handlingsplanen")
    EVALUATE = "evaluate", _("evaluerte et tiltak i handlingsplanen")

    # User organisations on the public pages
    APPROVE = "approve", _("godkjente en brukerorganisasjon")
    REJECT = "reject", _("avslo en brukerorganisasjon")
    ISSUE_LINK = "issue_link", _("sendte lenke for å endre oppføringen til en brukerorganisasjon")

    # Reminders
    NOTIFY = "notify", _("sendte varsel om en påminnelse på e-post")
    MARK_SEEN = "mark_seen", _("markerte en påminnelse som sett")
    SET_NOTIFICATION = "set_notification", _("valgte hvordan påminnelser skal varsles")

    # Assistive devices (hjelpemidler)
    DEVICE_INQUIRY_CREATE = (
        "devices.inquiry.create",
        _("registrerte en henvendelse om hjelpemidler"),
    )
    DEVICE_LOAN_ORDER = "devices.loan.order", _("bestilte et hjelpemiddel til utlån")
    DEVICE_LOAN_DELIVER = "devices.loan.deliver", _("lånte ut et hjelpemiddel")
    DEVICE_LOAN_CANCEL = "devices.loan.cancel", _("avbestilte utlån av et hjelpemiddel")
    DEVICE_LOAN_RETURN = "devices.loan.return", _("tok imot et hjelpemiddel i retur")
    DEVICE_ITEM_CREATE = "devices.item.create", _("registrerte et hjelpemiddel")
    DEVICE_ITEM_STATUS = "devices.item.status", _("endret status på et hjelpemiddel")
    DEVICE_ITEM_CLEANED = "devices.item.cleaned", _("registrerte et hjelpemiddel som rengjort")
    DEVICE_ITEM_REPAIR = "devices.item.repair", _("sendte et hjelpemiddel til reparasjon")
    DEVICE_ITEM_REPAIRED = "devices.item.repaired", _("registrerte et hjelpemiddel som reparert")
    DEVICE_ITEM_DISCARDED = "devices.item.discarded", _("kasserte et hjelpemiddel")
    DEVICE_NAV_CREATE = "devices.nav.create", _("registrerte en søknad om hjelpemiddel fra NAV")
    DEVICE_NAV_STATUS = (
        "devices.nav.status",
        _("endret status på en søknad om hjelpemiddel fra NAV"),
    )

    # Upkeep: retention and the audit log itself
    RETENTION_DELETE = "retention_delete", _("slettet opplysninger som var lagret lenge nok")
    RETENTION_ANONYMISE = (
        "retention_anonymise",
        _("anonymiserte opplysninger som var lagret lenge nok"),
    )
    AUDIT_PRUNE = "audit_prune", _("slettet gamle rader fra tilgangsloggen")

    @classmethod
    def for_status(cls, status: str) -> AuditAction:
        """The action of a status change to `status` (a case, an appeal or a message of
        need). Raises ValueError for a status without one, so a new status needs words."""
        return cls(f"status_{status}")

    @classmethod
    def for_retention(cls, kind_action: str) -> AuditAction:
        """The action of one retention run over a kind: "delete" or "anonymise"."""
        return cls(f"retention_{kind_action}")


# The words shown for a stored value this vocabulary no longer has (never the code).
UNKNOWN_ACTION_LABEL = _("annen handling")


def audit_action(value: object) -> AuditAction:
    """The member for `value`; a value outside the vocabulary is refused."""
    if isinstance(value, AuditAction):
        return value
    if not isinstance(value, str):
        raise TypeError(f"An audit action is an AuditAction, not {type(value).__name__}.")
    try:
        return AuditAction(value)
    except ValueError:
        raise ValueError(
            f"Unknown audit action {value!r}: add it to AuditAction with its label."
        ) from None


def audit_action_label(value: str) -> str:
    """The words for a stored action, in the active language; a value not in the
    vocabulary reads as "annen handling"."""
    try:
        return str(AuditAction(value).label)
    except ValueError:
        return str(UNKNOWN_ACTION_LABEL)
