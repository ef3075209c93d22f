"""The triage leads' daily digest is a setting in the portal itself (issue 15): an
administrator switches it on the user's page, a Triage user on their own account
page, and every change is audited."""

import time_machine
from django.urls import reverse

from referrals.models import AuditEvent
from referrals.notifications.outbox import notifications_queue_digest
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.triage import london

LABEL = "Email the daily digest of overdue referrals"


def digest_recipients() -> list[str]:
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        submitted_referral()
    with time_machine.travel(london(2026, 3, 5, 8, 0), tick=False):
        return [n.recipient_email for n in notifications_queue_digest()]


def test_an_administrator_switches_the_daily_digest_on_from_the_users_page(client, admin, triager):
    sign_in(client, admin)
    assert LABEL in client.get(reverse("user_detail", args=[triager.pk])).content.decode()
    response = client.post(reverse("user_daily_digest", args=[triager.pk]), {"daily_digest": "on"})
    assert response["Location"] == reverse("user_detail", args=[triager.pk])
    triager.refresh_from_db()
    assert triager.is_triage_lead is True
    event = AuditEvent.objects.get(action="user.daily_digest_changed")
    assert (event.actor, event.object_id, event.detail) == (
        admin,
        str(triager.pk),
        {"before": False, "after": True},
    )
    assert digest_recipients() == [triager.email]


def test_an_administrator_switches_the_daily_digest_off(client, admin, triager):
    triager.is_triage_lead = True
    triager.save()
    sign_in(client, admin)
    client.post(reverse("user_daily_digest", args=[triager.pk]), {})
    triager.refresh_from_db()
    assert triager.is_triage_lead is False
    assert digest_recipients() == []


def test_the_daily_digest_cannot_be_switched_on_for_someone_without_the_triage_role(
    client, admin, practitioner
):
    sign_in(client, admin)
    response = client.post(
        reverse("user_daily_digest", args=[practitioner.pk]), {"daily_digest": "on"}
    )
    assert response.status_code == 200
    assert "Only Triage users can get the daily digest" in response.content.decode()
    practitioner.refresh_from_db()
    assert practitioner.is_triage_lead is False
    assert not AuditEvent.objects.filter(action="user.daily_digest_changed").exists()


def test_a_triage_user_switches_their_own_daily_digest_on_and_off_on_their_account_page(
    client, triager
):
    sign_in(client, triager)
    assert LABEL in client.get(reverse("account_security")).content.decode()
    response = client.post(reverse("account_email_preferences"), {"daily_digest": "on"})
    assert response["Location"] == reverse("account_security")
    triager.refresh_from_db()
    assert triager.is_triage_lead is True
    page = client.get(reverse("account_security")).content.decode()
    assert "You will get the daily digest of overdue referrals." in page
    checkbox = page.split('name="daily_digest"', 1)[1].split(">", 1)[0]
    assert "checked" in checkbox

    client.post(reverse("account_email_preferences"), {})
    triager.refresh_from_db()
    assert triager.is_triage_lead is False
    events = AuditEvent.objects.filter(action="user.daily_digest_changed").order_by("id")
    assert [(e.actor, e.detail["after"]) for e in events] == [(triager, True), (triager, False)]


def test_people_without_the_triage_role_are_not_offered_the_daily_digest(
    client, practitioner, manager
):
    for person in (practitioner, manager):
        sign_in(client, person)
        assert LABEL not in client.get(reverse("account_security")).content.decode()
        response = client.post(reverse("account_email_preferences"), {"daily_digest": "on"})
        assert response.status_code == 404
        person.refresh_from_db()
        assert person.is_triage_lead is False


def test_the_account_page_changes_only_the_digest_whatever_else_is_posted(client, triager):
    sign_in(client, triager)
    client.post(
        reverse("account_email_preferences"),
        {"daily_digest": "on", "notify_new_referrals": "on", "organisation_wide_view": "on"},
    )
    triager.refresh_from_db()
    assert (triager.is_triage_lead, triager.notify_new_referrals) == (True, False)
    assert triager.organisation_wide_view is False
