"""Hand-offs on the referral page (templates/referrals/handoffs/panel.html), for
triage: to whom the case was handed and whether it is acknowledged, or that no
receiving team is configured. Keys start with `handoffs_`."""

from django.urls import reverse
from django.utils import timezone

from referrals.models import Handoff, ReceivingTeam, Referral, ReferralEvent
from referrals.permissions import Action, can


def _row(handoff: Handoff, now, referral: Referral) -> dict:
    reference = referral.reference
    routed = handoff.team_id is not None
    # An unrouted hand-off of a decision since reopened is no longer to be sent.
    superseded = not routed and handoff.decision_at != referral.decided_at
    if handoff.is_acknowledged:
        how = "by the link in the email" if handoff.acknowledged_via_link else "in the portal"
        who = handoff.acknowledged_by.full_name if handoff.acknowledged_by_id else ""
        status = (handoff.get_state_display(), "govuk-tag--green")
    elif handoff.is_overdue(now):
        how, who, status = "", "", ("Not yet acknowledged: overdue", "govuk-tag--red")
    else:
        how, who, status = "", "", (handoff.get_state_display(), "govuk-tag--yellow")
    teams = [] if routed or superseded else ReceivingTeam.objects.receiving(handoff.contact_outcome)
    return {
        "team": handoff.team.name if routed else "",
        "outcome": handoff.get_contact_outcome_display(),
        "state": status[0],
        "tag_class": status[1],
        "sent_at": handoff.sent_at,
        "due_at": handoff.due_at,
        "acknowledged_at": handoff.acknowledged_at,
        "acknowledged_how": how,
        "acknowledged_by": who,
        "unrouted": not routed and not superseded,
        "superseded": superseded,
        "teams_to_choose": len(teams),
        "route_url": reverse("referral_handoff_route", args=[reference, handoff.pk]),
    }


HANDOFF_EVENTS = (ReferralEvent.Kind.HANDED_OFF, ReferralEvent.Kind.HANDOFF_UNROUTED)


def handoffs_panel_context(request, referral: Referral, chronology: list | None = None) -> dict:
    """`chronology`: the referral's events when the page has read them already (the
    triage panel does): without a hand-off among them there is none to look up."""
    if not can(request.user, Action.TRIAGE, referral):
        return {}
    if chronology is not None and not any(e.kind in HANDOFF_EVENTS for e in chronology):
        return {}
    handoffs = list(
        referral.handoffs.select_related("team", "acknowledged_by").order_by("created_at", "pk")
    )
    if not handoffs:
        return {}
    now = timezone.now()
    return {"handoffs_rows": [_row(h, now, referral) for h in handoffs]}
