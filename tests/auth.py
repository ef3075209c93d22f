"""Signing test users in the way the portal requires for their role."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import needs_second_factor


def sign_in(client, user):
    """Sign `user` in on the test client, as fully as their role requires: Triage,
    Manager and Administrator (and Django-admin staff) also get a confirmed TOTP device
    and a session verified with it, as after the second-factor step."""
    client.force_login(user)
    if needs_second_factor(user):
        device = totp_device_for(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def totp_device_for(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


def current_totp(device: TOTPDevice) -> str:
    """The code the user's authenticator app would show right now."""
    from django_otp.oath import totp

    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def enrolment_code(client) -> str:
    """The code an app set up from the enrolment page's QR code would show now."""
    from accounts.two_factor import PENDING_KEY_SESSION

    return current_totp(TOTPDevice(key=client.session[PENDING_KEY_SESSION]))
