"""Partner information requests (issue 19): the intake team asks a partner agency
what it knows; the agency's Partner users answer in the portal; reminders before the
due time and an escalation to the Triage leads after it.

Every request and every answer is a disclosure and goes into the information-sharing
log (referrals.sharing.disclosure_record), as does a decision not to share, with its
reason (Working Together 2023; the DfE's information-sharing advice expects it written
down). A repeated `form_token` (a double submission) writes nothing more."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Organisation, Role, User
from referrals import timeliness
from referrals.audit import audit_record
from referrals.models import (
    Disclosure,
    InformationRequest,
    Rag,
    Referral,
    ReferralEvent,
    SharedField,
)
from referrals.notifications.outbox import (
    outbox_partner_answered,
    outbox_partner_overdue,
    outbox_partner_reminder,
    outbox_partner_request,
)
from referrals.permissions import Action, can
from referrals.sharing import disclosure_record

# The agencies a request may go to (Organisation.Kind).
PARTNER_KINDS = (
    Organisation.Kind.POLICE,
    Organisation.Kind.HEALTH,
    Organisation.Kind.EDUCATION,
    Organisation.Kind.YOUTH_JUSTICE,
    Organisation.Kind.HOUSING,
    Organisation.Kind.PROBATION,
)


class PartnerRequestRefused(Exception):
    """The step is not open; the message says why in words the user can act on."""


def partner_organisations():
    return Organisation.objects.filter(kind__in=PARTNER_KINDS).order_by("name")


def active_partners(organisation: Organisation):
    return User.objects.active_with_role(Role.PARTNER).filter(organisation=organisation)


def default_due_at(referral: Referral, kind: str | None, now: dt.datetime) -> dt.datetime:
    """From the referral's RAG rating (blank counts as amber), by the agency kind's own
    clocks when configured (settings.PARTNER_REQUEST_DUE_BY_KIND)."""
    clocks = settings.PARTNER_REQUEST_DUE_BY_KIND.get(kind or "", settings.PARTNER_REQUEST_DUE)
    amount, unit = clocks[referral.rag_rating or Rag.AMBER]
    if unit == timeliness.ELAPSED_HOURS:
        return now + dt.timedelta(hours=amount)
    return timeliness.add_working_hours(now, amount)


def _name(referral: Referral) -> str:
    name = " ".join(p for p in (referral.first_name, referral.last_name) if p)
    return f"{name} (known as {referral.known_as})" if referral.known_as else name


def _address(referral: Referral) -> str:
    parts = (referral.address_line_1, referral.address_line_2, referral.town, referral.postcode)
    return ", ".join(p for p in parts if p)


def _referrer(referral: Referral) -> str:
    parts = (referral.referrer_name, referral.referrer_organisation, referral.referrer_phone)
    return ", ".join(p for p in parts if p)


def _snapshot(referral: Referral, chosen: list[str]) -> dict:
    """The values of the chosen fields only, as they are now; the others stay empty."""
    return {
        "shared_fields": chosen,
        "shared_name": _name(referral) if SharedField.NAME in chosen else "",
        "shared_date_of_birth": (
            referral.date_of_birth if SharedField.DATE_OF_BIRTH in chosen else None
        ),
        "shared_address": _address(referral) if SharedField.ADDRESS in chosen else "",
        "shared_referrer": _referrer(referral) if SharedField.REFERRER in chosen else "",
    }


def shared_labels(fields) -> list[str]:
    labels = dict(SharedField.choices)
    return [str(labels[f]) for f in SharedField.values if f in fields]


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


@transaction.atomic
def information_request_send(
    *,
    referral: Referral,
    user: User,
    organisation: Organisation,
    question: str,
    shared_fields: list[str],
    due_at: dt.datetime,
    lawful_basis: str,
    form_token: uuid.UUID,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> InformationRequest:
    """Ask `organisation` what it knows, sharing only `shared_fields` (snapshotted on
    the request: a later correction of the referral does not change what was sent)."""
    now = now or timezone.now()
    locked = _locked(referral)
    earlier = InformationRequest.objects.filter(referral=locked, form_token=form_token).first()
    if earlier is not None:
        return earlier
    if not can(user, Action.TRIAGE, locked):
        raise PartnerRequestRefused("Only the intake team can ask a partner agency.")
    if organisation.kind not in PARTNER_KINDS:
        raise PartnerRequestRefused(f"{organisation.name} is not a partner agency.")
    if not active_partners(organisation).exists():
        raise PartnerRequestRefused(
            f"{organisation.name} has no active users in the portal, so nobody there could "
            "read the request. Contact them another way, or ask an administrator to invite "
            "someone from the agency."
        )
    if due_at <= now:
        raise PartnerRequestRefused("The answer must be due after now.")
    chosen = [f for f in SharedField.values if f in shared_fields]
    info = InformationRequest.objects.create(
        referral=locked,
        organisation=organisation,
        asked_by=user,
        question=question,
        **_snapshot(locked, chosen),
        lawful_basis=lawful_basis,
        sent_at=now,
        due_at=due_at,
        form_token=form_token,
    )
    labels = shared_labels(chosen)
    shared_text = ", ".join(labels) or "nothing about the subject"
    ReferralEvent.record(
        locked,
        ReferralEvent.Kind.PARTNER_REQUEST,
        user,
        now=now,
        text=f"To {organisation.name} (shared: {shared_text}): {question}",
    )
    audit_record(
        action="partner_request.sent",
        actor=user,
        request=request,
        referral=locked,
        obj=info,
        detail={"organisation": organisation.pk, "shared": chosen, "due_at": due_at.isoformat()},
    )
    disclosure_record(
        referral=locked,
        kind=Disclosure.Kind.INFORMATION_REQUEST,
        what=[*labels, "the question"],
        organisation=organisation,
        lawful_basis=lawful_basis,
        decided_by=user,
        request=request,
        idempotency_key=f"partner_request:{info.pk}",
        now=now,
    )
    outbox_partner_request(info)
    return info


@transaction.atomic
def information_request_withdraw(
    *,
    information_request: InformationRequest,
    user: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> InformationRequest:
    now = now or timezone.now()
    locked = _locked(information_request.referral)
    info = InformationRequest.objects.select_related("organisation").get(pk=information_request.pk)
    if not can(user, Action.TRIAGE, locked):
        raise PartnerRequestRefused("Only the intake team can withdraw a request.")
    if not info.is_open:
        raise PartnerRequestRefused(
            f"The request has already been {info.get_state_display().lower()}."
        )
    info.state, info.withdrawn_at, info.withdrawn_by = info.State.WITHDRAWN, now, user
    info.save(update_fields=["state", "withdrawn_at", "withdrawn_by"])
    ReferralEvent.record(
        locked,
        ReferralEvent.Kind.PARTNER_WITHDRAWN,
        user,
        now=now,
        text=f"Request to {info.organisation.name} withdrawn",
    )
    audit_record(
        action="partner_request.withdrawn", actor=user, request=request, referral=locked, obj=info
    )
    return info


@transaction.atomic
def information_request_answer(
    *,
    information_request: InformationRequest,
    user: User,
    answer: str,
    nothing_known: bool,
    form_token: uuid.UUID,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> InformationRequest:
    """A Partner of the agency asked answers (free text, or "nothing known")."""
    now = now or timezone.now()
    locked = _locked(information_request.referral)
    info = InformationRequest.objects.select_related("organisation").get(pk=information_request.pk)
    if info.answer_token == form_token:
        return info
    if not user.has_role(Role.PARTNER) or user.organisation_id != info.organisation_id:
        raise PartnerRequestRefused("Only the agency asked can answer this request.")
    if info.state == info.State.WITHDRAWN:
        raise PartnerRequestRefused(
            "The front door has withdrawn this request: no answer is needed."
        )
    if info.state == info.State.ANSWERED:
        raise PartnerRequestRefused("This request has already been answered.")
    info.state, info.answered_at, info.answered_by = info.State.ANSWERED, now, user
    info.answer, info.nothing_known, info.answer_token = answer, nothing_known, form_token
    info.save(
        update_fields=[
            "state",
            "answered_at",
            "answered_by",
            "answer",
            "nothing_known",
            "answer_token",
        ]
    )
    said = "Nothing known." + (f" {answer}" if answer else "") if nothing_known else answer
    ReferralEvent.record(
        locked,
        ReferralEvent.Kind.PARTNER_ANSWER,
        user,
        now=now,
        text=f"From {info.organisation.name}: {said}",
    )
    audit_record(
        action="partner_request.answered", actor=user, request=request, referral=locked, obj=info
    )
    disclosure_record(
        referral=locked,
        kind=Disclosure.Kind.PARTNER_ANSWER,
        what=["nothing known"] if nothing_known and not answer else ["what the agency knows"],
        organisation=info.organisation,
        lawful_basis=info.lawful_basis,
        decided_by=user,
        request=request,
        idempotency_key=f"partner_answer:{info.pk}",
        now=now,
    )
    info.referral = locked
    outbox_partner_answered(info)
    return info


@transaction.atomic
def sharing_refusal_record(
    *,
    referral: Referral,
    user: User,
    kind: str,
    what: list[str],
    reason: str,
    form_token: uuid.UUID,
    organisation: Organisation | None = None,
    recipient_name: str = "",
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Disclosure:
    """A decision NOT to share, with its reason, in the log and the chronology."""
    now = now or timezone.now()
    locked = _locked(referral)
    key = f"not_shared:{locked.pk}:{form_token}"
    earlier = Disclosure.objects.filter(idempotency_key=key).first()
    if earlier is not None:
        return earlier
    if not can(user, Action.TRIAGE, locked):
        raise PartnerRequestRefused("Only the intake team can record a sharing decision.")
    disclosure = disclosure_record(
        referral=locked,
        kind=kind,
        what=what,
        organisation=organisation,
        recipient_name=recipient_name,
        lawful_basis="",
        decided_by=user,
        shared=False,
        reason=reason,
        request=request,
        idempotency_key=key,
        now=now,
    )
    recipient = organisation.name if organisation else recipient_name or "a partner"
    ReferralEvent.record(
        locked,
        ReferralEvent.Kind.NOT_SHARED,
        user,
        now=now,
        text=f"Not shared with {recipient}: {reason}",
    )
    return disclosure


def _reminder_at(info: InformationRequest) -> dt.datetime:
    share = (info.due_at - info.sent_at) * settings.PARTNER_REMINDER_SHARE
    before = max(share, dt.timedelta(minutes=settings.PARTNER_REMINDER_MIN_MINUTES))
    return info.due_at - before


@transaction.atomic
def partner_requests_chase(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Beat, every few minutes: remind the agency before the due time (once), and tell
    the Triage leads when the answer is overdue (once)."""
    now = now or timezone.now()
    reminded = escalated = 0
    waiting = (
        InformationRequest.objects.open()
        .filter(reminded_at__isnull=True, due_at__gt=now)
        .select_for_update(skip_locked=True)
        .select_related("referral")
    )
    for info in waiting:
        if now >= _reminder_at(info):
            outbox_partner_reminder(info)
            info.reminded_at = now
            info.save(update_fields=["reminded_at"])
            reminded += 1
    late = (
        InformationRequest.objects.overdue(now)
        .filter(escalated_at__isnull=True)
        .select_for_update(skip_locked=True)
        .select_related("referral")
    )
    for info in late:
        outbox_partner_overdue(info)
        info.escalated_at = now
        info.save(update_fields=["escalated_at"])
        audit_record(action="partner_request.escalated", referral=info.referral, obj=info)
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}
