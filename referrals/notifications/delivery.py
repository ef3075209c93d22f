"""Sending one outbox row as an email (content-free: a reference and a link).

What "exactly once" means here. An attempt first *claims* the row (state "sending", a
claim token, committed), then talks to the mail server, then marks the row sent. So:
- a redelivered or relayed task for a sent row sends nothing;
- two tasks for the same row never send at the same time (the second sees a live
  claim and leaves it);
- a worker killed before the server accepted the message (no "250" reply to DATA)
  leaves a stale claim; the relay republishes the row after NOTIFICATION_CLAIM_SECONDS
  and the message is sent once, by the next attempt;
- the row is marked sent as soon as the server has accepted the message (250 to DATA,
  RFC 5321 6.1: responsibility passes to the server), before QUIT, so a worker killed
  while the connection is being closed (a server slow to answer QUIT) sends nothing
  again.
SMTP has no way to make "the server accepted it" and "we recorded it" one step: if a
worker dies in the instant after the server's reply and before the row is marked sent,
the next attempt sends the message again. Every attempt for a row therefore carries
the same Message-ID (derived from the row's dedup_key), so that such a copy is
recognisably the same message to the receiving system.
"""

import datetime as dt
import hashlib
import logging
import random
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from referrals import jobs
from referrals.models import Notification

logger = logging.getLogger(__name__)

State = Notification.State


class RetryLater(Exception):
    """The attempt failed and another is due after `countdown` seconds."""

    def __init__(self, countdown: float):
        super().__init__(f"retry in {countdown:.0f}s")
        self.countdown = countdown


def notifications_publish(ids: list[int]) -> list[int]:
    """Hand outbox rows to the broker and return the ids published. A failure is
    logged, not raised: with the broker down this fails fast (settings: producer
    timeouts, no publish retry), the rows stay pending and the relay publishes them."""
    published = []
    for notification_id in ids:
        if not jobs.publish("referrals.notification_send", notification_id):
            break  # the broker is down: do not wait for it once per row
        published.append(notification_id)
    if published:
        Notification.objects.filter(pk__in=published).update(published_at=timezone.now())
    return published


def retry_countdown(attempts: int) -> float:
    """Exponential backoff with jitter: the n-th retry waits between half and all of
    base * 2**(n-1) seconds, capped, so that many failed rows do not retry in step."""
    ceiling = min(
        settings.NOTIFICATION_RETRY_BACKOFF_MAX,
        settings.NOTIFICATION_RETRY_BACKOFF * 2 ** max(attempts - 1, 0),
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not security


def message_id(row: Notification) -> str:
    digest = hashlib.sha256(row.dedup_key.encode()).hexdigest()[:32]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification-{digest}@{domain}>"


def _link(url_name: str, *args) -> str:
    return settings.SITE_URL + reverse(url_name, args=args)


def _acknowledge_url(row: Notification) -> str:
    if row.kind != Notification.Kind.HANDOFF or row.handoff_id is None:
        return ""
    handoff = row.handoff
    return _link("handoff_acknowledge_link", handoff.ack_token())


def render_email(row: Notification) -> EmailMessage:
    reference = row.referral.reference if row.referral else ""
    context = {
        "notification": row,
        "reference": reference,
        "references": [(ref, _link("referral_detail", ref)) for ref in row.references],
        "referral_url": _link("referral_detail", reference) if reference else "",
        "sign_in_url": _link("login"),
        "queue_url": _link("triage_queue"),
        "partner_queue_url": _link("partner_queue"),  # h19b
        "site_url": settings.SITE_URL,
        # The notice to another council (out_of_area): who we are and the number to call.
        "front_door_name": settings.FRONT_DOOR_NAME,
        "front_door_phone": settings.FRONT_DOOR_PHONE,
        # h19c: a hand-off's acknowledgement link (to the team's mailbox only).
        "acknowledge_url": _acknowledge_url(row),
    }
    subject = render_to_string(f"emails/{row.kind}_subject.txt", context)
    body = render_to_string(f"emails/{row.kind}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[row.recipient_email],
        headers={"Message-ID": message_id(row)},
    )


@transaction.atomic
def _claim(notification_id: int, now: dt.datetime) -> Notification | None:
    row = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("referral")
        .filter(pk=notification_id)
        .first()
    )
    if row is None or row.state not in (State.PENDING, State.SENDING):
        return None  # sent, failed or portal-only: nothing to do
    lease = dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    if row.state == State.SENDING and row.claimed_at and row.claimed_at > now - lease:
        return None  # another attempt is in progress
    if row.state == State.SENDING and row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        # Its worker died on the last attempt: stop here, visibly, rather than loop on a
        # message that keeps killing workers.
        row.state, row.last_error, row.claim_token = State.FAILED, "WorkerLost", None
        row.save(update_fields=["state", "last_error", "claim_token"])
        return None
    row.state = State.SENDING
    row.claim_token = uuid.uuid4()
    row.claimed_at = now
    row.attempts += 1
    row.save(update_fields=["state", "claim_token", "claimed_at", "attempts"])
    return row


def _mark_sent(row: Notification) -> None:
    updated = Notification.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
        state=State.SENT, sent_at=timezone.now(), claim_token=None, retry_at=None, last_error=""
    )
    if not updated:
        logger.warning("notification %s sent but its claim had been taken over", row.pk)
    logger.info("notification %s sent kind=%s attempt=%s", row.pk, row.kind, row.attempts)


def _mark_failed_attempt(row: Notification, exc: Exception) -> float | None:
    """Record the failure (the error's class only: its text may quote an address) and
    return the countdown to the next attempt, or None after the last one."""
    error = type(exc).__name__
    last = row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    countdown = None if last else retry_countdown(row.attempts)
    Notification.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
        state=State.FAILED if last else State.PENDING,
        last_error=error,
        claim_token=None,
        retry_at=None if last else timezone.now() + dt.timedelta(seconds=countdown),
    )
    logger.warning(
        "notification %s attempt %s failed with %s; %s",
        row.pk,
        row.attempts,
        error,
        "marked failed" if last else f"retry in {countdown:.1f}s",
    )
    return countdown


def notification_deliver(*, notification_id: int) -> None:
    """Send one outbox row's email, at most once per claim. Raises RetryLater when
    the mail server failed and attempts remain."""
    row = _claim(notification_id, timezone.now())
    if row is None:
        logger.info("notification %s needs no sending", notification_id)
        return
    connection = get_connection(fail_silently=False)
    try:
        # Opened here, so that send_messages does not also close it: the row is marked
        # sent as soon as the server has answered DATA with 250, before QUIT.
        connection.open()
        connection.send_messages([render_email(row)])
    except Exception as exc:  # noqa: BLE001 - any failure is an attempt; it ends "failed"
        _close_quietly(connection, row)
        countdown = _mark_failed_attempt(row, exc)
        if countdown is not None:
            raise RetryLater(countdown) from None
        return
    _mark_sent(row)
    _close_quietly(connection, row)


def _close_quietly(connection, row: Notification) -> None:
    """QUIT and close. The message (if any) is already the server's: a server that
    stalls or drops the line here changes nothing about the row."""
    try:
        connection.close()
    except Exception as exc:  # noqa: BLE001 - nothing depends on a clean goodbye
        logger.warning(
            "notification %s: closing the connection failed with %s", row.pk, type(exc).__name__
        )
