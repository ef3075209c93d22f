"""Hand-offs (issue 19): the receiving teams administrators keep, triage choosing the
team of an unrouted hand-off, and the team acknowledging it, in the portal or by the
link in its email. The decision's own hand-off is made by `referrals.handing_off`
from `referral_decide`.

Acknowledging is idempotent: a second click, a resent form or the link used after
the portal changes nothing and says when it was acknowledged."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals.audit import audit_record
from referrals.handing_off import HandoffRefused, handoff_send
from referrals.models import Handoff, ReceivingTeam, Referral, ReferralEvent
from referrals.models.handoffs import hash_token
from referrals.notifications.outbox import outbox_handoff
from referrals.notifications.webhooks import webhook_handed_off

__all__ = ["HandoffRefused", "handoff_acknowledge", "handoff_by_token", "handoff_route"]

AUDITED_FIELDS = ("name", "receives", "mailbox", "organisation_id", "active")


@transaction.atomic
def receiving_team_save(*, form, user: User, request: HttpRequest | None = None) -> ReceivingTeam:
    """Add or change a receiving team (a validated ReceivingTeamForm), audited field by
    field (the values are the team's, never a person's)."""
    before = ReceivingTeam.objects.filter(pk=form.instance.pk).values(*AUDITED_FIELDS).first()
    team = form.save()
    after = {field: getattr(team, field) for field in AUDITED_FIELDS}
    changed = {f: {"before": (before or {}).get(f), "after": after[f]} for f in AUDITED_FIELDS}
    changed = {f: v for f, v in changed.items() if before is None or v["before"] != v["after"]}
    audit_record(
        action="receiving_team.added" if before is None else "receiving_team.changed",
        actor=user,
        request=request,
        obj=team,
        detail={"changed": changed},
    )
    return team


@transaction.atomic
def handoff_route(
    *,
    handoff: Handoff,
    team: ReceivingTeam,
    user: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Handoff:
    """Triage chooses the team of an unrouted hand-off; it is then sent like any other.
    Choosing the same team again (a double submission) changes nothing."""
    referral = Referral.objects.select_for_update().get(pk=handoff.referral_id)
    handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
    if handoff.state != Handoff.State.UNROUTED:
        if handoff.team_id == team.pk:
            return handoff
        raise HandoffRefused(f"This hand-off has already been sent to {handoff.team.name}.")
    if referral.decided_at != handoff.decision_at:
        raise HandoffRefused("The decision has changed since: this hand-off is not needed.")
    if team not in ReceivingTeam.objects.receiving(handoff.contact_outcome):
        raise HandoffRefused("Choose a team that takes this kind of case.")
    handoff.referral = referral
    handoff = handoff_send(handoff=handoff, team=team, user=user, request=request, now=now)
    outbox_handoff(handoff)
    webhook_handed_off(handoff)
    return handoff


@transaction.atomic
def handoff_acknowledge(
    *,
    handoff: Handoff,
    user: User | None,
    via_link: bool = False,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Handoff:
    """The receiving team has the case. The link's token is spent (single use)."""
    now = now or timezone.now()
    handoff = (
        Handoff.objects.select_for_update(of=("self",))
        .select_related("team", "referral")
        .get(pk=handoff.pk)
    )
    if handoff.state == Handoff.State.ACKNOWLEDGED:
        return handoff
    if handoff.state != Handoff.State.SENT:
        raise HandoffRefused("This hand-off has not been sent to a team yet.")
    handoff.state = Handoff.State.ACKNOWLEDGED
    handoff.acknowledged_at = now
    handoff.acknowledged_by = user
    handoff.acknowledged_via_link = via_link
    handoff.save()
    how = "by the link in its email" if via_link else f"by {user.full_name}"
    ReferralEvent.record(
        handoff.referral,
        ReferralEvent.Kind.HANDOFF_ACK,
        user,
        now=now,
        text=f"{handoff.team.name} acknowledged the hand-off {how}.",
        role="Receiving team",
    )
    audit_record(
        action="handoff.acknowledged",
        actor=user,
        request=request,
        referral=handoff.referral,
        obj=handoff,
        detail={"via_link": via_link},
    )
    return handoff


@dataclass(frozen=True)
class LinkLookup:
    handoff: Handoff | None
    problem: str  # "", "unknown", "used" or "expired"


def handoff_by_token(token: str, *, now: dt.datetime | None = None) -> LinkLookup:
    """The hand-off a link's token opens, or why it opens none: unknown, used (the
    hand-off is acknowledged: the token is single-use) or expired (HANDOFF_LINK_DAYS)."""
    now = now or timezone.now()
    if not token or len(token) > 128:
        return LinkLookup(None, "unknown")
    handoff = (
        Handoff.objects.select_related("team", "referral")
        .filter(ack_token_hash=hash_token(token))
        .first()
    )
    if handoff is None:
        return LinkLookup(None, "unknown")
    if handoff.is_acknowledged:
        return LinkLookup(handoff, "used")
    expires = handoff.link_expires_at()
    if expires is not None and expires <= now:
        return LinkLookup(handoff, "expired")
    return LinkLookup(handoff, "")
