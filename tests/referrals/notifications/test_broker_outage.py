"""A broker outage is invisible to the practitioner sending a referral (docs/security.md,
"Tasks and notifications"; issue #15): the publish after commit tries the broker once,
with the short connect timeout the settings give, never sleeps to retry, and leaves the
outbox rows pending for the relay. Asserted on the connection attempts themselves, not
on the clock. The test's transaction never commits, so the after-commit publish runs as
the capture block closes; on a live portal it runs at the request's commit, before the
response."""

import socket

import pytest
from django.conf import settings
from django.urls import reverse
from kombu.utils import functional as kombu_functional

from referrals.models import Notification, Referral
from tests.auth import sign_in
from tests.celery_worker import publishing_to
from tests.factories.notifications import broker_at
from tests.referral_journey import complete_all_sections, start_draft

pytestmark = pytest.mark.django_db

# Ours: a healthy Redis on the portal's network answers a connect within milliseconds.
SHORT_CONNECT_TIMEOUT = 1.0


def closed_port() -> int:
    """A loopback port with nothing listening: a connect there is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_attempts(monkeypatch):
    """Every TCP connect to the closed broker port (with the timeout the socket had) and
    every sleep kombu asks for between connection retries (recorded, not slept)."""
    port = closed_port()
    attempts = {"port": port, "connects": [], "sleeps": []}
    real_connect = socket.socket.connect

    def connect(sock, address):
        if isinstance(address, tuple) and address[1] == port:
            attempts["connects"].append(sock.gettimeout())
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(kombu_functional, "sleep", attempts["sleeps"].append)
    return attempts


def test_with_the_broker_down_a_submission_tries_it_once_briefly_and_leaves_rows_to_the_relay(
    client, practitioner, broker_attempts, django_capture_on_commit_callbacks
):
    sign_in(client, practitioner)
    draft = start_draft(client)
    complete_all_sections(client, draft)
    with (
        broker_at(f"redis://127.0.0.1:{broker_attempts['port']}/0"),
        publishing_to("test-broker-down"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("referral_check", args=[draft.public_id]))

    assert response.status_code == 302
    referral = Referral.objects.get(pk=draft.pk)
    assert referral.reference
    # One connection attempt for all the referral's messages, no retry, no back-off sleep.
    assert broker_attempts["connects"] == [
        settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"]
    ]
    assert broker_attempts["connects"][0] <= SHORT_CONNECT_TIMEOUT
    assert broker_attempts["sleeps"] == []
    rows = Notification.objects.filter(referral=referral)
    assert rows.count() >= 2  # the intake mailbox and the referrer's acknowledgement
    assert {(row.state, row.published_at) for row in rows} == {(Notification.State.PENDING, None)}
