"""Hand-offs (issue 19): a decision that passes the case on is handed to the receiving
team administrators configured; the team is told (content-free) and acknowledges in
the portal or by the link in its email; the leads hear of a hand-off nobody takes or
nobody acknowledges in time."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from referrals.models import Disclosure, Handoff, Notification, ReferralEvent
from referrals.notifications.delivery import render_email
from referrals.notifications.outbox import notifications_queue_handoff_overdue
from referrals.sharing import DEFAULT_LAWFUL_BASIS
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.handoffs import (
    EARLY_HELP_MAILBOX,
    decided,
    early_help_team,
    handoff_of,
    team_member,
)
from tests.factories.notifications import leaks, sentinel_referral

Kind = Notification.Kind


@pytest.fixture
def lead(triager):
    triager.is_triage_lead = True
    triager.save()
    return triager


def _link_path(handoff: Handoff) -> str:
    row = Notification.objects.get(handoff=handoff, kind=Kind.HANDOFF, recipient=None)
    body = render_email(row).body
    url = re.search(r"https?://\S+/handoffs/acknowledge/\S+/", body).group(0)
    return "/" + url.split("/", 3)[3]


@pytest.mark.django_db
def test_an_early_help_decision_hands_the_case_to_the_early_help_team(lead):
    team = early_help_team()
    referral = decided(submitted_referral(), lead)
    handoff = handoff_of(referral)
    assert (handoff.team, handoff.state, handoff.created_by) == (team, "sent", lead)
    assert handoff.due_at > handoff.sent_at
    row = Notification.objects.get(kind=Kind.HANDOFF)
    assert (row.recipient_email, row.handoff) == (EARLY_HELP_MAILBOX, handoff)
    entry = Disclosure.objects.get(referral=referral, kind=Disclosure.Kind.HANDOFF)
    assert (entry.recipient, entry.lawful_basis, entry.decided_by) == (
        team.name,
        DEFAULT_LAWFUL_BASIS,
        lead,
    )
    assert "the reference" in entry.what
    event = referral.events.get(kind=ReferralEvent.Kind.HANDED_OFF)
    assert team.name in event.text


@pytest.mark.django_db
def test_a_decision_that_does_not_pass_the_case_on_makes_no_hand_off(lead):
    early_help_team(receives=["early_help", "police"])
    referral = decided(submitted_referral(), lead, outcome="nfa")
    assert not Handoff.objects.filter(referral=referral).exists()
    assert not Disclosure.objects.filter(kind=Disclosure.Kind.HANDOFF).exists()


@pytest.mark.django_db
def test_a_police_decision_goes_to_the_team_that_takes_police_cases_not_early_help(lead):
    early_help_team()
    police = early_help_team(
        name="Testshire Police hub", receives=["police"], mailbox="hub@p.example"
    )
    referral = decided(submitted_referral(), lead, outcome="police")
    assert handoff_of(referral).team == police


@pytest.mark.django_db
def test_with_no_team_configured_the_referral_says_so_and_the_leads_are_alerted(client, lead):
    early_help_team(active=False)
    referral = decided(submitted_referral(), lead)
    handoff = handoff_of(referral)
    assert (handoff.state, handoff.team) == ("unrouted", None)
    alert = Notification.objects.get(kind=Kind.HANDOFF_UNROUTED)
    assert alert.recipient == lead
    assert not Notification.objects.filter(kind=Kind.HANDOFF).exists()
    assert not Disclosure.objects.filter(kind=Disclosure.Kind.HANDOFF).exists()
    sign_in(client, lead)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "no receiving team configured" in page


@pytest.mark.django_db
def test_with_two_teams_triage_chooses_and_a_double_submission_hands_off_once(client, lead):
    early_help_team()
    second = early_help_team(name="Łódź Road Family Hub", mailbox="hub@lodz.example")
    referral = decided(submitted_referral(), lead)
    handoff = handoff_of(referral)
    assert handoff.state == "unrouted"
    assert not Notification.objects.filter(kind=Kind.HANDOFF_UNROUTED).exists()
    sign_in(client, lead)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Choose the receiving team" in page
    url = reverse("referral_handoff_route", args=[referral.reference, handoff.pk])
    assert client.get(url).status_code == 200
    for _ in range(2):
        response = client.post(url, {"team": second.pk})
        assert response.status_code == 302
    handoff.refresh_from_db()
    assert (handoff.state, handoff.team) == ("sent", second)
    assert Notification.objects.filter(kind=Kind.HANDOFF).count() == 1
    assert Disclosure.objects.filter(kind=Disclosure.Kind.HANDOFF).count() == 1


@pytest.mark.django_db
def test_choosing_no_team_keeps_the_page_with_an_error(client, lead):
    early_help_team()
    early_help_team(name="Łódź Road Family Hub", mailbox="hub@lodz.example")
    referral = decided(submitted_referral(), lead)
    sign_in(client, lead)
    url = reverse("referral_handoff_route", args=[referral.reference, handoff_of(referral).pk])
    response = client.post(url, {"team": ""})
    assert response.status_code == 200
    assert "Choose the team to hand the case to" in response.content.decode()


@pytest.mark.django_db
def test_the_team_acknowledges_by_the_link_and_the_referral_shows_it(client, lead):
    early_help_team()
    referral = decided(submitted_referral(), lead)
    handoff = handoff_of(referral)
    sign_in(client, lead)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Not yet acknowledged" in page
    client.logout()

    path = _link_path(handoff)
    confirm = client.get(path)
    assert confirm.status_code == 200 and "Acknowledge the hand-off" in confirm.content.decode()
    handoff.refresh_from_db()
    assert handoff.state == "sent"  # a GET (a mail scanner) changes nothing
    done = client.post(path)
    assert done.status_code == 200 and "Hand-off acknowledged" in done.content.decode()
    handoff.refresh_from_db()
    assert handoff.is_acknowledged and handoff.acknowledged_via_link
    assert handoff.acknowledged_by is None

    sign_in(client, lead)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Acknowledged at" in page and "by the link in the email" in page
    assert referral.events.filter(kind=ReferralEvent.Kind.HANDOFF_ACK).count() == 1


@pytest.mark.django_db
def test_a_used_link_says_so_and_acknowledges_nothing_more(client, lead):
    early_help_team()
    handoff = handoff_of(decided(submitted_referral(), lead))
    path = _link_path(handoff)
    client.post(path)
    again = client.post(path)
    assert again.status_code == 200
    assert "already been acknowledged" in again.content.decode()
    assert handoff.referral.events.filter(kind=ReferralEvent.Kind.HANDOFF_ACK).count() == 1
    assert "already been acknowledged" in client.get(path).content.decode()


@pytest.mark.django_db
def test_an_unknown_or_tampered_link_gets_a_clear_page_not_an_error(client, lead):
    early_help_team()
    handoff = handoff_of(decided(submitted_referral(), lead))
    real = handoff.ack_token()
    tampered = real[:-1] + ("1" if real[-1] == "0" else "0")  # always a different token
    for token in ("nonsense", tampered, "x" * 300):
        response = client.get(reverse("handoff_acknowledge_link", args=[token]))
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
        assert client.post(reverse("handoff_acknowledge_link", args=[token])).status_code == 404
    handoff.refresh_from_db()
    assert handoff.state == "sent"


@pytest.mark.django_db
def test_an_expired_link_says_so_and_points_to_the_portal(client, lead, settings):
    early_help_team()
    handoff = handoff_of(decided(submitted_referral(), lead))
    path = _link_path(handoff)
    later = handoff.sent_at + dt.timedelta(days=settings.HANDOFF_LINK_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        response = client.post(path)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.state == "sent"


@pytest.mark.django_db
def test_a_member_of_the_team_acknowledges_in_the_portal_once(client, lead):
    team = early_help_team()
    member = team_member(team)
    referral = decided(submitted_referral(), lead)
    handoff = handoff_of(referral)
    assert Notification.objects.filter(kind=Kind.HANDOFF, recipient=member).exists()
    sign_in(client, member)
    listing = client.get(reverse("handoff_list")).content.decode()
    assert referral.reference in listing
    assert referral.first_name not in listing  # the team sees the hand-off, not the referral
    url = reverse("handoff_acknowledge", args=[handoff.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    handoff.refresh_from_db()
    assert (handoff.acknowledged_by, handoff.acknowledged_via_link) == (member, False)
    assert referral.events.filter(kind=ReferralEvent.Kind.HANDOFF_ACK).count() == 1
    referral_page = client.get(reverse("referral_detail", args=[referral.reference]))
    assert referral_page.status_code == 404


@pytest.mark.django_db
def test_another_organisations_partner_cannot_see_or_acknowledge_the_hand_off(client, lead):
    team = early_help_team()
    other_team = early_help_team(
        name="Ænglish Police hub", receives=["police"], mailbox="p@h.example"
    )
    outsider = team_member(other_team, full_name="Æsa Outsider")
    handoff = handoff_of(decided(submitted_referral(), lead))
    assert handoff.team == team
    sign_in(client, outsider)
    assert handoff.referral.reference not in client.get(reverse("handoff_list")).content.decode()
    assert client.post(reverse("handoff_acknowledge", args=[handoff.pk])).status_code == 404
    handoff.refresh_from_db()
    assert handoff.state == "sent"


@pytest.mark.django_db
def test_a_hand_off_not_acknowledged_after_one_working_day_alerts_the_leads_once(lead):
    early_help_team()
    # Wednesday 10:00 London: due by the end of Thursday.
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC), tick=False):
        handoff = handoff_of(decided(submitted_referral(), lead))
    with time_machine.travel(dt.datetime(2026, 3, 5, 16, tzinfo=dt.UTC), tick=False):
        assert notifications_queue_handoff_overdue() == []
    with time_machine.travel(dt.datetime(2026, 3, 6, 9, tzinfo=dt.UTC), tick=False):
        alerts = notifications_queue_handoff_overdue()
        assert [a.recipient for a in alerts] == [lead]
        assert notifications_queue_handoff_overdue() == []
    assert alerts[0].handoff == handoff
    assert "CL-" in render_email(alerts[0]).subject


@pytest.mark.django_db
def test_an_acknowledged_hand_off_is_never_overdue(client, lead):
    early_help_team()
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC), tick=False):
        handoff = handoff_of(decided(submitted_referral(), lead))
        client.post(_link_path(handoff))
    with time_machine.travel(dt.datetime(2026, 3, 9, 9, tzinfo=dt.UTC), tick=False):
        assert notifications_queue_handoff_overdue() == []


@pytest.mark.django_db
def test_the_hand_off_emails_carry_the_reference_and_link_and_nothing_personal(
    lead, django_capture_on_commit_callbacks
):
    early_help_team()
    with django_capture_on_commit_callbacks(execute=True):
        referral = decided(sentinel_referral(), lead)
    handoff = handoff_of(referral)
    rows = Notification.objects.filter(kind=Kind.HANDOFF)
    for row in rows:
        email = render_email(row)
        text = "\n".join([email.subject, email.body])
        assert leaks(text) == []
        assert referral.reference in text
        assert handoff.ack_token() in email.body
    assert any(m.to == [EARLY_HELP_MAILBOX] for m in mail.outbox)


@pytest.mark.django_db
def test_the_link_token_is_stored_only_as_a_hash(lead):
    early_help_team()
    handoff = handoff_of(decided(submitted_referral(), lead))
    token = handoff.ack_token()
    stored = Handoff.objects.filter(pk=handoff.pk).values().get()
    assert token not in str(stored)
    assert len(token) == 64


@pytest.mark.django_db
def test_administrators_add_a_team_and_a_mistake_keeps_what_was_typed(client, admin):
    sign_in(client, admin)
    url = reverse("receiving_team_add")
    response = client.post(url, {"name": "Zoë's Family Hub", "receives": ["early_help"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the team&#x27;s mailbox or choose its organisation" in page
    assert "Zoë&#x27;s Family Hub" in page or "Zoë's Family Hub" in page
    data = {"name": "Zoë's Family Hub", "receives": ["early_help"], "mailbox": "hub@zoe.example"}
    response = client.post(url, {**data, "active": "on"})
    assert response.status_code == 302
    listing = client.get(reverse("receiving_team_list")).content.decode()
    assert "hub@zoe.example" in listing and "Early help" in listing


@pytest.mark.django_db
def test_a_team_member_signing_in_lands_on_the_hand_offs_to_their_team(client, lead):
    team = early_help_team()
    member = team_member(team)
    sign_in(client, member)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("handoff_list")
    assert "Cases handed to your team" in response.content.decode()


@pytest.mark.django_db
def test_an_unrouted_hand_off_of_a_reopened_decision_cannot_be_sent(client, lead):
    from referrals.triage import services as triage

    early_help_team()
    early_help_team(name="Łódź Road Family Hub", mailbox="hub@lodz.example")
    referral = decided(submitted_referral(), lead)
    handoff = handoff_of(referral)
    referral = triage.referral_reopen(referral=referral, user=lead, reason="Wrong outcome.")
    sign_in(client, lead)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "no longer needed" in page and "Choose the receiving team" not in page
    url = reverse("referral_handoff_route", args=[referral.reference, handoff.pk])
    team = early_help_team(name="Ænother hub", mailbox="a@hub.example")
    client.post(url, {"team": team.pk})
    handoff.refresh_from_db()
    assert handoff.state == "unrouted"
    assert not Notification.objects.filter(kind=Kind.HANDOFF).exists()


@pytest.mark.django_db
def test_opening_the_link_is_audited_and_changes_nothing(client, lead):
    from referrals.models import AuditEvent

    early_help_team()
    handoff = handoff_of(decided(submitted_referral(), lead))
    client.get(_link_path(handoff))
    assert AuditEvent.objects.filter(action="handoff.link_opened", referral=handoff.referral)
    handoff.refresh_from_db()
    assert handoff.state == "sent"
