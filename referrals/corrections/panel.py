"""The corrections on the referral page (triage): every correction with what it
replaced, and the ways to make one. Keys start with `corrections_`."""

from django.urls import reverse

from referrals.correctable import correction_rows
from referrals.models import Referral, ReferralEvent
from referrals.permissions import Action, can


def corrections_panel_context(request, referral: Referral, events: list[ReferralEvent]) -> dict:
    """`events` is the chronology the triage panel has read: the corrections are read
    only when it holds one, so that the page costs no query more without them."""
    if not can(request.user, Action.TRIAGE, referral):
        return {}
    corrected = any(event.kind == ReferralEvent.Kind.CORRECTED for event in events)
    return {
        "corrections_rows": correction_rows(referral) if corrected else [],
        "corrections_contact_url": reverse("referral_correct_contact", args=[referral.reference]),
        "corrections_decision_url": reverse("referral_correct_decision", args=[referral.reference])
        if referral.contact_outcome
        else "",
    }
