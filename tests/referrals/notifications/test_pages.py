"""The portal's side: a Triage user's notification list with its unread count, marked
read on opening; the administrators' page of failed messages with its audited retry."""

import pytest
from django.core import mail
from django.urls import reverse

from referrals.models import AuditEvent, Notification
from tests.auth import sign_in
from tests.factories import submitted_referral

pytestmark = pytest.mark.django_db
State = Notification.State


@pytest.fixture
def arrivals(triager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return [submitted_referral(), submitted_referral(is_urgent=True, immediate_danger="yes")]


def mine(user):
    return Notification.objects.filter(recipient=user)


def test_a_triage_user_sees_new_referrals_with_an_unread_count_in_the_list_and_header(
    client, triager, arrivals
):
    sign_in(client, triager)
    page = client.get(reverse("notification_list")).content.decode()
    assert "You have 2 unread notifications." in page
    assert "Notifications (2 unread)" in page
    for referral in arrivals:
        assert referral.reference in page
    assert "Urgent" in page


@pytest.mark.parametrize("persona", ["practitioner", "manager", "admin"])
def test_the_header_shows_an_unread_count_only_to_triage_users(client, request, persona):
    sign_in(client, request.getfixturevalue(persona))
    page = client.get(reverse("account_security")).content.decode()
    assert "unread)" not in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_referral(client, triager, arrivals):
    sign_in(client, triager)
    row = mine(triager).get(referral=arrivals[0])
    response = client.post(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("referral_detail", args=[arrivals[0].reference])
    row.refresh_from_db()
    assert row.read_at is not None
    page = client.get(reverse("notification_list")).content.decode()
    assert "You have 1 unread notification." in page


def test_opening_is_a_post_so_following_a_link_changes_nothing(client, triager, arrivals):
    sign_in(client, triager)
    row = mine(triager).first()
    assert client.get(reverse("notification_open", args=[row.pk])).status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_another_users_notification_cannot_be_opened(client, triager, other_triager, arrivals):
    sign_in(client, other_triager)
    row = mine(triager).first()
    assert client.post(reverse("notification_open", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


@pytest.mark.parametrize("persona", ["practitioner", "manager", "admin"])
def test_only_triage_users_have_a_notification_list(client, request, persona):
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(reverse("notification_list")).status_code == 404


@pytest.fixture
def failed_row():
    referral = submitted_referral()
    row = Notification.objects.filter(referral=referral).first()
    Notification.objects.filter(pk=row.pk).update(
        state=State.FAILED, attempts=6, last_error="SMTPRecipientsRefused"
    )
    return row


def test_administrators_see_failed_messages_with_the_error_class(client, admin, failed_row):
    sign_in(client, admin)
    page = client.get(reverse("notification_failed_list")).content.decode()
    assert failed_row.referral.reference in page
    assert "SMTPRecipientsRefused" in page
    assert "Retry" in page


@pytest.mark.parametrize("persona", ["practitioner", "triager", "manager"])
def test_only_administrators_see_or_retry_failed_messages(client, request, persona, failed_row):
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(reverse("notification_failed_list")).status_code == 404
    assert (
        client.post(reverse("notification_failed_retry", args=[failed_row.pk])).status_code == 404
    )
    failed_row.refresh_from_db()
    assert failed_row.state == State.FAILED


def test_retrying_a_failed_message_sends_it_again_and_is_audited(
    client, admin, failed_row, django_capture_on_commit_callbacks
):
    sign_in(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notification_failed_retry", args=[failed_row.pk]))
    assert response.status_code == 302
    failed_row.refresh_from_db()
    assert (failed_row.state, failed_row.attempts) == (State.SENT, 1)
    assert [m.to for m in mail.outbox] == [[failed_row.recipient_email]]
    event = AuditEvent.objects.get(action="notification.retried")
    assert (event.actor, event.referral) == (admin, failed_row.referral)


def test_retry_answers_404_for_a_message_that_has_not_failed(client, admin, failed_row):
    Notification.objects.filter(pk=failed_row.pk).update(state=State.SENT)
    sign_in(client, admin)
    assert (
        client.post(reverse("notification_failed_retry", args=[failed_row.pk])).status_code == 404
    )


def test_a_triage_user_opts_in_to_new_referral_emails_from_the_list(
    client, triager, django_capture_on_commit_callbacks
):
    sign_in(client, triager)
    assert (
        "Email me as each new referral arrives"
        in client.get(reverse("notification_list")).content.decode()
    )
    response = client.post(
        reverse("notification_preferences"), {"notify_new_referrals": "on", "is_triage_lead": "on"}
    )
    assert response.status_code == 302
    triager.refresh_from_db()
    assert (triager.notify_new_referrals, triager.is_triage_lead) == (True, False)
    with django_capture_on_commit_callbacks(execute=True):
        referral = submitted_referral()
    assert mine(triager).get(referral=referral).state == State.SENT
    assert [triager.email] in [m.to for m in mail.outbox]

    client.post(reverse("notification_preferences"), {})
    triager.refresh_from_db()
    assert triager.notify_new_referrals is False
    assert AuditEvent.objects.filter(action="notification.preferences_changed").count() == 2
