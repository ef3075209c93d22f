"""Working a referral at the front door: claim, assign, note, decide, reopen, close and
tell the referrer. Each service locks the referral row, checks the move is allowed,
then writes the referral, its chronology event and the audit record together."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Role, User
from referrals import codes, handing_off, timeliness
from referrals.audit import audit_record
from referrals.models import (
    ContactOutcome,
    Rag,
    RagRating,
    Referral,
    ReferralEvent,
    ScreeningReason,
    Status,
)
from referrals.models.choices import NEXT_STEPS
from referrals.notifications.outbox import outbox_handoff, outbox_referral_decided
from referrals.notifications.webhooks import webhook_handed_off, webhook_outbox, webhook_rated


class TransitionRefused(Exception):
    """The move is not allowed from the referral's current state; the message says why
    in words a triage worker can act on."""


def _locked(referral: Referral) -> Referral:
    # Row lock: two workers acting at once are serialised, and the second sees the
    # first one's result instead of overwriting it.
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _event(
    referral: Referral,
    kind: str,
    user: User,
    now: dt.datetime,
    text: str = "",
    occurred_at: dt.datetime | None = None,
) -> ReferralEvent:
    return ReferralEvent.record(
        referral, kind, user, now=now, text=text, occurred_at=occurred_at, role=Role.TRIAGE
    )


def _require_open(referral: Referral, user: User, action: str, refusal: str) -> None:
    """Refuse unless `action` is open to `user` (Referral.open_triage_actions, the rule
    the panel's buttons follow); `refusal` may name the referral's {status}."""
    if action not in referral.open_triage_actions(user):
        raise TransitionRefused(refusal.format(status=referral.get_status_display().lower()))


def _take(referral: Referral, user: User, now: dt.datetime) -> None:
    referral.assigned_to = user
    referral.claimed_at = referral.claimed_at or now
    if referral.status == Status.SUBMITTED:
        referral.status = Status.IN_TRIAGE


@transaction.atomic
def referral_claim(
    *, referral: Referral, user: User, request: HttpRequest | None = None, now=None
) -> Referral:
    """Take an unassigned referral. Exactly one of two workers claiming at once wins;
    the other is told who has it."""
    now = now or timezone.now()
    locked = _locked(referral)
    if locked.assigned_to_id == user.pk and locked.is_undecided:
        raise TransitionRefused(f"You have already claimed {locked.reference}.")
    if locked.assigned_to_id is not None and locked.is_undecided:
        raise TransitionRefused(
            f"{locked.reference} has already been claimed by {locked.assigned_to.full_name}."
        )
    _require_open(locked, user, "claim", f"{locked.reference} cannot be claimed: it is {{status}}.")
    _take(locked, user, now)
    locked.save(update_fields=["assigned_to", "claimed_at", "status", "updated_at"])
    _event(locked, ReferralEvent.Kind.CLAIMED, user, now)
    audit_record(action="referral.claimed", actor=user, request=request, referral=locked)
    return locked


@transaction.atomic
def referral_assign(
    *,
    referral: Referral,
    user: User,
    assignee: User,
    request: HttpRequest | None = None,
    now=None,
) -> Referral:
    """Assign or reassign an undecided referral to a triage worker."""
    now = now or timezone.now()
    locked = _locked(referral)
    _require_open(
        locked, user, "assign", f"{locked.reference} cannot be assigned: it is {{status}}."
    )
    if not (assignee.is_active and assignee.has_role(Role.TRIAGE)):
        raise TransitionRefused("Referrals can only be assigned to an active triage worker.")
    if locked.assigned_to_id == assignee.pk:
        raise TransitionRefused(f"{locked.reference} is already assigned to {assignee.full_name}.")
    _take(locked, assignee, now)
    locked.save(update_fields=["assigned_to", "claimed_at", "status", "updated_at"])
    _event(locked, ReferralEvent.Kind.ASSIGNED, user, now, text=f"Assigned to {assignee.full_name}")
    audit_record(
        action="referral.assigned",
        actor=user,
        request=request,
        referral=locked,
        detail={"assignee": assignee.pk},
    )
    return locked


def _decision_refusal(referral: Referral, decision: dict) -> str:
    """Why the decision's parts do not fit together, or "" (the form says the same next
    to each field; this is the rule for any other caller)."""
    outcome = decision["contact_outcome"]
    if outcome not in referral.allowed_contact_outcomes():
        return "Choose a contact outcome that applies to the person it is about."
    if outcome == ContactOutcome.REFERRAL and decision["next_step"] not in NEXT_STEPS:
        return "Choose the next step for the referral."
    if outcome != ContactOutcome.REFERRAL and decision["next_step"]:
        return "A next step is recorded only for a referral."
    if outcome == ContactOutcome.SCREENING_NOT_REQUIRED:
        reason = decision["screening_reason"]
        if reason not in ScreeningReason.values:
            return "Choose why screening is not required."
        if (reason == ScreeningReason.DUPLICATE) != (decision["duplicate_of"] is not None):
            return "A duplicate names the contact it duplicates, and only a duplicate does."
        if decision["duplicate_of"] is not None and decision["duplicate_of"].pk == referral.pk:
            return "A contact cannot be a duplicate of itself."
    elif decision["screening_reason"] or decision["duplicate_of"] is not None:
        return "A screening reason is recorded only when screening is not required."
    return codes.factors_error(decision["factors"])


def _decision_text(referral: Referral, rationale: str) -> str:
    """The chronology's words for the decision, with its rationale (its date and
    factors are in the contact record beside it)."""
    parts = [referral.outcome_label]
    if referral.screening_reason:
        reason = referral.get_screening_reason_display()
        if referral.duplicate_of_id:
            reason = f"{reason}: {referral.duplicate_of.reference}"
        parts.append(reason)
    return ". ".join(parts) + f". {rationale}"


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    user: User,
    contact_outcome: str,
    rationale: str,
    next_step: str = "",
    cin_referral_date: dt.date | None = None,
    screening_reason: str = "",
    duplicate_of: Referral | None = None,
    factors: list[str] | tuple[str, ...] = (),
    message_to_referrer: str = "",
    request: HttpRequest | None = None,
    now=None,
) -> Referral:
    """Record the contact outcome (Working Together 2023: within one working day of
    receipt) with its rationale: a referral to children's social care has its next
    step (s17 / s47) and its CIN referral date (the day decided unless given); a
    contact needing no screening has its reason, and a duplicate names the contact it
    duplicates. Queues the referrer's content-free prompt and keeps the time taken."""
    now = now or timezone.now()
    locked = _locked(referral)
    if not locked.can_move_to(Status.DECIDED):
        raise TransitionRefused(
            f"A decision cannot be recorded: the referral is {locked.get_status_display().lower()}."
        )
    _require_open(
        locked,
        user,
        "decide",
        "Claim the referral, or ask for it to be assigned to you, before recording a decision.",
    )
    decision = {
        "contact_outcome": contact_outcome,
        "next_step": next_step,
        "screening_reason": screening_reason,
        "duplicate_of": duplicate_of,
        "factors": list(factors),
    }
    refusal = _decision_refusal(locked, decision)
    if refusal or not rationale.strip():
        raise TransitionRefused(refusal or "Give the reasons for the decision.")
    is_referral = contact_outcome == ContactOutcome.REFERRAL
    locked.status = Status.DECIDED
    locked.contact_outcome = contact_outcome
    locked.outcome = next_step
    locked.cin_referral_date = None
    if is_referral:
        locked.cin_referral_date = cin_referral_date or timezone.localdate(now)
    locked.screening_reason = screening_reason
    locked.duplicate_of = duplicate_of
    locked.factors = decision["factors"]
    locked.decision_rationale = rationale
    locked.decided_at = now
    locked.decided_by = user
    locked.time_to_decision = now - locked.submitted_at
    locked.message_to_referrer = message_to_referrer
    locked.save()
    _event(locked, ReferralEvent.Kind.DECIDED, user, now, text=_decision_text(locked, rationale))
    if message_to_referrer:
        _event(locked, ReferralEvent.Kind.MESSAGE, user, now, text=message_to_referrer)
    audit_record(
        action="referral.decided",
        actor=user,
        request=request,
        referral=locked,
        detail={
            "contact_outcome": contact_outcome,
            "next_step": next_step,
            "screening_reason": screening_reason,
            "duplicate_of": duplicate_of.reference if duplicate_of else "",
            "cin_referral_date": locked.cin_referral_date.isoformat() if is_referral else "",
            "factors": decision["factors"],
        },
    )
    outbox_referral_decided(locked)
    webhook_outbox(locked, "referral.decided")
    # A decision that passes the case on hands it to the receiving team (issue 19).
    handoff = handing_off.handoff_for_decision(referral=locked, user=user, request=request, now=now)
    outbox_handoff(handoff)
    webhook_handed_off(handoff)
    return locked


@transaction.atomic
def referral_update_record(
    *,
    referral: Referral,
    user: User,
    source_code: str,
    source_code_reason: str = "",
    police_crime_reference: str = "",
    nrm_reference: str = "",
    other_council_case_id: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """Correct the census source of referral (with the reason) and keep the contact's
    cross-references (police log or crime reference, NRM reference, the other council's
    case ID). Audited: which fields changed, and the source's codes before and after
    with the reason (the references' values stay out of the audit trail)."""
    locked = _locked(referral)
    if locked.is_draft:
        raise TransitionRefused("A draft has no contact record yet.")
    if source_code not in codes.SOURCE_OF_REFERRAL:
        raise TransitionRefused("Choose a source of referral from the census list.")
    changed, detail = [], {}
    if source_code != locked.source_code:
        if not source_code_reason.strip():
            raise TransitionRefused("Give the reason for correcting the source.")
        changed.append("source_code")
        detail = {"source_from": locked.source_code, "source_to": source_code}
        detail["reason"] = source_code_reason.strip()
        locked.source_code, locked.source_code_reason = source_code, detail["reason"]
    given = {
        "police_crime_reference": police_crime_reference.strip(),
        "nrm_reference": nrm_reference.strip(),
        "other_council_case_id": other_council_case_id.strip(),
    }
    for name, value in given.items():
        if value != getattr(locked, name):
            changed.append(name)
            setattr(locked, name, value)
    if not changed:
        return locked
    locked.save()
    audit_record(
        action="referral.record_updated",
        actor=user,
        request=request,
        referral=locked,
        detail={"changed": changed, **detail},
    )
    return locked


@transaction.atomic
def referral_reopen(
    *, referral: Referral, user: User, reason: str, request: HttpRequest | None = None, now=None
) -> Referral:
    """Reopen a decided or closed referral; only with a written reason. The earlier
    decision stays in the chronology."""
    now = now or timezone.now()
    locked = _locked(referral)
    if locked.is_undecided:
        raise TransitionRefused(f"{locked.reference} has no decision to reopen.")
    _require_open(locked, user, "reopen", "The referral cannot be reopened: it is {status}.")
    if not reason.strip():
        raise TransitionRefused("Give the reason for reopening the decision.")
    locked.status = Status.IN_TRIAGE
    locked.assigned_to = user
    locked.outcome = ""
    locked.contact_outcome, locked.screening_reason, locked.duplicate_of = "", "", None
    locked.cin_referral_date = None
    locked.decision_rationale = ""
    locked.message_to_referrer = ""
    locked.decided_at = None
    locked.decided_by = None
    locked.time_to_decision = None
    locked.save()
    _event(locked, ReferralEvent.Kind.REOPENED, user, now, text=reason)
    audit_record(action="referral.reopened", actor=user, request=request, referral=locked)
    return locked


@transaction.atomic
def referral_close(
    *, referral: Referral, user: User, request: HttpRequest | None = None, now=None
) -> Referral:
    """Close a decided referral: nothing more is expected at the front door."""
    now = now or timezone.now()
    locked = _locked(referral)
    _require_open(
        locked,
        user,
        "close",
        "The referral cannot be closed: it is {status}. Record a decision first.",
    )
    locked.status = Status.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, ReferralEvent.Kind.CLOSED, user, now)
    audit_record(action="referral.closed", actor=user, request=request, referral=locked)
    return locked


@transaction.atomic
def referral_add_note(
    *,
    referral: Referral,
    user: User,
    text: str,
    occurred_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
    now=None,
) -> ReferralEvent:
    """A case note. `occurred_at` is when it happened (say, an earlier phone call),
    kept apart from when it was written down."""
    now = now or timezone.now()
    if occurred_at is not None and occurred_at > now:
        raise TransitionRefused("A case note cannot be about something that has not happened yet.")
    event = _event(referral, ReferralEvent.Kind.NOTE, user, now, text=text, occurred_at=occurred_at)
    audit_record(
        action="referral.note_added", actor=user, request=request, referral=referral, obj=event
    )
    return event


@transaction.atomic
def referral_message_referrer(
    *, referral: Referral, user: User, text: str, request: HttpRequest | None = None, now=None
) -> Referral:
    """What the referrer may know about the outcome; they read it in "my referrals"."""
    now = now or timezone.now()
    locked = _locked(referral)
    _require_open(
        locked, user, "message", "Record a decision before sending the referrer its outcome."
    )
    locked.message_to_referrer = text
    locked.save(update_fields=["message_to_referrer", "updated_at"])
    _event(locked, ReferralEvent.Kind.MESSAGE, user, now, text=text)
    audit_record(action="referral.message_sent", actor=user, request=request, referral=locked)
    return locked


VIEW_GAP = dt.timedelta(minutes=30)


def referral_record_view(*, referral: Referral, user: User, events: list[ReferralEvent]) -> None:
    """A "viewed" entry in the referral's chronology (appended to `events`, the list the
    page shows)."""
    # One "viewed" entry per sitting, not one per reload after each action (every
    # read is still in the audit trail).
    since = timezone.now() - VIEW_GAP
    if any(
        event.kind == ReferralEvent.Kind.VIEWED
        and event.actor_id == user.pk
        and event.occurred_at >= since
        for event in events
    ):
        return
    events.append(ReferralEvent.record(referral, ReferralEvent.Kind.VIEWED, user, role=Role.TRIAGE))


@transaction.atomic
def referral_rate(
    *,
    referral: Referral,
    user: User,
    rating: str,
    rationale: str,
    request: HttpRequest | None = None,
    now=None,
) -> RagRating:
    """Rate a contact red, amber or green, always with the reasons. Each rating's clock
    runs from receipt (timeliness.rag_due), so a re-rating never restarts it; ratings
    are appended, and the first is kept beside the current one."""
    now = now or timezone.now()
    locked = _locked(referral)
    _require_open(locked, user, "rate", "The referral cannot be rated: it is {status}.")
    if rating not in Rag.values or not rationale.strip():
        raise TransitionRefused("Choose red, amber or green and give the reasons for it.")
    if rating == locked.rag_rating:
        raise TransitionRefused(f"{locked.reference} is already rated {Rag(rating).label.lower()}.")
    previous = locked.rag_rating
    entry = RagRating.objects.create(
        referral=locked,
        rating=rating,
        rationale=rationale.strip(),
        rated_by=user,
        rated_at=now,
        due_at=timeliness.rag_due(locked.submitted_at, rating),
        is_first=not previous,
    )
    locked.rag_rating, locked.rag_due_at = rating, entry.due_at
    locked.first_rag_rating = locked.first_rag_rating or rating
    locked.save(update_fields=["rag_rating", "rag_due_at", "first_rag_rating", "updated_at"])
    change = f"Re-rated {Rag(previous).label} to" if previous else "Rated"
    _event(
        locked,
        ReferralEvent.Kind.RATED,
        user,
        now,
        text=f"{change} {entry.get_rating_display()}. {entry.rationale}",
    )
    audit_record(
        action="referral.rated",
        actor=user,
        request=request,
        referral=locked,
        obj=entry,
        detail={"rating": rating, "previous": previous},
    )
    webhook_rated(entry, previous)
    return entry
