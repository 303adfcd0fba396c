"""Pages about access to a person: relations, sperring, consent, emergency access, log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mestring.access import selectors, services
from mestring.access.audit import record_event
from mestring.access.decorators import staff_required
from mestring.access.forms import (
    BlockForm,
    BlockLiftForm,
    ConsentForm,
    EmergencyForm,
    GrantForm,
    ReviewForm,
    WithdrawForm,
)
from mestring.access.guard import _parse_id, audited_view, decide, person_view
from mestring.access.models import (
    AuditOutcome,
    AuditPurpose,
    Block,
    CareRelation,
    Consent,
    EmergencyAccess,
)
from mestring.access.permissions import ACCESS_GRANT, ACCESS_REVIEW
from mestring.core import csvexport
from mestring.core.flow import submit
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person, Staff

RULE_ERRORS = (services.AccessRuleError,)


@staff_required()
@person_view(object_type="care_relations", administrative_permission=ACCESS_GRANT)
@require_http_methods(["GET", "POST"])
def person_access(request: HttpRequest, person: Person) -> HttpResponse:
    may_grant = request.actor.has_perm(ACCESS_GRANT)
    grant_form = GrantForm(request.POST if "grant" in request.POST else None, actor=request.actor)
    block_form = BlockForm(request.POST if "block" in request.POST else None)

    def grant(data: dict[str, Any]) -> object:
        return services.care_relation_grant(
            actor=request.actor,
            person=person,
            kind="manuell",
            reason=data["reason"],
            staff=data["staff"],
            unit=data["unit"],
            valid_to=grant_form.valid_to_datetime(),
        )

    def block(data: dict[str, Any]) -> object:
        return services.block_add(
            actor=request.actor,
            person=person,
            staff=data["staff"],
            unit=data["unit"],
            requested_by_person=data["requested_by_person"] == "1",
        )

    if request.method == "POST":
        done = None
        if "grant" in request.POST and may_grant:
            done = submit(
                request,
                grant_form,
                grant,
                success=_("Tilgangen er gitt."),
                rule_errors=RULE_ERRORS,
            )
        if done is None and "block" in request.POST:
            done = submit(
                request,
                block_form,
                block,
                success=_("Sperringen er registrert."),
                rule_errors=RULE_ERRORS,
            )
        if done is not None:
            return redirect("access:person_access", person_id=person.pk)
    return _access_page(request, person, grant_form=grant_form, block_form=block_form)


def _access_page(
    request: HttpRequest,
    person: Person,
    *,
    grant_form: GrantForm | None = None,
    block_form: BlockForm | None = None,
    lift_forms: dict[int, BlockLiftForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The access page; a form posted elsewhere and shown again comes in bound."""
    lift_forms = lift_forms or {}
    may_lift = services.block_lift_refusal(request.actor, person) is None
    blocks = list(selectors.person_blocks(person))
    # Each active block with its lift form, only for those who may lift it: others see
    # no button. A form shown again stays, even if someone else lifted the block
    # meanwhile, so that its message and what was typed are not lost.
    block_rows = [
        (
            block,
            lift_forms.get(block.pk, BlockLiftForm(prefix=BlockLiftForm.prefix_for(block.pk)))
            if may_lift and (block.ended_at is None or block.pk in lift_forms)
            else None,
        )
        for block in blocks
    ]
    context = {
        "person": person,
        "relations": list(selectors.person_relations(person)),
        "blocks": blocks,
        "block_rows": block_rows,
        "grant_form": grant_form if grant_form is not None else GrantForm(actor=request.actor),
        "block_form": block_form if block_form is not None else BlockForm(),
        "may_grant": request.actor.has_perm(ACCESS_GRANT),
        "administrative": request.access.purpose == AuditPurpose.ADMINISTRATION,
    }
    return csvexport.render_or_csv(request, "access/person_access.html", context, status=status)


@staff_required()
@person_view(
    action=AuditAction.END, object_type="care_relation", administrative_permission=ACCESS_GRANT
)
@require_POST
def relation_end(request: HttpRequest, person: Person, relation_id: int) -> HttpResponse:
    relation = get_object_or_404(CareRelation, pk=relation_id, person=person)
    if relation.staff_id != request.actor.staff.pk and not request.actor.has_perm(ACCESS_GRANT):
        messages.error(request, _("Du kan bare avslutte din egen tilgang."))
    else:
        services.care_relation_end(actor=request.actor, relation=relation)
        messages.success(request, _("Tilgangen er avsluttet."))
    return redirect("access:person_access", person_id=person.pk)


@staff_required()
@person_view(action=AuditAction.UNBLOCK, object_type="block")
@require_POST
def block_end(request: HttpRequest, person: Person, block_id: int) -> HttpResponse:
    """Lift a block. Who may, and with what reason, is the service's rule; a refusal or a
    missing reason shows the access page again with the message and what was typed."""
    block = get_object_or_404(Block, pk=block_id, person=person)
    form = BlockLiftForm(request.POST, prefix=BlockLiftForm.prefix_for(block.pk))
    try:
        services.block_lift_check(actor=request.actor, block=block)
    except services.BlockLiftRefused as exc:
        messages.error(request, str(exc))
        return _access_page(request, person, status=403)

    def lift(data: dict[str, Any]) -> object:
        return services.block_end(
            actor=request.actor,
            block=block,
            reason_code=data["reason_code"],
            reason=data["reason"],
        )

    done = submit(
        request, form, lift, success=_("Sperringen er opphevet."), rule_errors=RULE_ERRORS
    )
    if done is not None:
        return redirect("access:person_access", person_id=person.pk)
    return _access_page(request, person, lift_forms={block.pk: form})


@staff_required()
@person_view(object_type="consents")
@require_http_methods(["GET", "POST"])
def person_consents(request: HttpRequest, person: Person) -> HttpResponse:
    form = ConsentForm(request.POST or None, person=person)

    def record(data: dict[str, Any]) -> object:
        return services.consent_record(
            actor=request.actor,
            person=person,
            kind=data["kind"],
            scope=data["scope"],
            given_by=data["given_by"],
            given_by_relative=data["given_by_relative"],
            given_on=data["given_on"],
            expires_on=data["expires_on"],
            shared_with_units=list(data["shared_with_units"]),
        )

    if request.method == "POST":
        done = _("Samtykket er registrert.")
        if submit(request, form, record, success=done, rule_errors=RULE_ERRORS) is not None:
            return redirect("access:person_consents", person_id=person.pk)
    context = {
        "person": person,
        "consents": list(selectors.person_consents(person)),
        "form": form,
        "withdraw_form": WithdrawForm(),
    }
    return csvexport.render_or_csv(request, "access/person_consents.html", context)


@staff_required()
@person_view(action=AuditAction.CONSENT_WITHDRAWN, object_type="consent")
@require_POST
def consent_withdraw(request: HttpRequest, person: Person, consent_id: int) -> HttpResponse:
    consent = get_object_or_404(Consent, pk=consent_id, person=person)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.actor, consent=consent, withdrawn_by=form.cleaned_data["withdrawn_by"]
            )
        except services.AccessRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Samtykket er trukket tilbake."))
    else:
        messages.error(request, _("Velg hvem som trakk samtykket tilbake."))
    return redirect("access:person_consents", person_id=person.pk)


@staff_required()
@person_view(object_type="access_log")
def person_access_log(request: HttpRequest, person: Person) -> HttpResponse:
    page = csvexport.page_or_all(request, selectors.person_access_log(person), per_page=50)
    context = {"person": person, "page": page}
    return csvexport.render_or_csv(request, "access/person_access_log.html", context)


@staff_required()
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest, person_id: str) -> HttpResponse:
    """Break the glass. Shows nothing about the person until access is granted."""
    form = EmergencyForm(request.POST or None)
    needs_override = False
    if request.method == "POST" and form.is_valid():
        pk = _parse_id(person_id)
        person = Person.objects.filter(pk=pk).first() if pk else None
        if person is None:
            record_event(
                actor=request.actor,
                action=AuditAction.EMERGENCY_ACCESS,
                object_type="person",
                outcome=AuditOutcome.REFUSED,
                purpose=AuditPurpose.EMERGENCY,
            )
            return render(request, "403.html", status=403)
        blocked = decide(request.actor, person.pk).blocked
        if blocked and not form.cleaned_data["confirm_override"]:
            needs_override = True
            form.add_error(
                "confirm_override",
                _(
                    "Personen har sperret deg eller enheten din. Bekreft at du overstyrer "
                    "sperringen. Overstyringen vises for personen."
                ),
            )
        else:
            services.emergency_access_start(
                actor=request.actor,
                person=person,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                override_block=blocked,
            )
            messages.warning(
                request, _("Nødtilgang er gitt og logget. Den gjennomgås av leder i etterkant.")
            )
            return redirect("people:overview", person_id=person.pk)
    return render(
        request,
        "access/emergency.html",
        {"form": form, "person_id": person_id, "needs_override": needs_override},
    )


emergency_access.person_guard_exempt = "emergency access: shows no person data"  # type: ignore[attr-defined]


@staff_required(ACCESS_REVIEW)
@audited_view(object_type="emergency_review_list", purpose=AuditPurpose.ADMINISTRATION)
def emergency_reviews(request: HttpRequest) -> HttpResponse:
    """The review queue: emergency access, and care relations a leader looks at
    afterwards (intake relations from registering a message, self-granted access)."""
    page = csvexport.page_or_all(request, selectors.open_emergency_reviews())
    relations = csvexport.page_or_all(
        request, selectors.relations_awaiting_review(), param="tilganger"
    )
    context = {"page": page, "relations": relations}
    return csvexport.render_or_csv(request, "access/emergency_reviews.html", context)


@staff_required(ACCESS_REVIEW)
@audited_view(object_type="care_relation", purpose=AuditPurpose.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def relation_review(request: HttpRequest, relation_id: int) -> HttpResponse:
    relation = get_object_or_404(
        CareRelation.objects.select_related(
            "person", "staff__user", "unit", "created_by", "reviewed_by__user"
        ).filter(needs_review=True),
        pk=relation_id,
    )
    form = ReviewForm(request.POST or None)

    def review(data: dict[str, Any]) -> object:
        return services.care_relation_review(
            actor=request.actor, relation=relation, verdict=data["verdict"], note=data["note"]
        )

    if request.method == "POST":
        done = _("Gjennomgangen er lagret.")
        if submit(request, form, review, success=done, rule_errors=RULE_ERRORS) is not None:
            return redirect("access:emergency_reviews")
    return render(request, "access/relation_review.html", {"relation": relation, "form": form})


@staff_required(ACCESS_REVIEW)
@audited_view(object_type="emergency_access", purpose=AuditPurpose.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def emergency_review(request: HttpRequest, access_id: int) -> HttpResponse:
    access = get_object_or_404(
        EmergencyAccess.objects.select_related("person", "staff__user"), pk=access_id
    )
    form = ReviewForm(request.POST or None)

    def review(data: dict[str, Any]) -> object:
        return services.emergency_access_review(
            actor=request.actor, access=access, verdict=data["verdict"], note=data["note"]
        )

    if request.method == "POST":
        done = _("Gjennomgangen er lagret.")
        if submit(request, form, review, success=done, rule_errors=RULE_ERRORS) is not None:
            return redirect("access:emergency_reviews")
    return render(request, "access/emergency_review.html", {"access": access, "form": form})


@staff_required()
@audited_view(object_type="my_persons")
def my_persons(request: HttpRequest) -> HttpResponse:
    """The actor's own care relations: the persons they work with."""
    relations = selectors.staff_relations(request.actor.staff)
    page = csvexport.page_or_all(request, relations)
    return csvexport.render_or_csv(request, "access/my_persons.html", {"page": page})


@staff_required(ACCESS_GRANT)
@audited_view(object_type="staff_relations", purpose=AuditPurpose.ADMINISTRATION)
def staff_relations(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = get_object_or_404(Staff.objects.select_related("user"), pk=staff_id)
    relations = selectors.staff_relations(staff, active_only=False)
    page = csvexport.page_or_all(request, relations)
    context = {"staff": staff, "page": page}
    return csvexport.render_or_csv(request, "access/staff_relations.html", context)
