"""Idle timeout, absolute lifetime, new session keys and ending sessions (issue 4)."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from referrals.models import AuditEvent
from tests.auth import sign_in
from tests.factories import TEST_PASSWORD


def sign_in_with_password(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def test_idle_for_thirty_minutes_signs_the_user_out(client, practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in_with_password(client, practitioner)
        traveller.shift(timedelta(minutes=29))
        assert client.get("/referrals/mine/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get("/referrals/mine/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/referrals/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(actor=practitioner, action="auth.session_expired").exists()


def test_activity_does_not_extend_a_session_past_its_absolute_lifetime(client, practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in_with_password(client, practitioner)
        elapsed = timedelta(0)
        while elapsed < timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS):
            assert client.get("/referrals/mine/").status_code == 200
            traveller.shift(timedelta(minutes=20))
            elapsed += timedelta(minutes=20)
        response = client.get("/referrals/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_in_gives_a_new_session_key(client, practitioner):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    sign_in_with_password(client, practitioner)
    assert client.session.session_key != before


def test_sign_out_everywhere_ends_every_session_of_that_user(client, practitioner):
    laptop, phone = client, client.__class__()
    sign_in_with_password(laptop, practitioner)
    sign_in_with_password(phone, practitioner)
    response = laptop.post(reverse("sign_out_everywhere"))
    assert response["Location"] == reverse("login")
    assert phone.get("/referrals/mine/").status_code == 302
    assert laptop.get("/referrals/mine/").status_code == 302
    assert AuditEvent.objects.filter(actor=practitioner, action="user.sessions_ended").exists()


def test_deactivating_a_user_ends_their_sessions_at_once(client, practitioner, admin):
    sign_in_with_password(client, practitioner)
    administrator = client.__class__()
    sign_in(administrator, admin)
    administrator.post(reverse("user_deactivate", args=[practitioner.pk]))
    assert client.get("/referrals/mine/").status_code == 302
    assert sign_in_with_password_fails(client.__class__(), practitioner)


def sign_in_with_password_fails(client, user) -> bool:
    response = client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    return response.status_code == 200


def test_signed_in_pages_carry_the_idle_warning_without_inline_script(client, practitioner):
    sign_in(client, practitioner)
    html = client.get("/referrals/mine/").content.decode()
    assert 'id="session-timeout"' in html
    assert f'data-idle-seconds="{settings.SESSION_IDLE_SECONDS}"' in html
    assert "js/session-timeout.js" in html


def test_the_sign_in_page_has_no_idle_warning(client, db):
    assert 'id="session-timeout"' not in client.get(reverse("login")).content.decode()


def test_stay_signed_in_restarts_the_idle_clock(client, practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in_with_password(client, practitioner)
        traveller.shift(timedelta(minutes=28))
        response = client.post(reverse("session_keep_alive"), HTTP_X_REQUESTED_WITH="fetch")
        assert response.status_code == 204
        traveller.shift(timedelta(minutes=28))
        assert client.get("/referrals/mine/").status_code == 200


def test_the_idle_warning_script_is_served(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("js/session-timeout.js")
