"""The outbox rows an event writes, what each email says, and the delivery rules that
make a message go once: claims, the relay's choice of rows, retries and failure."""

import datetime as dt
import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from referrals.models import Notification
from referrals.notifications import delivery
from referrals.notifications.outbox import (
    notifications_for_relay,
    outbox_referral_submitted,
)
from tests.factories import submitted_referral
from tests.factories.triage import decided_referral

pytestmark = pytest.mark.django_db
INTAKE = settings.INTAKE_MAILBOXES[0]
State = Notification.State


@pytest.fixture
def sent_now(django_capture_on_commit_callbacks):
    """Run what is queued after commit (tasks run in-process in these tests)."""

    def run(make):
        with django_capture_on_commit_callbacks(execute=True):
            return make()

    return run


def test_a_submission_emails_each_intake_mailbox_and_acknowledges_the_referrer(sent_now):
    referral = sent_now(submitted_referral)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {*settings.INTAKE_MAILBOXES, referral.author.email}
    assert by_recipient[INTAKE].subject == f"New county lines referral {referral.reference}"
    assert f"/referrals/{referral.reference}/" in by_recipient[INTAKE].body
    assert by_recipient[INTAKE].body.count(settings.SITE_URL) == 1
    ack = by_recipient[referral.author.email]
    assert ack.subject == f"Referral {referral.reference} received"


def test_an_urgent_referral_has_urgent_in_the_subject(sent_now):
    referral = sent_now(lambda: submitted_referral(is_urgent=True, immediate_danger="yes"))
    intake = next(m for m in mail.outbox if m.to == [INTAKE])
    assert intake.subject == f"URGENT: New county lines referral {referral.reference}"
    assert "URGENT" in intake.body


def test_triage_users_who_opted_in_are_emailed_and_every_triage_user_sees_it_in_the_portal(
    sent_now, triager, other_triager
):
    triager.notify_new_referrals = True
    triager.save()
    referral = sent_now(submitted_referral)
    rows = Notification.objects.filter(referral=referral, kind="new_referral")
    assert rows.get(recipient=triager).state == State.SENT
    assert rows.get(recipient=other_triager).state == State.PORTAL
    assert [m.to for m in mail.outbox].count([triager.email]) == 1
    assert [other_triager.email] not in [m.to for m in mail.outbox]


def test_a_decision_prompts_the_referrer_to_sign_in_without_saying_what_was_decided(
    sent_now, triager
):
    referral = sent_now(lambda: decided_referral(triager, message="Sentinelmessage"))
    prompt = next(m for m in mail.outbox if m.subject.startswith("There is an update"))
    assert prompt.to == [referral.author.email]
    assert prompt.subject == f"There is an update on referral {referral.reference}"
    assert f"There is an update on referral {referral.reference}; sign in to see it" in (
        prompt.body
    )
    assert "Sentinelmessage" not in prompt.body
    assert "section 47" not in prompt.body.lower()


def test_every_attempt_at_a_row_carries_the_same_message_id(sent_now):
    referral = sent_now(submitted_referral)
    row = Notification.objects.get(referral=referral, recipient_email=INTAKE)
    sent = next(m for m in mail.outbox if m.to == [INTAKE]).message()["Message-ID"]
    assert delivery.render_email(row).message()["Message-ID"] == sent
    other = Notification.objects.get(referral=referral, kind="acknowledgement")
    assert delivery.message_id(other) != sent


def test_a_redelivered_task_for_a_sent_row_sends_nothing(sent_now):
    referral = sent_now(submitted_referral)
    row = Notification.objects.get(referral=referral, recipient_email=INTAKE)
    before = len(mail.outbox)
    delivery.notification_deliver(notification_id=row.pk)
    delivery.notification_deliver(notification_id=row.pk)
    assert len(mail.outbox) == before
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.SENT, 1)


def test_a_row_claimed_by_a_live_attempt_is_left_to_it():
    referral = submitted_referral()
    row = Notification.objects.get(referral=referral, recipient_email=INTAKE)
    Notification.objects.filter(pk=row.pk).update(state=State.SENDING, claimed_at=timezone.now())
    delivery.notification_deliver(notification_id=row.pk)
    assert mail.outbox == []


def test_a_stale_claim_from_a_dead_worker_is_taken_over_and_sent_once():
    referral = submitted_referral()
    row = Notification.objects.get(referral=referral, recipient_email=INTAKE)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS + 1)
    Notification.objects.filter(pk=row.pk).update(
        state=State.SENDING, claimed_at=long_ago, attempts=1
    )
    delivery.notification_deliver(notification_id=row.pk)
    delivery.notification_deliver(notification_id=row.pk)
    assert [m.to for m in mail.outbox] == [[INTAKE]]
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.SENT, 2)


def test_a_row_whose_worker_died_on_its_last_attempt_is_failed_not_tried_again():
    referral = submitted_referral()
    row = Notification.objects.get(referral=referral, recipient_email=INTAKE)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS + 1)
    Notification.objects.filter(pk=row.pk).update(
        state=State.SENDING, claimed_at=long_ago, attempts=settings.NOTIFICATION_MAX_ATTEMPTS
    )
    delivery.notification_deliver(notification_id=row.pk)
    assert mail.outbox == []
    row.refresh_from_db()
    assert (row.state, row.last_error) == (State.FAILED, "WorkerLost")


def _age(row, **fields):
    Notification.objects.filter(pk=row.pk).update(**fields)


def test_the_relay_picks_rows_never_published_lost_or_abandoned_mid_send_and_nothing_else():
    now = timezone.now()
    second = dt.timedelta(seconds=1)
    referral = submitted_referral()
    intake, ack = Notification.objects.filter(referral=referral).order_by("pk")
    others = [submitted_referral() for _ in range(4)]
    rows = [Notification.objects.filter(referral=r).first() for r in others]
    relay_after = settings.NOTIFICATION_RELAY_AFTER_SECONDS * second
    republish_after = settings.NOTIFICATION_REPUBLISH_AFTER_SECONDS * second
    claim = settings.NOTIFICATION_CLAIM_SECONDS * second
    _age(intake, created_at=now - relay_after - second)  # publish lost
    _age(ack, created_at=now - second)  # too new: its own publish may still come
    _age(rows[0], created_at=now - republish_after * 2, published_at=now - republish_after - second)
    _age(  # waiting for its backoff: not lost
        rows[1],
        created_at=now - republish_after * 2,
        published_at=now - republish_after * 2,
        retry_at=now + second,
    )
    _age(rows[2], state=State.SENDING, claimed_at=now - claim - second)  # dead worker
    _age(rows[3], state=State.SENDING, claimed_at=now - second)  # live attempt
    assert sorted(notifications_for_relay(now=now)) == sorted([intake.pk, rows[0].pk, rows[2].pk])


def test_retries_back_off_exponentially_with_jitter_up_to_a_ceiling(settings):
    settings.NOTIFICATION_RETRY_BACKOFF, settings.NOTIFICATION_RETRY_BACKOFF_MAX = 30, 1800
    for attempt, ceiling in [(1, 30), (2, 60), (3, 120), (4, 240), (10, 1800)]:
        waits = {delivery.retry_countdown(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= wait <= ceiling for wait in waits)
        assert len(waits) > 1  # jitter: failed rows do not retry in step


class RefusingBackend(BaseEmailBackend):
    """A mail backend whose server refuses the recipient, as smtplib reports it."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (451, b"busy") for m in messages})


def test_after_the_last_attempt_the_row_is_failed_with_the_error_class_only(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    referral = submitted_referral()
    row = Notification.objects.get(referral=referral, recipient_email=INTAKE)
    with pytest.raises(delivery.RetryLater) as later:
        delivery.notification_deliver(notification_id=row.pk)
    assert later.value.countdown > 0
    row.refresh_from_db()
    assert (row.state, row.attempts, row.retry_at is not None) == (State.PENDING, 1, True)
    delivery.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.FAILED, 2, "SMTPRecipientsRefused")
    assert INTAKE not in row.last_error


def test_redis_redelivers_only_after_every_countdown_and_time_limit_has_passed():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    limits = [
        settings.CELERY_TASK_TIME_LIMIT,
        settings.CELERY_TASK_SOFT_TIME_LIMIT,
        settings.NOTIFICATION_SEND_TIME_LIMIT,
        settings.NOTIFICATION_SEND_SOFT_TIME_LIMIT,
        settings.NOTIFICATION_RETRY_BACKOFF_MAX,
        settings.NOTIFICATION_CLAIM_SECONDS,
        settings.NOTIFICATION_REPUBLISH_AFTER_SECONDS,
        getattr(settings, "EXPORT_RENDER_TIME_LIMIT", 0),
    ]
    assert all(visibility > limit for limit in limits)


def test_a_claim_outlives_any_live_send_attempt():
    """A claim older than NOTIFICATION_CLAIM_SECONDS must belong to a dead worker."""
    assert settings.NOTIFICATION_CLAIM_SECONDS > settings.NOTIFICATION_SEND_TIME_LIMIT
    assert settings.NOTIFICATION_SEND_TIME_LIMIT > settings.NOTIFICATION_SEND_SOFT_TIME_LIMIT
    assert settings.NOTIFICATION_SEND_SOFT_TIME_LIMIT > settings.EMAIL_TIMEOUT


def test_beat_runs_the_relay_every_few_seconds_and_the_overdue_check_and_digest():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["referrals.notification_relay"] <= 10
    assert schedule["referrals.notifications_overdue"] <= 600
    assert "referrals.notifications_digest" in schedule


def test_the_same_event_never_makes_a_second_set_of_rows(sent_now):
    referral = sent_now(submitted_referral)
    sent = len(mail.outbox)
    assert sent_now(lambda: outbox_referral_submitted(referral)) == []
    assert Notification.objects.filter(referral=referral).count() == 2
    assert len(mail.outbox) == sent
