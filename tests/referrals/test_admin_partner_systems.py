"""Registering partner systems in the Django admin (issue 22): an API client with its
scopes chosen, and a webhook subscription whose URL passes the SSRF guard when saved."""

import socket

import pytest

from referrals.models import ApiClient, AuditEvent, WebhookSubscription
from tests.auth import sign_in

pytestmark = pytest.mark.django_db
SUBSCRIPTIONS = "/admin/referrals/webhooksubscription/add/"
CLIENTS = "/admin/referrals/apiclient/add/"


@pytest.fixture
def superuser(client, admin):
    admin.is_superuser = True
    admin.save()
    sign_in(client, admin)
    return admin


def _public_dns(monkeypatch, address="93.184.215.14"):
    """The host resolves to a public address (no real DNS in the tests)."""

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def _subscription(url, **extra):
    return {
        "name": "Testshire case system (Zoë's team)",
        "url": url,
        "events": ["referral.decided", "referral.handed_off"],
        "secret": "øyvind-hmac-secret",
        "organisation": "",
        "active": "on",
        "created_at_0": "2026-12-01",
        "created_at_1": "10:00:00",
        **extra,
    }


def test_a_public_https_receiver_is_saved_with_its_events(client, superuser, monkeypatch):
    _public_dns(monkeypatch)
    response = client.post(SUBSCRIPTIONS, _subscription("https://cases.testshire.example/hooks"))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = WebhookSubscription.objects.get()
    assert saved.events == ["referral.decided", "referral.handed_off"]


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://metadata.internal/latest", "169.254.169.254"),
        ("https://intranet.testshire.example/", "10.1.2.3"),
        ("https://db.testshire.example/", "192.168.0.20"),
        ("https://localhost/hook", "127.0.0.1"),
        ("https://reserved.testshire.example/", "240.0.0.1"),
        ("http://cases.testshire.example/hooks", "93.184.215.14"),
    ],
)
def test_in_production_an_internal_or_plain_http_receiver_is_a_form_error_keeping_what_was_typed(
    client, superuser, monkeypatch, settings, url, address
):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    _public_dns(monkeypatch, address)
    response = client.post(SUBSCRIPTIONS, _subscription(url))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This URL cannot receive events" in page
    assert url in page  # nothing typed is lost
    assert "Testshire case system (Zoë&#x27;s team)" in page
    assert "øyvind-hmac-secret" in page
    assert not WebhookSubscription.objects.exists()


def test_loopback_receivers_are_allowed_only_when_the_setting_says_so(client, superuser, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    response = client.post(SUBSCRIPTIONS, _subscription("http://127.0.0.1:8123/hooks"))
    assert response.status_code == 302
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    response = client.post(SUBSCRIPTIONS, _subscription("https://127.0.0.1:8123/hooks"))
    assert response.status_code == 200
    assert WebhookSubscription.objects.count() == 1


def test_a_subscription_without_events_or_with_an_unresolvable_host_is_refused(
    client, superuser, monkeypatch
):
    def unresolvable(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unresolvable)
    response = client.post(SUBSCRIPTIONS, _subscription("https://nowhere.invalid/", events=[]))
    page = response.content.decode()
    assert "the host does not resolve" in page
    assert "Choose at least one event to send" in page
    assert not WebhookSubscription.objects.exists()


def test_an_api_client_is_registered_with_the_scopes_chosen(client, superuser, practitioner):
    response = client.post(
        CLIENTS,
        {
            "name": "Æsa Academy MIS",
            "organisation": practitioner.organisation_id,
            "scopes": [ApiClient.Scope.SUBMIT, ApiClient.Scope.READ],
            "accountable_person": practitioner.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    registered = ApiClient.objects.get()
    assert registered.scopes == ["referrals:submit", "referrals:read"]
    assert "copy it now" in response.content.decode()
    event = AuditEvent.objects.get(action="api.client_registered")
    assert event.detail["scopes"] == ["referrals:submit", "referrals:read"]
    page = client.get(f"/admin/referrals/apiclient/{registered.pk}/change/").content.decode()
    for scope in ApiClient.Scope:
        assert f'value="{scope.value}"' in page


def test_an_unknown_scope_is_refused(client, superuser, practitioner):
    response = client.post(
        CLIENTS,
        {
            "name": "Łukasz MIS",
            "organisation": practitioner.organisation_id,
            "scopes": ["everything:write"],
            "accountable_person": practitioner.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ApiClient.objects.exists()
