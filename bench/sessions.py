"""Signed-in sessions for load clients, made directly in the session store as the
sign-in and second-factor steps would leave them (no password or code is typed)."""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils.crypto import get_random_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import LAST_ACTIVITY, SIGNED_IN_AT
from accounts.two_factor import needs_second_factor


class Browser:
    """What a signed-in browser sends: the session and CSRF cookies and token."""

    def __init__(self, user):
        self.user = user
        self.session_key = _session_for(user)
        self.csrf = get_random_string(32)  # a CSRF secret: 32 letters and digits
        self.cookie = (
            f"{settings.SESSION_COOKIE_NAME}={self.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf}"
        )

    def headers(self, **extra) -> dict:
        return {"Host": "127.0.0.1", "Cookie": self.cookie, **extra}

    def form_headers(self) -> dict:
        return self.headers(**{"Content-Type": "application/x-www-form-urlencoded"})

    def form_body(self, **fields) -> bytes:
        from urllib.parse import urlencode

        return urlencode({"csrfmiddlewaretoken": self.csrf, **fields}).encode()


def _session_for(user) -> str:
    session = SessionStore()
    now = int(time.time())
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT] = now
    session[LAST_ACTIVITY] = now
    if needs_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name="Bench authenticator", confirmed=True
            )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key
