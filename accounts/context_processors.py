from django.conf import settings
from django.urls import reverse

from accounts.models import Role

# (label, url name, roles that see it): one navigation, filtered by role.
NAVIGATION = [
    ("My referrals", "referral_mine", {Role.PRACTITIONER}),
    ("Triage queue", "triage_queue", {Role.TRIAGE}),
    ("Reports", "report_list", {Role.MANAGER}),
]


def portal(request) -> dict:
    context = {"PORTAL_NAME": settings.PORTAL_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items = []
        for label, url_name, roles in NAVIGATION:
            if any(user.has_role(role) for role in roles):
                url = reverse(url_name)
                items.append({"label": label, "url": url, "active": request.path == url})
        context["nav_items"] = items
    return context
