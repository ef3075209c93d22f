"""The referral page: the referral as its viewer may see it, with the panels of the
journeys that work it (triage, exports) and who has viewed or exported it."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from referrals import permissions
from referrals.addenda.panel import addenda_panel_context
from referrals.answers import answer_rows, check_answers_rows, load_details, people_rows
from referrals.areas.panel import areas_panel_context
from referrals.attachments.panel import attachments_panel_context
from referrals.corrections.panel import corrections_panel_context
from referrals.exports.panel import export_panel_context
from referrals.fragments import render_fragment, when
from referrals.handoffs.panel import handoffs_panel_context
from referrals.models import AuditEvent, Referral, Status
from referrals.partners.panel import partners_panel_context
from referrals.people.panel import people_panel_context
from referrals.permissions import Action, can_see_access_log
from referrals.triage.panel import triage_panel_context


def referral_page_context(request, referral: Referral) -> dict:
    load_details(referral)
    user = request.user
    is_triage = permissions.can(user, Action.TRIAGE, referral)
    context = {
        "referral": referral,
        "sections": check_answers_rows(referral),
        "people": people_rows(referral),
        "answers": answer_rows(referral),
        "is_author": referral.author_id == user.pk,
        "show_outcome": referral.status in (Status.DECIDED, Status.CLOSED),
        "received": timezone.localtime(referral.submitted_at) if referral.submitted_at else None,
        "referred_by": ", ".join(
            part for part in (referral.referrer_name, referral.referrer_organisation) if part
        ),
    }
    # Each panel's context is merged in and also kept under its own name, which the
    # page uses to decide whether to show the panel. The access log's panel is kept as
    # "access_log_panel": "access_log" is its list of entries, which the panel loops over.
    triage = triage_panel_context(request, referral) if is_triage else {}
    export = export_panel_context(request, referral)
    access_log = access_log_context(request, referral)
    addenda = addenda_panel_context(request, referral, triage.get("triage_events"))
    context.update(
        {
            **triage,
            **export,
            **access_log,
            **addenda,
            "addenda": addenda,
            "triage": triage,
            "export": export,
            "access_log_panel": access_log,
        }
    )
    # Issue 18's panels (triage only): known children and other areas; corrections.
    areas = areas_panel_context(request, referral) if is_triage else {}
    events = triage.get("triage_events", [])
    corrections = corrections_panel_context(request, referral, events) if is_triage else {}
    context.update({**areas, **corrections, "areas": areas, "corrections": corrections})
    # h19b: partner information requests and the information-sharing log.
    partners = partners_panel_context(request, referral, events if is_triage else None)
    context.update({**partners, "partners": partners})
    # h19c: hand-offs to receiving teams (triage only).
    handoffs = handoffs_panel_context(request, referral, events) if is_triage else {}
    context.update({**handoffs, "handoffs": handoffs})
    # Issue 20 (h20b): the person record and the network (triage only).
    people = people_panel_context(request, referral) if is_triage else {}
    context.update({**people, "people_panel": people})
    attachments = attachments_panel_context(request, referral)  # h21a
    context.update({**attachments, "attachments": attachments})
    return context


# --- Who has viewed or exported this referral (built from the audit trail)

# Audit actions that count as reading the referral or taking a copy of it.
ACCESS_QUERY = (
    Q(action="referral.viewed")
    | Q(action="referral.links_viewed")
    | Q(action__startswith="export.")
    | Q(action__contains="download")
)
ACCESS_LOG_LIMIT = 100


def access_log_context(request, referral: Referral) -> dict:
    """Context for templates/referrals/detail/access_log.html; empty (panel not
    shown) for anyone but triage staff and administrators."""
    if not can_see_access_log(request.user):
        return {}
    events = (
        AuditEvent.objects.filter(
            ACCESS_QUERY, referral=referral, outcome=AuditEvent.Outcome.ALLOWED
        )
        .order_by("-at", "-id")
        .only("at", "actor_email", "action")[: ACCESS_LOG_LIMIT + 1]
    )
    zone = timezone.get_current_timezone()
    entries = [
        {
            "at": e.at,
            "when": when(e.at, zone),
            "who": e.actor_email or "Unknown",
            "what": action_label(e.action),
        }
        for e in events
    ]
    shown = entries[:ACCESS_LOG_LIMIT]
    return {
        "access_log": shown,
        "access_log_rows": render_fragment(
            "referrals/detail/access_log_rows.jinja", {"entries": shown}
        ),
        "access_log_truncated": len(entries) > ACCESS_LOG_LIMIT,
        "access_log_search_url": _search_url(request, referral),
    }


def _search_url(request, referral: Referral) -> str:
    if not request.user.has_role(Role.ADMINISTRATOR):
        return ""
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
