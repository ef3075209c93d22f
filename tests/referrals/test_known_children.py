"""Known children (issue 18): a second contact about someone with an undecided contact,
or one decided at most KNOWN_CHILD_DAYS ago, goes to that contact's allocated worker,
who is told by a content-free email and in the portal; the queue shows it."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.models import Notification, Referral, Status
from referrals.triage import services as triage
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.notifications import leaks, sentinel_referral

CHILD = {"first_name": "Zoë", "last_name": "Łukasiewicz", "date_of_birth": dt.date(2012, 2, 29)}
KNOWN = Notification.Kind.KNOWN_CHILD


def _claimed(user, **fields):
    referral = submitted_referral(**{**CHILD, **fields})
    return triage.referral_claim(referral=referral, user=user)


def _decided(user, days_ago: int):
    referral = _claimed(user)
    triage.referral_decide(
        referral=referral,
        user=user,
        contact_outcome="early_help",
        rationale="Early help offered.",
        now=timezone.now() - dt.timedelta(days=days_ago),
    )
    return referral


@pytest.mark.django_db
def test_a_second_contact_about_the_same_child_goes_to_the_allocated_worker_who_is_told(
    client, triager, django_capture_on_commit_callbacks
):
    earlier = _claimed(triager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # The same child, spelt without the accents, as the re-referral badge matches.
        second = submitted_referral(
            first_name="Zoe", last_name="Lukasiewicz", date_of_birth=CHILD["date_of_birth"]
        )

    assert second.known_from == earlier and second.is_known
    assert second.assigned_to == triager and second.status == Status.IN_TRIAGE
    told = Notification.objects.get(kind=KNOWN, referral=second)
    assert told.recipient == triager and told.state == Notification.State.SENT
    [email] = [m for m in mail.outbox if m.to == [triager.email] and "already known" in m.subject]
    assert second.reference in email.body and earlier.reference in email.body
    for value in ("Zoë", "Zoe", "ukasiewicz", "29 February 2012", "2012-02-29"):
        assert value not in email.subject + email.body

    sign_in(client, triager)
    notifications = client.get(reverse("notification_list")).content.decode()
    assert "New contact about someone already known" in notifications
    assert second.reference in notifications
    queue = client.get(reverse("triage_queue")).content.decode()
    assert f"Known — with {triager.full_name}" in queue
    page = client.get(reverse("referral_detail", args=[second.reference])).content.decode()
    assert f"Earlier contact {earlier.reference}. Assigned to {triager.full_name}" in page
    assert reverse("referral_detail", args=[earlier.reference]) in page
    assert client.get(reverse("referral_decide", args=[second.reference])).status_code == 200


@pytest.mark.django_db
def test_a_contact_decided_within_the_known_child_days_makes_the_next_one_known(triager):
    earlier = _decided(triager, days_ago=settings.KNOWN_CHILD_DAYS - 1)
    second = submitted_referral(**CHILD)
    assert second.known_from == earlier and second.assigned_to == triager


@pytest.mark.django_db
def test_a_contact_decided_longer_ago_does_not_make_the_next_one_known(triager):
    _decided(triager, days_ago=settings.KNOWN_CHILD_DAYS + 1)
    second = submitted_referral(**CHILD)
    assert not second.is_known and second.known_from is None and second.assigned_to is None
    assert second.is_repeat  # still a re-referral within twelve months
    assert not Notification.objects.filter(kind=KNOWN).exists()


@pytest.mark.django_db
def test_the_setting_sets_how_recent_a_decision_makes_a_child_known(triager, settings):
    settings.KNOWN_CHILD_DAYS = 3
    _decided(triager, days_ago=5)
    assert not submitted_referral(**CHILD).is_known


@pytest.mark.django_db
def test_another_child_is_not_known(triager):
    _claimed(triager)
    other = submitted_referral(**{**CHILD, "date_of_birth": dt.date(2012, 3, 1)})
    assert not other.is_known


@pytest.mark.django_db
def test_a_known_as_name_finds_the_known_child_as_the_re_referral_badge_does(triager):
    earlier = _claimed(triager, known_as="Zee Lukas")
    second = submitted_referral(
        first_name="Zee", last_name="Lukas", date_of_birth=CHILD["date_of_birth"]
    )
    assert second.known_from == earlier


@pytest.mark.django_db
def test_the_earlier_contact_with_a_worker_is_preferred_to_a_newer_one_in_the_queue(triager):
    with_worker = _claimed(triager)
    submitted_referral(**CHILD)  # known too, and assigned to the same worker
    Referral.objects.filter(known_from=with_worker).update(assigned_to=None)
    third = submitted_referral(**CHILD)
    assert third.known_from == with_worker and third.assigned_to == triager


@pytest.mark.django_db
def test_with_no_allocated_worker_the_intake_mailbox_and_the_leads_are_told(
    client, triager, other_triager
):
    other_triager.is_triage_lead = True
    other_triager.save()
    earlier = submitted_referral(**CHILD)  # waiting in the queue, nobody has it
    second = submitted_referral(**CHILD)
    assert second.known_from == earlier and second.assigned_to is None
    told = Notification.objects.filter(kind=KNOWN, referral=second)
    assert set(told.values_list("recipient_email", flat=True)) == {
        *settings.INTAKE_MAILBOXES,
        other_triager.email,
    }
    assert told.get(recipient=other_triager).state == Notification.State.PENDING
    sign_in(client, triager)
    queue = client.get(reverse("triage_queue")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--pink">Known</strong>' in queue


@pytest.mark.django_db
def test_a_worker_who_has_left_is_not_given_the_contact(triager, other_triager):
    _claimed(triager)
    triager.is_active = False
    triager.save()
    second = submitted_referral(**CHILD)
    assert second.is_known and second.assigned_to is None
    assert not Notification.objects.filter(kind=KNOWN, recipient=triager).exists()


@pytest.mark.django_db
def test_an_urgent_known_contact_stays_in_the_queue_and_the_worker_is_still_told(triager):
    earlier = _claimed(triager)
    urgent = submitted_referral(**CHILD, immediate_danger="yes", is_urgent=True)
    assert urgent.is_urgent and urgent.known_from == earlier
    assert urgent.assigned_to is None and urgent.status == Status.SUBMITTED
    told = Notification.objects.get(kind=KNOWN, referral=urgent)
    assert told.recipient == triager and told.urgent


@pytest.mark.django_db
def test_the_known_child_email_carries_no_personal_detail(
    triager, django_capture_on_commit_callbacks
):
    earlier = triage.referral_claim(referral=sentinel_referral(), user=triager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = sentinel_referral()
    assert second.known_from == earlier
    [email] = [m for m in mail.outbox if m.to == [triager.email] and "already known" in m.subject]
    assert leaks(email.subject + email.body) == []


def _queue_queries(client) -> int:
    client.get(reverse("triage_queue"))  # the filter form is cached after the first load
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("triage_queue")).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_known_contacts_cost_the_queue_no_query_more(client, triager, other_triager):
    sign_in(client, triager)
    _claimed(triager)
    submitted_referral(**CHILD)
    few = _queue_queries(client)
    for n in range(6):
        child = {**CHILD, "last_name": f"Testperson{n}"}
        earlier = submitted_referral(**child)
        if n % 2:
            triage.referral_claim(referral=earlier, user=other_triager)
        assert submitted_referral(**child).is_known
    assert _queue_queries(client) == few
