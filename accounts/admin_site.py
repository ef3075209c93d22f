"""The Django admin signs in through the portal's own sign-in page (lockout, audit and
the second factor apply there), never through a login form of its own."""

from urllib.parse import urlencode

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.redirects import safe_next_url


def _portal_sign_in(request, extra_context=None):
    next_url = safe_next_url(request, reverse("admin:index"))
    if request.user.is_authenticated and not request.user.is_staff:
        # Signed in but not allowed in the admin: nothing to see here.
        raise Http404
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


def protect_admin_login() -> None:
    admin.site.login = _portal_sign_in
    _hide_second_factor_secrets()


def _hide_second_factor_secrets() -> None:
    """django-otp's admin shows each device's secret (as a QR code) and backup codes to
    any administrator: nobody but the device's owner may see them."""
    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
