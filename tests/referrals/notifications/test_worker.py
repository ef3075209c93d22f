"""Notifications through the real Redis broker and a real worker process, into a local
SMTP server: delivered at once, never lost when the broker is down, once when the worker
dies mid-send, and failed visibly (after backoff) when the mail server refuses."""

import re
import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from referrals.models import AuditEvent, Notification, Referral
from referrals.tasks import notification_relay
from tests.auth import sign_in
from tests.celery_worker import WorkerProcess, publishing_to
from tests.factories import submitted_referral
from tests.factories.notifications import (
    RedisServer,
    broker_at,
    leaks,
    sentinel_referral,
    wait_until,
)
from tests.referral_journey import complete_all_sections, start_draft
from tests.services import require_broker, require_postgres

pytestmark = pytest.mark.broker
INTAKE = settings.INTAKE_MAILBOXES[0]
# Small numbers so the failure path finishes in seconds: 3 attempts, backoff from 1 s.
SMTP_WORKER_SETTINGS = "tests.settings_smtp_worker"
FAST_RETRIES = {"NOTIFICATION_MAX_ATTEMPTS": "3", "NOTIFICATION_RETRY_BACKOFF": "1"}


@pytest.fixture(autouse=True)
def _committed_db(django_db_serialized_rollback, transactional_db):
    """Committed rows that the worker's own connection sees; the migrations' data (role
    groups, catalogue) is restored before each test."""
    require_postgres()
    require_broker()


@pytest.fixture
def worker_factory(sink):
    """Start workers that send to the sink; each is stopped at the end of the test."""
    started = []

    def start(queue=None, **env) -> WorkerProcess:
        env = {"EMAIL_URL": sink.url, "DJANGO_SETTINGS_MODULE": SMTP_WORKER_SETTINGS, **env}
        worker = WorkerProcess(queue=queue, extra_env=env).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def rows_for(referral):
    return Notification.objects.filter(referral=referral).order_by("pk")


def all_sent(referral) -> bool:
    return all(row.state == Notification.State.SENT for row in rows_for(referral))


def test_a_submitted_referral_reaches_the_intake_mailbox_once_within_seconds(sink, worker_factory):
    worker = worker_factory()
    with publishing_to(worker.queue):
        referral = sentinel_referral()
        sink.wait_for(lambda: sink.accepted_for(INTAKE), timeout=10, what="intake message")
        wait_until(lambda: all_sent(referral), timeout=10, what="every row sent")
    intake = sink.accepted_for(INTAKE)
    assert len(intake) == 1
    assert intake[0].subject == f"New county lines referral {referral.reference}"
    assert len(sink.accepted_for(referral.author.email)) == 1
    assert len(sink.accepted) == 2
    assert [leaks(m.text()) for m in sink.accepted] == [[], []]
    assert f"notification {rows_for(referral)[0].pk} sent" in worker.log()
    assert leaks(worker.log()) == []


def test_an_urgent_referral_says_urgent_in_the_subject(sink, worker_factory):
    worker = worker_factory()
    with publishing_to(worker.queue):
        referral = submitted_referral(immediate_danger="yes", is_urgent=True)
        sink.wait_for(lambda: sink.accepted_for(INTAKE), timeout=10, what="intake message")
    assert sink.accepted_for(INTAKE)[0].subject.startswith("URGENT: ")
    assert referral.reference in sink.accepted_for(INTAKE)[0].subject


def test_with_redis_stopped_submission_succeeds_promptly_and_the_relay_delivers_once_later(
    sink, worker_factory, client, practitioner
):
    redis_server = RedisServer().start()
    try:
        worker = worker_factory(CELERY_BROKER_URL=redis_server.url)
        with broker_at(redis_server.url), publishing_to(worker.queue):
            sign_in(client, practitioner)
            draft = start_draft(client)
            complete_all_sections(client, draft)
            redis_server.stop()
            started = time.monotonic()
            response = client.post(reverse("referral_check", args=[draft.public_id]))
            took = time.monotonic() - started
            assert response.status_code == 302
            # Generous: a hanging publish would take the socket timeouts many times over.
            assert took < 10
            referral = Referral.objects.get(pk=draft.pk)
            rows = list(rows_for(referral))
            assert {row.state for row in rows} == {Notification.State.PENDING}
            assert {row.published_at for row in rows} == {None}

            redis_server.start()
            wait_until(lambda: all_sent(referral), timeout=60, what="relayed delivery", every=relay)
            for _ in range(3):  # later relays find nothing left to publish
                assert notification_relay() == 0
    finally:
        redis_server.stop()
    assert len(sink.accepted_for(INTAKE)) == 1
    assert len(sink.accepted_for(practitioner.email)) == 1
    assert len(sink.accepted) == 2


def relay():
    notification_relay()


def test_a_worker_killed_while_sending_leaves_the_message_to_be_delivered_exactly_once(
    sink, worker_factory
):
    # A short claim so that the relay takes over the dead worker's row within the test.
    fast_claims = {"NOTIFICATION_CLAIM_SECONDS": "2"}
    first = worker_factory(**fast_claims)
    sink.hold_seconds = 30  # the server takes its time to answer DATA
    with publishing_to(first.queue):
        referral = submitted_referral()
        sink.wait_for(lambda: sink.seen, timeout=10, what="a message in transmission")
        first.kill()
        sink.wait_for(lambda: sink.abandoned, timeout=10, what="the dead client's copy dropped")
        killed_row = Notification.objects.get(dedup_key=_key_of(sink.abandoned[0]))
        assert killed_row.state == Notification.State.SENDING

        sink.hold_seconds = 0
        worker_factory(queue=first.queue, **fast_claims)
        with override_settings(NOTIFICATION_CLAIM_SECONDS=2):
            wait_until(
                lambda: all_sent(referral), timeout=60, what="delivery after the kill", every=relay
            )
    delivered = [m for m in sink.accepted if m.message_id == sink.abandoned[0].message_id]
    assert len(delivered) == 1
    assert len(sink.accepted) == 2  # intake and acknowledgement, once each
    killed_row.refresh_from_db()
    assert killed_row.attempts == 2


def test_a_worker_killed_while_closing_after_the_server_accepted_does_not_send_again(
    sink, worker_factory
):
    fast_claims = {"NOTIFICATION_CLAIM_SECONDS": "2"}
    first = worker_factory(**fast_claims)
    sink.stall_quit_seconds = 30  # accepts the message (250 to DATA), then hangs on QUIT
    with publishing_to(first.queue):
        referral = submitted_referral()
        sink.wait_for(lambda: sink.quit_stalled, timeout=10, what="a QUIT left hanging")
        first.kill()
        [accepted] = sink.accepted
        row = Notification.objects.get(dedup_key=_key_of(accepted))
        # Responsibility passed to the server at its 250 (RFC 5321 6.1): recorded then,
        # though the connection never closed cleanly.
        assert row.state == Notification.State.SENT
        assert row.claim_token is None

        sink.stall_quit_seconds = 0
        worker_factory(queue=first.queue, **fast_claims)
        with override_settings(NOTIFICATION_CLAIM_SECONDS=2):
            wait_until(lambda: all_sent(referral), timeout=60, what="the rest", every=relay)
            for _ in range(3):
                relay()
        time.sleep(1)
    ids = [m.message_id for m in sink.accepted]
    assert sorted(ids) == sorted(set(ids)), "a message was sent twice"
    assert len(sink.accepted) == rows_for(referral).count() == 2
    row.refresh_from_db()
    assert row.attempts == 1


def _key_of(received) -> str:
    from referrals.notifications.delivery import message_id

    for row in Notification.objects.all():
        if message_id(row) == received.message_id:
            return row.dedup_key
    raise AssertionError("no row has that Message-ID")


def test_a_refusing_mail_server_is_retried_with_backoff_then_the_row_is_failed_and_shown(
    sink, worker_factory, client, admin
):
    sink.refusing = True
    worker = worker_factory(**FAST_RETRIES)
    with publishing_to(worker.queue):
        referral = submitted_referral()
        wait_until(
            lambda: all(r.state == Notification.State.FAILED for r in rows_for(referral)),
            timeout=60,
            what="every row failed",
        )
        rows = list(rows_for(referral))
        assert [(r.attempts, r.last_error) for r in rows] == [(3, "SMTPRecipientsRefused")] * 2
        assert len([a for a, _ in sink.refused if a == INTAKE]) == 3
        assert sink.accepted == []

        intake_row = next(r for r in rows if r.recipient_email == INTAKE)
        waits = [
            float(w)
            for w in re.findall(
                rf"notification {intake_row.pk} attempt \d failed with "
                r"SMTPRecipientsRefused; retry in ([\d.]+)s",
                worker.log(),
            )
        ]
        assert len(waits) == 2
        assert waits[0] <= waits[1]  # exponential: [0.5, 1] then [1, 2] seconds
        assert f"notification {intake_row.pk} attempt 3 failed" in worker.log()

        sign_in(client, admin)
        page = client.get(reverse("notification_failed_list")).content.decode()
        assert referral.reference in page
        assert "SMTPRecipientsRefused" in page

        sink.refusing = False
        response = client.post(reverse("notification_failed_retry", args=[intake_row.pk]))
        assert response.status_code == 302
        sink.wait_for(lambda: sink.accepted_for(INTAKE), timeout=10, what="the retried message")
    assert AuditEvent.objects.filter(action="notification.retried", referral=referral).count() == 1
    intake_row.refresh_from_db()
    assert intake_row.state == Notification.State.SENT
