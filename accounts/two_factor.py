"""Who needs a second factor, and the devices that provide it (django-otp)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.models import Role, User

SECOND_FACTOR_ROLES = frozenset({Role.TRIAGE, Role.MANAGER, Role.ADMINISTRATOR, Role.PARTNER})


def needs_second_factor(user: User) -> bool:
    """Triage, managers and administrators (and anyone who may use the Django admin)
    sign in with a password and a code."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or any(user.has_role(r) for r in SECOND_FACTOR_ROLES)


def second_factor_enforced(user: User) -> bool:
    return settings.REQUIRE_2FA and needs_second_factor(user)


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


PENDING_KEY_SESSION = "otp_setup_key"


def pending_totp_device(request) -> TOTPDevice:
    """The authenticator-app device being enrolled. Unsaved: its secret waits in the
    session until the user proves the app works, so looking at the page changes nothing."""
    key = request.session.get(PENDING_KEY_SESSION)
    if not key:
        key = request.session[PENDING_KEY_SESSION] = default_key()
    return TOTPDevice(user=request.user, key=key, name="Authenticator app", confirmed=True)


def pending_token_verify(device: TOTPDevice, token: str) -> bool:
    """Whether `token` is what the app shows now (one step either way for clock drift).

    On success the device remembers the time step it matched (`last_t`), exactly as
    django-otp's own verify_token does, so that once the device is saved the same
    code cannot be accepted again: a TOTP code is accepted once, ever (RFC 6238
    section 5.2, OWASP ASVS 5.0 6.5.1)."""
    if not token.isdigit():
        return False
    check = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not check.verify(int(token), tolerance=device.tolerance, min_t=device.last_t + 1):
        return False
    device.last_t = check.t()
    device.drift = check.drift
    return True


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code in a data: URI (the CSP allows
    data: images; no inline script or style is needed)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, grouped in fours, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def backup_codes_replace(*, user: User) -> list[str]:
    """New one-time backup codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Backup codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.OTP_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def totp_device_confirm(*, request, device: TOTPDevice) -> None:
    """Make `device` the user's one authenticator app (an earlier one stops working)."""
    TOTPDevice.objects.filter(user=device.user).delete()
    device.save()
    request.session.pop(PENDING_KEY_SESSION, None)
