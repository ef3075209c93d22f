"""Lockout after repeated failures (django-axes), keyed on username + IP (issue 4)."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals.models import AuditEvent
from tests.factories import TEST_PASSWORD

MESSAGE = "Enter a correct email address and password."
PAUSED = "Signing in with this email address is paused for 15 minutes"


def attempt(client, email, password, ip="192.0.2.10", **extra):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **extra
    )


def fail_five_times(client, email, ip="192.0.2.10", **extra):
    for n in range(5):
        response = attempt(client, email, "wrong-password-guess", ip, **extra)
        assert (PAUSED if n == 4 else MESSAGE) in response.content.decode()


def test_five_wrong_passwords_lock_that_username_while_a_colleague_on_the_same_ip_signs_in(
    client, practitioner, colleague
):
    fail_five_times(client, practitioner.email)

    response = attempt(client, practitioner.email, TEST_PASSWORD)
    assert response.status_code == 200
    assert PAUSED in response.content.decode()
    assert "_auth_user_id" not in client.session

    other = client.__class__()
    assert attempt(other, colleague.email, TEST_PASSWORD).status_code == 302


def test_the_same_username_from_another_ip_is_not_locked(client, practitioner):
    fail_five_times(client, practitioner.email, ip="192.0.2.10")
    assert attempt(client, practitioner.email, TEST_PASSWORD, ip="198.51.100.7").status_code == 302


def test_the_lock_lasts_for_the_cool_off(client, practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail_five_times(client, practitioner.email)
        traveller.shift(timedelta(minutes=14))
        assert attempt(client, practitioner.email, TEST_PASSWORD).status_code == 200


def test_the_lock_ends_after_the_cool_off(client, practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail_five_times(client, practitioner.email)
        traveller.shift(timedelta(minutes=16))
        assert attempt(client, practitioner.email, TEST_PASSWORD).status_code == 302


def test_a_locked_username_looks_the_same_as_an_unknown_one(client, practitioner):
    """The pause is said for any address, known or not, so the page reveals nothing
    about which accounts exist (docs/security.md, "Same response for unknown and
    known usernames")."""
    fail_five_times(client, practitioner.email)
    fail_five_times(client, "nobody@example.org")
    locked = attempt(client, practitioner.email, TEST_PASSWORD)
    unknown = attempt(client, "nobody@example.org", "whatever-it-is-now")
    assert locked.status_code == unknown.status_code == 200
    assert PAUSED in locked.content.decode() and PAUSED in unknown.content.decode()
    assert MESSAGE not in locked.content.decode() + unknown.content.decode()
    normalise = lambda r, email: r.content.decode().replace(email, "EMAIL")  # noqa: E731
    strip = lambda text: "\n".join(  # noqa: E731
        line for line in text.splitlines() if "csrf" not in line and "nonce" not in line
    )
    assert strip(normalise(locked, practitioner.email)) == strip(
        normalise(unknown, "nobody@example.org")
    )


def test_after_five_failures_the_right_password_is_told_sign_in_is_paused(client, practitioner):
    fail_five_times(client, practitioner.email)
    page = attempt(client, practitioner.email, TEST_PASSWORD).content.decode()
    assert PAUSED in page
    assert MESSAGE not in page


def test_the_pause_the_page_states_is_the_cool_off_from_settings(client, practitioner, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    for _ in range(5):
        attempt(client, practitioner.email, "wrong-password-guess")
    page = attempt(client, practitioner.email, TEST_PASSWORD).content.decode()
    assert "Signing in with this email address is paused for 30 minutes" in page


def test_four_failures_still_say_only_that_the_details_are_wrong(client, practitioner):
    for _ in range(4):
        page = attempt(client, practitioner.email, "wrong-password-guess").content.decode()
        assert MESSAGE in page and PAUSED not in page


def test_the_pause_keeps_the_audit_trail_as_it_was(client, practitioner):
    """Each failed sign-in, a denied lock-out event on reaching the limit, and for
    each attempt made while locked both again (axes records the lock first)."""
    fail_five_times(client, practitioner.email)
    attempt(client, practitioner.email, TEST_PASSWORD)
    events = AuditEvent.objects.filter(actor=practitioner).order_by("id")
    failed, locked = ("auth.sign_in", "failed"), ("auth.locked_out", "denied")
    assert [(e.action, e.outcome) for e in events] == [failed] * 4 + [locked, failed] * 2
    assert {e.detail["username"] for e in events} == {practitioner.email}
