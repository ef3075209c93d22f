"""Signed events for partner systems (issue 22): outbox rows written with the event,
delivered by the worker, retried with backoff, swept by the beat when a publish was lost.

The payload carries ids, the reference and codes only, never personal data: the
receiver fetches what its own token allows through the API (security.md: content-free
messages). The signature is HMAC-SHA256 over "<timestamp>.<body>" with the
subscription's secret; the receiver rejects an old timestamp (replay window)."""

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
import urllib.parse

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from referrals import jobs
from referrals.models import (
    Handoff,
    RagRating,
    Referral,
    WebhookDelivery,
    WebhookSubscription,
)
from referrals.notifications.delivery import retry_countdown

State = WebhookDelivery.State
Event = WebhookSubscription.Event
TASK = "referrals.webhook_send"


class RetryLater(Exception):
    def __init__(self, countdown: float):
        super().__init__(f"retry in {countdown:.0f}s")
        self.countdown = countdown


class UnsafeUrl(Exception):
    """The URL is not https, or resolves to a private, loopback or link-local address."""


def webhook_outbox(
    referral: Referral, event: str, extra: dict | None = None
) -> list[WebhookDelivery]:
    """Write one delivery per active subscription to `event` for this referral's
    organisation (or for all organisations), in the caller's transaction. `extra` adds
    the event's own ids and codes (never personal data) beside the referral's."""
    subscriptions = WebhookSubscription.objects.filter(active=True).filter(
        Q(organisation__isnull=True) | Q(organisation_id=referral.organisation_id)
    )
    payload = {
        "event": event,
        "referral": {
            "id": str(referral.public_id),
            "reference": referral.reference,
            "status": referral.status,
            "contact_outcome": referral.contact_outcome,
        },
        **(extra or {}),
        "occurred_at": timezone.now().isoformat(),
    }
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=s, event=event, payload=payload)
        for s in subscriptions
        if event in (s.events or [])
    )
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: webhooks_publish(ids))
    return rows


def webhook_rated(rating: RagRating, previous: str) -> list[WebhookDelivery]:
    """referral.rated: a contact rated red, amber or green, or re-rated (the codes)."""
    return webhook_outbox(
        rating.referral,
        Event.RATED,
        {"rating": {"id": rating.pk, "rating": rating.rating, "previous": previous}},
    )


def webhook_handed_off(handoff: Handoff | None) -> list[WebhookDelivery]:
    """referral.handed_off: a hand-off sent to its receiving team, whether the decision
    routed it at once or triage chose the team later (an unrouted hand-off has not been
    handed to anyone yet: its event follows when it is sent)."""
    if handoff is None or handoff.state != Handoff.State.SENT:
        return []
    return webhook_outbox(
        handoff.referral,
        Event.HANDED_OFF,
        {
            "handoff": {
                "id": handoff.pk,
                "contact_outcome": handoff.contact_outcome,
                "team": handoff.team_id,
            }
        },
    )


def webhooks_publish(ids: list[int]) -> None:
    for delivery_id in ids:
        if not jobs.publish(TASK, delivery_id):
            break  # the broker is down: the sweep publishes the rest


def webhooks_sweep(*, now: dt.datetime | None = None) -> int:
    """Beat: publish pending deliveries that are due (a lost publish, a broker outage)."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(state=State.PENDING).filter(
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )
    ids = list(due.values_list("pk", flat=True)[:500])
    webhooks_publish(ids)
    return len(ids)


def url_check(url: str) -> list[str]:
    """SSRF guard, the one rule for a subscription's URL, checked when an administrator
    saves it and again before each delivery (DNS can change): https, a host, and every
    address the host resolves to is public (not private, loopback, link-local, reserved,
    multicast or unspecified). Loopback, and plain http to it, only with
    settings.WEBHOOKS_ALLOW_LOOPBACK (the tests' receivers on 127.0.0.1). Returns the
    addresses checked: a delivery connects to one of them, never resolving again (a
    second answer could name an internal address: DNS rebinding)."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeUrl("the URL is not valid") from error
    loopback_ok = getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK", False)
    if parts.scheme not in ("https", "http") or (parts.scheme == "http" and not loopback_ok):
        raise UnsafeUrl("webhook URLs must be https")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("the URL must not hold a user name or password")
    try:
        infos = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise UnsafeUrl("the host does not resolve") from error
    checked = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        checked.append(str(address))
        if address.is_loopback and loopback_ok:
            continue
        if parts.scheme == "http":
            raise UnsafeUrl("plain http is allowed only to a loopback address")
        if not address.is_global or address.is_multicast:
            raise UnsafeUrl("the host resolves to a private, loopback or reserved address")
    return list(dict.fromkeys(checked))


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address url_check approved, not to whatever the host name
    resolves to by then."""

    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host name (SNI)."""

    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _post(url: str, addresses: list[str], secret: str, body: bytes, delivery_id: int) -> int:
    """POST the event to the first checked address; the response's status. Redirects
    are not followed (http.client never does): a 3xx to an internal address would get
    round the guard."""
    timestamp = str(int(time.time()))
    parts = urllib.parse.urlsplit(url)
    pinned = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = pinned(
        parts.hostname, addresses[0], port=parts.port, timeout=settings.WEBHOOK_TIMEOUT
    )
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    headers = {
        "Content-Type": "application/json",
        "X-Portal-Timestamp": timestamp,
        "X-Portal-Signature": signature(secret, timestamp, body),
        # At least once: a receiver drops a delivery id it has seen.
        "X-Portal-Delivery": str(delivery_id),
    }
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def webhook_deliver(*, delivery_id: int) -> None:
    """One attempt; RetryLater after a failure until the last attempt, then failed."""
    with transaction.atomic():
        row = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("subscription")
            .filter(pk=delivery_id, state=State.PENDING)
            .first()
        )
        if row is None:
            return
        row.attempts += 1
        status, error = None, ""
        try:
            addresses = url_check(row.subscription.url)
            body = json.dumps(row.payload, sort_keys=True).encode()
            status = _post(row.subscription.url, addresses, row.subscription.secret, body, row.pk)
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except (UnsafeUrl, OSError, http.client.HTTPException) as failure:
            error = str(failure)[:300] or failure.__class__.__name__
        row.last_status, row.last_error = status, error
        if status is not None and 200 <= status < 300:
            row.state, row.delivered_at, row.retry_at = State.DELIVERED, timezone.now(), None
            row.save()
            return
        last = row.attempts >= settings.WEBHOOK_MAX_ATTEMPTS
        countdown = retry_countdown(row.attempts)
        row.state = State.FAILED if last else State.PENDING
        row.retry_at = None if last else timezone.now() + dt.timedelta(seconds=countdown)
        row.save()
    if not last:
        raise RetryLater(countdown)
