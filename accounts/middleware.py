"""Request-wide security: request ids, session lifetimes, the second factor and
private caching. Order in settings.MIDDLEWARE matters; see the comments there."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from accounts.two_factor import has_confirmed_device, second_factor_enforced
from referrals.audit import audit_record, request_id

SIGNED_IN_AT = "_signed_in_at"
LAST_ACTIVITY = "_last_activity"
# Writing the session on every request is wasteful (an UPDATE on a GET). The idle clock
# is refreshed at most once a minute: the session can end up to a minute *earlier* than
# SESSION_IDLE_SECONDS after the last request, never later, and the warning in
# static/js/session-timeout.js (SESSION_WARNING_SECONDS, two minutes) still comes first.
ACTIVITY_RESOLUTION_SECONDS = 60

# Pages a signed-in user who still owes a second factor may reach.
SECOND_FACTOR_OPEN_URL_NAMES = frozenset(
    {"otp_setup", "otp_verify", "logout", "healthz", "accessibility_statement"}
)


class RequestIdMiddleware:
    """Give every request an id (the proxy's X-Request-ID or a new one) that the audit
    trail records and the response carries, so a report can be matched to the trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id(request)
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


def session_touched(request) -> None:
    """The user is active now (the "stay signed in" button)."""
    request.session[LAST_ACTIVITY] = int(time.time())


def session_started(request) -> None:
    """Called at sign-in: the absolute and idle clocks start now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVITY] = now


class SessionTimeoutMiddleware:
    """End a session after SESSION_IDLE_SECONDS without a request, and after
    SESSION_ABSOLUTE_SECONDS whatever happens. Enforced here on the server; the
    warning in static/js/session-timeout.js is only a courtesy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                return self._sign_out(request, expired)
        return self.get_response(request)

    def _expired(self, request) -> str:
        now = int(time.time())
        session = request.session
        started = session.setdefault(SIGNED_IN_AT, now)
        last = session.setdefault(LAST_ACTIVITY, now)
        if now - started >= settings.SESSION_ABSOLUTE_SECONDS:
            return "absolute"
        if now - last >= settings.SESSION_IDLE_SECONDS:
            return "idle"
        if now - last >= ACTIVITY_RESOLUTION_SECONDS:
            session[LAST_ACTIVITY] = now
        return ""

    @staticmethod
    def _sign_out(request, reason: str):
        audit_record(action="auth.session_expired", request=request, detail={"reason": reason})
        logout(request)
        messages.info(request, "You were signed out to protect the information in the portal.")
        query = {"next": request.get_full_path()} if request.method == "GET" else {}
        return redirect(f"{reverse('login')}?{urlencode(query)}" if query else reverse("login"))


class TwoFactorMiddleware:
    """A password alone reaches only the second-factor step: every other view (the
    Django admin and file downloads included) sends such a user there first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in SECOND_FACTOR_OPEN_URL_NAMES:
            return None
        if not second_factor_enforced(user):
            return None
        step = "otp_verify" if has_confirmed_device(user) else "otp_setup"
        next_url = request.get_full_path() if request.method == "GET" else ""
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return redirect(reverse(step) + query)


class NoStoreMiddleware:
    """Pages the portal renders may carry personal data: no browser or proxy may keep
    a copy. (Static files are answered earlier, by WhiteNoise, and stay cacheable.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, private"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
