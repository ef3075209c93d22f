"""Lockout after repeated failures (django-axes), keyed on username + IP (issue 4)."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals.models import AuditEvent
from tests.factories import TEST_PASSWORD

MESSAGE = "Enter a correct email address and password."


def attempt(client, email, password, ip="192.0.2.10", **extra):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **extra
    )


def fail_five_times(client, email, ip="192.0.2.10", **extra):
    for _ in range(5):
        response = attempt(client, email, "wrong-password-guess", ip, **extra)
        assert MESSAGE in response.content.decode()


def test_five_wrong_passwords_lock_that_username_while_a_colleague_on_the_same_ip_signs_in(
    client, practitioner, colleague
):
    fail_five_times(client, practitioner.email)

    response = attempt(client, practitioner.email, TEST_PASSWORD)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
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
    fail_five_times(client, practitioner.email)
    locked = attempt(client, practitioner.email, TEST_PASSWORD)
    unknown = attempt(client, "nobody@example.org", "whatever-it-is-now")
    assert locked.status_code == unknown.status_code == 200
    assert MESSAGE in locked.content.decode() and MESSAGE in unknown.content.decode()


def test_unknown_usernames_are_locked_too(client, db):
    fail_five_times(client, "nobody@example.org")
    assert AuditEvent.objects.filter(action="auth.locked_out", outcome="denied").count() == 1


def test_case_changes_do_not_get_round_the_lock(client, practitioner):
    fail_five_times(client, practitioner.email)
    assert attempt(client, practitioner.email.upper(), TEST_PASSWORD).status_code == 200


def test_a_successful_sign_in_resets_the_count(client, practitioner):
    for _ in range(4):
        attempt(client, practitioner.email, "wrong-password-guess")
    assert attempt(client, practitioner.email, TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, practitioner.email, "wrong-password-guess")
    assert attempt(client, practitioner.email, TEST_PASSWORD).status_code == 302


def test_behind_one_proxy_the_client_ip_comes_from_x_forwarded_for(client, practitioner, settings):
    settings.NUM_PROXIES = 1
    proxy = "10.0.0.1"
    fail_five_times(client, practitioner.email, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    # Same user from another client behind the same proxy: not locked.
    response = attempt(
        client, practitioner.email, TEST_PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.99"
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="auth.sign_in", outcome="failed").first()
    assert event.ip_address == "203.0.113.5"


def test_a_spoofed_forwarded_for_header_is_ignored_without_a_proxy(client, practitioner, settings):
    settings.NUM_PROXIES = 0
    for n in range(5):
        attempt(
            client,
            practitioner.email,
            "wrong-password-guess",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    assert attempt(client, practitioner.email, TEST_PASSWORD).status_code == 200
