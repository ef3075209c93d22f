"""Issue 22's "done when", end to end on the real broker and a real worker process: a
partner system submits a referral by API twice with one Idempotency-Key (one referral,
one intake email into a local SMTP server), triage decides it through the portal, and a
receiver on 127.0.0.1 that was down at first gets each event once, signed, after the
worker's retries; then the tokens' refusals (revoked 401, another organisation 404)."""

import hashlib
import hmac
import http.server
import json
import socket
import threading
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from referrals.models import (
    ApiClient,
    Referral,
    Status,
    WebhookDelivery,
    WebhookSubscription,
)
from referrals.notifications.webhooks import webhooks_sweep
from tests.auth import sign_in
from tests.celery_worker import WorkerProcess, publishing_to
from tests.factories import UserFactory
from tests.factories.notifications import leaks, wait_until
from tests.referrals.api.test_referral_create import VALID
from tests.services import require_broker, require_postgres

pytestmark = [pytest.mark.broker]
INTAKE = settings.INTAKE_MAILBOXES[0]
SECRET = "øyvind-and-zoë-share-this"
# Quick retries so that the receiver's outage is over in seconds: 0.5-1 s, then 1-2 s...
FAST = {
    "NOTIFICATION_RETRY_BACKOFF": "1",
    "NOTIFICATION_RETRY_BACKOFF_MAX": "2",
    "WEBHOOK_MAX_ATTEMPTS": "30",
}


@pytest.fixture(autouse=True)
def _committed_db(django_db_serialized_rollback, transactional_db):
    require_postgres()
    require_broker()


@pytest.fixture
def worker(sink):
    process = WorkerProcess(
        extra_env={
            "EMAIL_URL": sink.url,
            "DJANGO_SETTINGS_MODULE": "tests.settings_smtp_worker",
            **FAST,
        }
    ).start()
    with publishing_to(process.queue):
        yield process
    process.stop()


class Receiver:
    """The council's case system: a threaded http.server on 127.0.0.1 that records
    each POST (headers and raw body) and answers 204. Not listening until start()."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.received: list[tuple[dict, bytes]] = []
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/portal"

    def start(self) -> "Receiver":
        received = self.received

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def events(self, name: str) -> list[tuple[dict, bytes]]:
        return [(h, b) for h, b in self.received if json.loads(b)["event"] == name]


def _signature_verifies(headers: dict, body: bytes) -> bool:
    timestamp = headers["X-Portal-Timestamp"]
    digest = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    fresh = abs(time.time() - int(timestamp)) < 300  # the receiver's replay window
    return fresh and hmac.compare_digest(
        headers["X-Portal-Signature"], f"sha256={digest.hexdigest()}"
    )


def _deliveries(event: str):
    return WebhookDelivery.objects.filter(event=event)


def test_a_partner_submission_twice_decided_by_triage_reaches_a_receiver_that_was_down_once(
    sink, worker, client, school, triager
):
    receiver = Receiver()  # down: nothing listens on its port yet
    WebhookSubscription.objects.create(
        name="Testshire case system (Łukasz's team)",
        url=receiver.url,
        events=["referral.submitted", "referral.decided"],
        secret=SECRET,
    )
    person = UserFactory(
        full_name="Æsa Testlead",
        email="aesa.lead@example.org",
        organisation=school,
        roles=[Role.PRACTITIONER],
    )
    api_client = ApiClient(
        name="Æsa school MIS",
        organisation=school,
        accountable_person=person,
        scopes=[ApiClient.Scope.SUBMIT, ApiClient.Scope.READ],
    )
    token = api_client.new_token()
    api_client.save()
    mis = Client()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "mis-concern-0001"}

    # The partner system sends the referral, and sends it again (it never saw the answer).
    first = mis.post("/api/v1/referrals/", VALID, content_type="application/json", headers=headers)
    again = mis.post("/api/v1/referrals/", VALID, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    referral = Referral.objects.exclude(status=Status.DRAFT).get()
    assert first.json()["reference"] == referral.reference
    sink.wait_for(lambda: sink.accepted_for(INTAKE), timeout=15, what="the intake email")

    # The receiver is down: the worker's first attempt fails and is recorded.
    wait_until(
        lambda: _deliveries("referral.submitted").filter(attempts__gte=1).exists(),
        timeout=15,
        what="a failed attempt",
    )
    failed = _deliveries("referral.submitted").get()
    assert failed.state == WebhookDelivery.State.PENDING
    assert failed.last_error and failed.retry_at is not None

    # Triage decides it through the portal.
    sign_in(client, triager)
    assert client.post(reverse("referral_claim", args=[referral.reference])).status_code == 302
    decided = client.post(
        reverse("referral_decide", args=[referral.reference]),
        {
            "contact_outcome": "referral",
            "next_step": "s47",
            "rationale": "Strategy discussion needed today (invented).",
        },
    )
    assert decided.status_code == 302
    wait_until(
        lambda: _deliveries("referral.decided").filter(attempts__gte=1).exists(),
        timeout=15,
        what="the decision's failed attempt",
    )

    # The receiver comes back: the retries deliver each event once.
    receiver.start()
    try:
        wait_until(
            lambda: (
                not WebhookDelivery.objects.exclude(state=WebhookDelivery.State.DELIVERED).exists()
            ),
            timeout=30,
            what="every event delivered",
        )
        assert webhooks_sweep() == 0  # nothing left for the beat to republish
        time.sleep(1.5)  # a duplicate would arrive within the retry interval
    finally:
        receiver.stop()
    [(decision_headers, decision_body)] = receiver.events("referral.decided")
    [(submission_headers, submission_body)] = receiver.events("referral.submitted")
    assert _signature_verifies(decision_headers, decision_body)
    assert _signature_verifies(submission_headers, submission_body)
    decision = json.loads(decision_body)
    assert decision["referral"]["reference"] == referral.reference
    assert decision["referral"]["contact_outcome"] == "referral"
    assert leaks(decision_body.decode()) == []
    assert "Zoë" not in decision_body.decode() and "Øyvind" not in decision_body.decode()
    delivery = _deliveries("referral.decided").get()
    assert delivery.attempts >= 2 and delivery.delivered_at is not None
    assert decision_headers["X-Portal-Delivery"] == str(delivery.pk)

    # Emails: one intake message for the one referral, whatever the retried POST.
    assert len(sink.accepted_for(INTAKE)) == 1

    # The partner system reads the outcome with its token; tokens' refusals.
    bearer = {"Authorization": f"Bearer {token}"}
    status = mis.get(f"/api/v1/referrals/{referral.reference}/", headers=bearer)
    assert status.status_code == 200 and status.json()["status"] == "decided"
    elsewhere = ApiClient(
        name="Another school's MIS",
        organisation=UserFactory().organisation,
        accountable_person=UserFactory(),
        scopes=[ApiClient.Scope.READ],
    )
    other_token = elsewhere.new_token()
    elsewhere.save()
    other = mis.get(
        f"/api/v1/referrals/{referral.reference}/",
        headers={"Authorization": f"Bearer {other_token}"},
    )
    assert other.status_code == 404
    ApiClient.objects.filter(pk=api_client.pk).update(revoked_at=timezone.now())
    revoked = mis.get(f"/api/v1/referrals/{referral.reference}/", headers=bearer)
    assert revoked.status_code == 401
    assert revoked["Content-Type"] == "application/problem+json"
