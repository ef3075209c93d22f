"""Triage views: the queue, "my work" and working a referral (issue 5)."""

from django.shortcuts import render

from accounts.decorators import role_required
from accounts.models import Role


@role_required(Role.TRIAGE)
def triage_queue(request):
    return render(request, "referrals/triage_queue.html")


def triage_panel_context(request, referral) -> dict:
    """Extra context for the referral page when the viewer may triage it."""
    return {}
