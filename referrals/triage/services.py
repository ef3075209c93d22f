"""Working a referral at the front door: claim, assign, note, decide, reopen, close and
tell the referrer. Each service locks the referral row, checks the move is allowed,
then writes the referral, its chronology event and the audit record together."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Role, User
from referrals import timeliness
from referrals.audit import audit_record
from referrals.models import Outcome, Rag, RagRating, Referral, ReferralEvent, Status
from referrals.notifications.outbox import outbox_referral_decided


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


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    user: User,
    outcome: str,
    rationale: str,
    message_to_referrer: str = "",
    request: HttpRequest | None = None,
    now=None,
) -> Referral:
    """Record the decision (Working Together 2023: within one working day of receipt),
    queue the referrer's content-free prompt, and keep the time taken for the summary."""
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
    if outcome not in locked.allowed_outcomes() or not rationale.strip():
        raise TransitionRefused("Choose an outcome that applies and give the reasons for it.")
    locked.status = Status.DECIDED
    locked.outcome = outcome
    locked.decision_rationale = rationale
    locked.decided_at = now
    locked.decided_by = user
    locked.time_to_decision = now - locked.submitted_at
    locked.message_to_referrer = message_to_referrer
    locked.save()
    _event(
        locked, ReferralEvent.Kind.DECIDED, user, now, text=f"{Outcome(outcome).label}. {rationale}"
    )
    if message_to_referrer:
        _event(locked, ReferralEvent.Kind.MESSAGE, user, now, text=message_to_referrer)
    audit_record(
        action="referral.decided",
        actor=user,
        request=request,
        referral=locked,
        detail={"outcome": outcome},
    )
    outbox_referral_decided(locked)
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
    return entry
