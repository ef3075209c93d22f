"""Break-glass from the search (issue 20): a manager, who sees no individual referral,
may open a hit only with a reason, for settings.BREAK_GLASS_HOURS; it is audited and
the triage leads are told without any content."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from referrals.models import AuditEvent, BreakGlassGrant, Notification
from tests.auth import sign_in
from tests.factories import submitted_referral

START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def zoe(db):
    return submitted_referral(
        first_name="Zoë", last_name="O'Brien-Łukasz", date_of_birth=dt.date(2011, 5, 4)
    )


@pytest.fixture
def lead(triager):
    triager.is_triage_lead = True
    triager.save()
    return triager


def _break_glass(client, referral, reason):
    url = reverse("search_break_glass", args=[referral.public_id])
    return client.post(url, {"reason": reason})


@pytest.mark.django_db
def test_break_glass_is_refused_without_a_reason(client, manager, zoe):
    sign_in(client, manager)
    response = _break_glass(client, zoe, "  ")
    assert response.status_code == 200
    assert b"Enter why you need to open this record" in response.content
    assert not BreakGlassGrant.objects.exists()
    assert client.get(reverse("referral_detail", args=[zoe.reference])).status_code == 404


@pytest.mark.django_db
def test_break_glass_with_a_reason_opens_the_referral_audits_and_tells_the_leads(
    client, manager, lead, zoe
):
    sign_in(client, manager)
    response = _break_glass(client, zoe, "Strategy meeting at 10, Øyvind asked")
    assert response.status_code == 302
    assert response.url == reverse("referral_detail", args=[zoe.reference])
    assert client.get(response.url).status_code == 200
    event = AuditEvent.objects.get(action="search.break_glass")
    assert event.actor == manager and event.referral == zoe
    assert event.detail["reason"] == "Strategy meeting at 10, Øyvind asked"
    alert = Notification.objects.get(kind=Notification.Kind.BREAK_GLASS)
    assert alert.recipient == lead and alert.referral == zoe


@pytest.mark.django_db
def test_break_glass_expires_after_the_set_hours(client, manager, zoe, settings):
    settings.BREAK_GLASS_HOURS = 3
    url = reverse("referral_detail", args=[zoe.reference])
    with time_machine.travel(START, tick=False):
        sign_in(client, manager)
        _break_glass(client, zoe, "Strategy meeting")
        assert BreakGlassGrant.objects.get().expires_at == START + dt.timedelta(hours=3)
    # Signed in afresh each time: the session's own idle timeout is not what is tested.
    with time_machine.travel(START + dt.timedelta(hours=2, minutes=59), tick=False):
        sign_in(client, manager)
        assert client.get(url).status_code == 200
    with time_machine.travel(START + dt.timedelta(hours=3, minutes=1), tick=False):
        sign_in(client, manager)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_manager_is_offered_break_glass_from_the_search(client, manager, zoe):
    sign_in(client, manager)
    response = client.get(reverse("referral_search"), {"q": "zoe obrien"})
    assert reverse("search_break_glass", args=[zoe.public_id]).encode() in response.content
    assert zoe.reference.encode() not in response.content


@pytest.mark.django_db
def test_triage_are_never_offered_break_glass(client, triager, zoe):
    sign_in(client, triager)
    url = reverse("search_break_glass", args=[zoe.public_id])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_draft_cannot_be_broken_into(client, manager):
    from tests.factories import ReferralFactory

    draft = ReferralFactory()
    sign_in(client, manager)
    assert _break_glass(client, draft, "curious").status_code == 404
