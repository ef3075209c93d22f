"""Signed webhook events (issue 22): written with the decision, delivered to a real
receiver on 127.0.0.1, retried after the receiver was down; the SSRF guard."""

import hashlib
import hmac
import http.server
import json
import socket
import threading

import pytest

from referrals.models import WebhookDelivery, WebhookSubscription
from referrals.notifications import webhooks
from tests.factories.triage import decided_referral

pytestmark = pytest.mark.django_db
SECRET = "zoë-shared-secret"


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int):
    _Receiver.received = []
    server = http.server.HTTPServer(("127.0.0.1", port), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_decision_is_delivered_signed_once_after_the_receiver_was_down(
    triager, django_capture_on_commit_callbacks
):
    port = _free_port()
    WebhookSubscription.objects.create(
        name="Council case system (Øyvind)",
        url=f"http://127.0.0.1:{port}/hooks/portal",
        events=["referral.decided"],
        secret=SECRET,
    )
    with django_capture_on_commit_callbacks(execute=False):
        referral = decided_referral(triager)
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "referral.decided"
    assert delivery.payload["referral"]["reference"] == referral.reference
    assert referral.first_name not in json.dumps(delivery.payload)

    with pytest.raises(webhooks.RetryLater):  # nobody listening yet
        webhooks.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (WebhookDelivery.State.PENDING, 1)
    assert delivery.retry_at is not None

    server = _serve(port)
    try:
        webhooks.webhook_deliver(delivery_id=delivery.pk)
        webhooks.webhook_deliver(delivery_id=delivery.pk)  # a duplicate task: nothing
    finally:
        server.shutdown()
        server.server_close()
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.DELIVERED and delivery.attempts == 2
    assert len(_Receiver.received) == 1
    headers, body = _Receiver.received[0]
    timestamp = headers["X-Portal-Timestamp"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert headers["X-Portal-Signature"] == f"sha256={expected.hexdigest()}"
    event = json.loads(body)
    assert event["event"] == "referral.decided"
    assert event["referral"]["reference"] == referral.reference


def test_a_subscription_of_another_organisation_gets_nothing(triager, social_care):
    WebhookSubscription.objects.create(
        name="Elsewhere",
        url="https://example.org/hook",
        events=["referral.decided", "referral.submitted"],
        secret=SECRET,
        organisation=social_care,
    )
    decided_referral(triager)
    assert not WebhookDelivery.objects.exists()


def test_the_guard_refuses_plain_http_and_private_addresses(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    for url in (
        "http://example.org/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
    ):
        with pytest.raises(webhooks.UnsafeUrl):
            webhooks.url_check(url)
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    webhooks.url_check("http://127.0.0.1:8000/hook")
    with pytest.raises(webhooks.UnsafeUrl):
        webhooks.url_check("https://192.168.1.5/hook")


def test_the_last_failed_attempt_marks_the_delivery_failed(triager, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    WebhookSubscription.objects.create(
        name="Down",
        url=f"http://127.0.0.1:{_free_port()}/h",
        events=["referral.decided"],
        secret=SECRET,
    )
    decided_referral(triager)
    delivery = WebhookDelivery.objects.get()
    webhooks.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.FAILED
    assert delivery.last_error


def test_a_delivery_connects_to_the_address_it_checked_not_a_second_answer(
    triager, django_capture_on_commit_callbacks, monkeypatch
):
    """DNS rebinding: a host that answers the check with a safe address and the
    connection with an internal one. The delivery resolves once, checks that answer and
    connects to it; a second look-up (here: an internal address) is never made."""
    port = _free_port()
    WebhookSubscription.objects.create(
        name="Rebinding receiver",
        url=f"http://receiver.invalid:{port}/hooks/portal",
        events=["referral.decided"],
        secret=SECRET,
    )
    answers = []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host != "receiver.invalid":
            return real_getaddrinfo(host, *args, **kwargs)
        address = "127.0.0.1" if not answers else "10.0.0.1"
        answers.append(address)
        return real_getaddrinfo(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with django_capture_on_commit_callbacks(execute=False):
        decided_referral(triager)
    delivery = WebhookDelivery.objects.get()
    server = _serve(port)
    try:
        webhooks.webhook_deliver(delivery_id=delivery.pk)
    finally:
        server.shutdown()
        server.server_close()
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert answers == ["127.0.0.1"]
    headers, _ = _Receiver.received[0]
    assert headers["Host"] == f"receiver.invalid:{port}"


def test_a_receiver_answering_with_a_redirect_is_not_followed(triager, settings):
    """A 3xx could point at an internal address: it is an error, retried, not followed."""
    port = _free_port()

    class Redirecting(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(307)
            self.send_header("Location", "http://10.0.0.1/internal")
            self.end_headers()

        def log_message(self, *args):
            pass

    WebhookSubscription.objects.create(
        name="Redirecting receiver",
        url=f"http://127.0.0.1:{port}/hook",
        events=["referral.decided"],
        secret=SECRET,
    )
    decided_referral(triager)
    server = http.server.HTTPServer(("127.0.0.1", port), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(webhooks.RetryLater):
            webhooks.webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)
    finally:
        server.shutdown()
        server.server_close()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.last_status, delivery.last_error) == (307, "HTTP 307")
