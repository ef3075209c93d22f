""" "Who has viewed or exported this referral": a panel on the referral page for
triage staff and administrators, built from the audit trail."""

from django.db.models import Q

from accounts.models import Role
from referrals.models import AuditEvent, Referral

# Audit actions that count as reading the referral or taking a copy of it.
ACCESS_QUERY = (
    Q(action="referral.viewed")
    | Q(action="referral.links_viewed")
    | Q(action__startswith="export.")
    | Q(action__contains="download")
)
ACCESS_LOG_LIMIT = 100


def may_see_access_log(user) -> bool:
    return user.is_authenticated and (
        user.has_role(Role.TRIAGE) or user.has_role(Role.ADMINISTRATOR)
    )


def access_log_context(request, referral: Referral) -> dict:
    """Context for templates/referrals/includes/access_log.html; empty (panel not
    shown) for anyone but triage staff and administrators."""
    if not may_see_access_log(request.user):
        return {}
    events = (
        AuditEvent.objects.filter(
            ACCESS_QUERY, referral=referral, outcome=AuditEvent.Outcome.ALLOWED
        )
        .order_by("-at", "-id")
        .only("at", "actor_email", "action")[: ACCESS_LOG_LIMIT + 1]
    )
    entries = [
        {"at": e.at, "who": e.actor_email or "Unknown", "what": action_label(e.action)}
        for e in events
    ]
    return {
        "access_log": entries[:ACCESS_LOG_LIMIT],
        "access_log_truncated": len(entries) > ACCESS_LOG_LIMIT,
        "access_log_search_url": _search_url(request, referral),
    }


def _search_url(request, referral: Referral) -> str:
    if not request.user.has_role(Role.ADMINISTRATOR):
        return ""
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{reverse('audit_search')}?{urlencode({'reference': referral.reference})}"


ACTION_LABELS = {
    "referral.viewed": "Viewed",
    "referral.links_viewed": "Viewed linked referrals",
    "export.requested": "Asked for a PDF",
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    return "Downloaded" if "download" in action else "Exported"
