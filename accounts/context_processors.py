from django.conf import settings
from django.urls import reverse

from accounts.models import Role

# (label, url name, roles that see it): one navigation, filtered by role.
NAVIGATION = [
    ("New referral", "referral_create", {Role.PRACTITIONER}),
    ("My referrals", "referral_mine", {Role.PRACTITIONER}),
    ("Triage queue", "triage_queue", {Role.TRIAGE}),
    ("My work", "triage_mine", {Role.TRIAGE}),
    ("Reports", "report_list", {Role.MANAGER}),
    ("Catalogue", "catalogue_list", {Role.MANAGER, Role.ADMINISTRATOR}),
    ("Users", "user_list", {Role.ADMINISTRATOR}),
    ("Audit trail", "audit_search", {Role.ADMINISTRATOR}),
    ("Your account", "account_security", set(Role)),
    ("Failed messages", "notification_failed_list", {Role.ADMINISTRATOR}),
]


def portal(request) -> dict:
    context = {
        "PORTAL_NAME": settings.PORTAL_NAME,
        # For the idle-timeout warning (static/js/session-timeout.js).
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_SECONDS,
        "SESSION_WARNING_SECONDS": settings.SESSION_WARNING_SECONDS,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items = []
        for label, url_name, roles in NAVIGATION:
            if any(user.has_role(role) for role in roles):
                url = reverse(url_name)
                items.append({"label": label, "url": url, "active": request.path == url})
        context["nav_items"] = items
    return context
