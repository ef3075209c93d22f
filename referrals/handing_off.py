"""Handing a decided contact on (issue 19, "Hand-offs"): the record a decision that
passes the case on makes, in the decision's own transaction. `referrals.triage`
calls `handoff_for_decision` from `referral_decide`; `referrals.handoffs` routes an
unrouted hand-off later. The callers queue the content-free emails
(notifications.outbox.outbox_handoff): this module sits below the outbox.

Every hand-off sent is in the information-sharing log (Disclosure.Kind.HANDOFF)."""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Role, User
from referrals import timeliness
from referrals.audit import audit_record
from referrals.models import (
    ContactOutcome,
    Disclosure,
    Handoff,
    ReceivingTeam,
    Referral,
    ReferralEvent,
)
from referrals.models.handoffs import HANDOFF_ROUTES
from referrals.sharing import DEFAULT_LAWFUL_BASIS, disclosure_record

# What a hand-off tells the receiving team (labels for the sharing log, never values).
SHARED_WITH_TEAM = ["the reference", "the contact outcome", "that the case is passed to them"]


class HandoffRefused(Exception):
    """The step is not open; the message says why in words the user can act on."""


def passes_on(contact_outcome: str) -> bool:
    return contact_outcome in HANDOFF_ROUTES


def handoff_for_decision(
    *,
    referral: Referral,
    user: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Handoff | None:
    """The hand-off a decision makes, if its contact outcome passes the case on: sent to
    the one active team that takes the outcome, or left unrouted (no team, or several:
    triage chooses). `referral` is locked and decided. Idempotent per decision."""
    if not passes_on(referral.contact_outcome):
        return None
    now = now or timezone.now()
    handoff, created = Handoff.objects.get_or_create(
        referral=referral,
        decision_at=referral.decided_at,
        defaults={
            "contact_outcome": referral.contact_outcome,
            "created_by": user,
            "created_at": now,
        },
    )
    if not created:
        return handoff
    teams = ReceivingTeam.objects.receiving(referral.contact_outcome)
    if len(teams) == 1:
        return handoff_send(handoff=handoff, team=teams[0], user=user, request=request, now=now)
    outcome = ContactOutcome(referral.contact_outcome).label
    text = (
        f"No receiving team is configured for {outcome.lower()}."
        if not teams
        else f"{len(teams)} teams take {outcome.lower()}: choose the one to hand it to."
    )
    ReferralEvent.record(
        referral, ReferralEvent.Kind.HANDOFF_UNROUTED, user, now=now, text=text, role=Role.TRIAGE
    )
    audit_record(
        action="handoff.unrouted",
        actor=user,
        request=request,
        referral=referral,
        obj=handoff,
        detail={"teams": len(teams)},
    )
    return handoff


def handoff_send(
    *,
    handoff: Handoff,
    team: ReceivingTeam,
    user: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Handoff:
    """Hand the case to `team`: due for acknowledgement after HANDOFF_ACK_WORKING_DAYS,
    with a fresh link token, in the chronology, the audit trail and the sharing log."""
    now = now or timezone.now()
    if handoff.state != Handoff.State.UNROUTED:
        raise HandoffRefused("This hand-off has already been sent.")
    if not team.active or not passes_on(handoff.contact_outcome):
        raise HandoffRefused("Choose an active receiving team.")
    handoff.team, handoff.state = team, Handoff.State.SENT
    handoff.sent_at, handoff.sent_by = now, user
    handoff.due_at = timeliness.working_days_after(now, settings.HANDOFF_ACK_WORKING_DAYS)
    handoff.new_ack_token()
    handoff.save()
    referral = handoff.referral
    ReferralEvent.record(
        referral,
        ReferralEvent.Kind.HANDED_OFF,
        user,
        now=now,
        text=f"Handed to {team.name}.",
        role=Role.TRIAGE,
    )
    audit_record(
        action="handoff.sent",
        actor=user,
        request=request,
        referral=referral,
        obj=handoff,
        detail={"team": team.pk},
    )
    disclosure_record(
        referral=referral,
        kind=Disclosure.Kind.HANDOFF,
        what=SHARED_WITH_TEAM,
        organisation=team.organisation,
        recipient_name=team.name,
        lawful_basis=DEFAULT_LAWFUL_BASIS,
        decided_by=user,
        request=request,
        idempotency_key=f"handoff:{handoff.pk}",
        now=now,
    )
    return handoff
