import functools

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

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
    ("Sharing log", "sharing_log_search", {Role.ADMINISTRATOR}),
    ("Information requests", "partner_queue", {Role.PARTNER}),
    # A receiving team's members (Partner users of its organisation).
    ("Hand-offs", "handoff_list", {Role.PARTNER}),
    ("Your account", "account_security", set(Role)),
    ("Failed messages", "notification_failed_list", {Role.ADMINISTRATOR}),
    # h21s
    ("Subject access", "subject_access_list", {Role.ADMINISTRATOR}),
]


@functools.lru_cache(maxsize=256)
def _url(url_name: str, urlconf, prefix: str) -> str:
    """reverse() of an argument-free URL name, once per process (it cost about 20 us a
    call, once per navigation item on every page). Keyed on the URLconf and script
    prefix, which are what reverse() reads besides the name."""
    return reverse(url_name, urlconf=urlconf)


# The layout's own links and assets (templates/base.html and its includes): the same on
# every page, so looked up once per process rather than with a {% url %} or {% static %}
# per page (about 1 ms of every page; issue 17).
LAYOUT_URLS = {
    "home": "home",
    "notifications": "notification_list",
    "logout": "logout",
    "keep_alive": "session_keep_alive",
    "accessibility": "accessibility_statement",
}
LAYOUT_STATIC = {
    "favicon_ico": "govuk/assets/images/favicon.ico",
    "favicon_svg": "govuk/assets/images/favicon.svg",
    "govuk_css": "govuk/govuk-frontend.min.css",
    "portal_css": "css/portal.css",
    "supported_js": "js/supported.js",
    "init_js": "js/init.mjs",
    "session_timeout_js": "js/session-timeout.js",
}


@functools.lru_cache(maxsize=16)
def _layout(urlconf, prefix: str, static_url: str, static_storage: str) -> dict:
    """Keyed on what reverse() and static() read besides the names."""
    return {
        **{key: _url(name, urlconf, prefix) for key, name in LAYOUT_URLS.items()},
        "static": {key: static(path) for key, path in LAYOUT_STATIC.items()},
    }


def portal(request) -> dict:
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    context = {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "layout": _layout(
            urlconf, prefix, settings.STATIC_URL, settings.STORAGES["staticfiles"]["BACKEND"]
        ),
        # For the idle-timeout warning (static/js/session-timeout.js).
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_SECONDS,
        "SESSION_WARNING_SECONDS": settings.SESSION_WARNING_SECONDS,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items = []
        for label, url_name, roles in NAVIGATION:
            if any(user.has_role(role) for role in roles):
                url = _url(url_name, urlconf, prefix)
                items.append({"label": label, "url": url, "active": request.path == url})
        context["nav_items"] = items
    return context
