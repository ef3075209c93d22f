"""PDF exports and monthly summaries (issue 7)."""

from django.shortcuts import render

from accounts.decorators import role_required
from accounts.models import Role


@role_required(Role.MANAGER)
def report_list(request):
    return render(request, "referrals/report_list.html")


def export_panel_context(request, referral) -> dict:
    """Extra context for the referral page's export panel."""
    return {}
