"""The triage panel on the referral page: the referral's chronology, its links and the
actions open to the viewer. Keys start with `triage_` so they never clash with the
page's own."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from referrals import links
from referrals.answers import front_door_rows
from referrals.audit import audit_record
from referrals.permissions import Action, can
from referrals.triage import clocks
from referrals.triage import services as triage
from referrals.triage.forms import FORM_CACHE_SECONDS, AssignForm, RateForm

LINK_REMINDER = "A link is a prompt to check, not a finding."


def triage_panel_context(request, referral) -> dict:
    """Extra context for the referral page when the viewer may triage it. Keys start
    with `triage_` so they never clash with the page's own."""
    if not can(request.user, Action.TRIAGE, referral):
        return {}
    events = list(referral.events.select_related("actor").order_by("occurred_at", "id"))
    triage.referral_record_view(referral=referral, user=request.user, events=events)
    every_link = request.GET.get("links") == "all"
    referral_links = links.links_for(
        referral, per_value=None if every_link else links.LINKS_PER_VALUE
    )
    audit_record(
        action="referral.links_viewed",
        request=request,
        referral=referral,
        detail={"links": len(referral_links)},
    )
    unlisted = links.unlisted(referral_links)
    open_actions = referral.open_triage_actions(request.user)
    now = timezone.now()
    return {
        "triage_referral": referral,
        "triage_assignee": referral.assigned_to,
        "triage_overdue": referral.is_overdue(),
        "triage_claim_overdue": referral.is_claim_overdue(),
        "triage_events": events,
        "triage_links": referral_links,
        "triage_links_unlisted": unlisted,
        "triage_all_links_url": f"{request.path}?links=all#triage-links" if unlisted else "",
        "triage_link_reminder": LINK_REMINDER,
        # Built only if their cached HTML has expired (issue 17): neither depends on the
        # viewer, and the rating form only on whether the referral is rated yet.
        "triage_assign_form": SimpleLazyObject(AssignForm),
        "triage_rate_form": SimpleLazyObject(lambda: RateForm(referral=referral)),
        "triage_rate_form_variant": "change" if referral.rag_rating else "first",
        "triage_form_cache_seconds": FORM_CACHE_SECONDS,
        "triage_rag": clocks.rag_summary(referral, now),
        "triage_time_in_state": clocks.time_in_state(referral, events, now),
        "triage_front_door": front_door_rows(referral),
        **{
            f"triage_can_{action}": action in open_actions
            for action in (
                "claim",
                "assign",
                "decide",
                "reopen",
                "close",
                "message",
                "rate",
                "ask",
            )
        },
    }
