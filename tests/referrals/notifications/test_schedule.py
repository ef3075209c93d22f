"""The overdue alert and the daily digest fire at the right times (frozen time): the
alert once per referral after its decision due time, the digest at its hour each day
to the Triage leads, listing the overdue references."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from config.celery import app
from referrals.models import Notification
from referrals.tasks import notifications_digest, notifications_overdue
from referrals.triage import services as triage
from tests.factories import submitted_referral
from tests.factories.triage import claimed_referral, decided_referral, london

pytestmark = pytest.mark.django_db
INTAKE = settings.INTAKE_MAILBOXES[0]
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def at(django_capture_on_commit_callbacks):
    """Run a task at a frozen moment; what it queues is sent (in-process) at once."""

    def run(moment, task):
        frozen = time_machine.travel(moment, tick=False)
        with frozen, django_capture_on_commit_callbacks(execute=True):
            return task()

    return run


def overdue_mail():
    return [m for m in mail.outbox if m.subject.startswith(("Overdue", "URGENT: Overdue"))]


def test_an_undecided_referral_alerts_its_worker_and_the_intake_mailbox_once_when_overdue(
    at, triager
):
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        referral = claimed_referral(triager)
    due = referral.decision_due_at

    assert at(due - MINUTE, notifications_overdue) == 0
    assert overdue_mail() == []

    assert at(due + MINUTE, notifications_overdue) == 2
    assert sorted(m.to[0] for m in overdue_mail()) == sorted([INTAKE, triager.email])
    assert overdue_mail()[0].subject == f"Overdue: no decision yet on referral {referral.reference}"

    assert at(due + dt.timedelta(hours=3), notifications_overdue) == 0
    assert at(due + dt.timedelta(days=2), notifications_overdue) == 0
    assert len(overdue_mail()) == 2


def test_an_unassigned_overdue_referral_alerts_the_intake_mailbox(at):
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        referral = submitted_referral()
    at(referral.decision_due_at + MINUTE, notifications_overdue)
    assert [m.to for m in overdue_mail()] == [[INTAKE]]


def test_a_referral_decided_in_time_never_alerts(at, triager):
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        referral = decided_referral(triager)
    assert at(referral.decision_due_at + dt.timedelta(days=1), notifications_overdue) == 0
    assert overdue_mail() == []


def test_the_digest_is_due_each_day_at_its_hour_in_london():
    schedule = settings.CELERY_BEAT_SCHEDULE["notifications-digest"]["schedule"]
    schedule.app = app
    hour = settings.NOTIFICATION_DIGEST_HOUR
    yesterday = london(2026, 7, 14, hour, 0)  # British Summer Time: London is not UTC
    with time_machine.travel(london(2026, 7, 15, hour - 1, 59), tick=False):
        assert schedule.is_due(yesterday).is_due is False
    with time_machine.travel(london(2026, 7, 15, hour, 0, 30), tick=False):
        assert schedule.is_due(yesterday).is_due is True


@pytest.fixture
def leads(triager, other_triager):
    triager.is_triage_lead = True
    triager.save()
    return [triager]


def digests():
    return [m for m in mail.outbox if m.subject.startswith("Overdue referrals today")]


def test_the_daily_digest_lists_the_overdue_references_to_each_triage_lead_once_a_day(
    at, leads, other_triager
):
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        late = submitted_referral()
        later_urgent = submitted_referral(is_urgent=True, immediate_danger="yes")
    with time_machine.travel(london(2026, 3, 3, 12, 0), tick=False):
        in_time = submitted_referral()
    morning = london(2026, 3, 4, settings.NOTIFICATION_DIGEST_HOUR, 0)
    assert late.decision_due_at < morning < in_time.decision_due_at

    assert at(morning, notifications_digest) == 1
    [digest] = digests()
    assert digest.to == [leads[0].email]
    assert digest.subject == "Overdue referrals today: 2"
    assert later_urgent.reference in digest.body and late.reference in digest.body
    assert digest.body.index(later_urgent.reference) < digest.body.index(late.reference)
    assert in_time.reference not in digest.body
    assert other_triager.email not in [m.to[0] for m in digests()]

    assert at(morning + dt.timedelta(hours=2), notifications_digest) == 0
    assert at(morning + dt.timedelta(days=1), notifications_digest) == 1
    assert len(digests()) == 2


def test_no_digest_is_sent_when_nothing_is_overdue(at, leads):
    assert at(london(2026, 3, 4, 8, 0), notifications_digest) == 0
    assert Notification.objects.filter(kind=Notification.Kind.DIGEST).count() == 0


# --- An urgent referral nobody claims within its hour ------------------------------


def unclaimed_mail():
    return [m for m in mail.outbox if "not claimed" in m.subject]


def an_urgent_referral():
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        return submitted_referral(is_urgent=True, immediate_danger="yes")


def test_an_urgent_referral_unclaimed_after_its_hour_alerts_the_intake_mailbox_and_leads_once(
    at, leads, other_triager
):
    referral = an_urgent_referral()
    due = referral.claim_due_at
    assert due == london(2026, 3, 2, 10, 0) + dt.timedelta(hours=settings.URGENT_CLAIM_HOURS)

    assert at(due - MINUTE, notifications_overdue) == 0
    assert unclaimed_mail() == []

    assert at(due + MINUTE, notifications_overdue) == 2
    assert sorted(m.to[0] for m in unclaimed_mail()) == sorted([INTAKE, leads[0].email])
    assert {m.subject for m in unclaimed_mail()} == {
        f"URGENT: referral {referral.reference} not claimed"
    }
    assert all(m.extra_headers["Message-ID"] for m in unclaimed_mail())

    # Once: later checks (the same beat job, every few minutes) add nothing.
    assert at(due + 5 * MINUTE, notifications_overdue) == 0
    assert at(due + dt.timedelta(hours=3), notifications_overdue) == 0
    assert len(unclaimed_mail()) == 2


def test_an_urgent_referral_claimed_within_its_hour_raises_no_claim_alert(at, leads, triager):
    referral = an_urgent_referral()
    with time_machine.travel(referral.claim_due_at - 10 * MINUTE, tick=False):
        triage.referral_claim(referral=referral, user=triager)
    assert at(referral.claim_due_at + MINUTE, notifications_overdue) == 0
    assert at(referral.claim_due_at + dt.timedelta(hours=2), notifications_overdue) == 0
    assert unclaimed_mail() == []


def test_a_routine_referral_never_raises_a_claim_alert(at, leads):
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        submitted_referral()
    assert at(london(2026, 3, 2, 12, 0), notifications_overdue) == 0
    assert unclaimed_mail() == []


def test_a_claim_alert_and_a_decision_overdue_alert_are_separate(at, leads):
    referral = an_urgent_referral()
    at(referral.claim_due_at + MINUTE, notifications_overdue)
    at(referral.decision_due_at + MINUTE, notifications_overdue)
    assert len(unclaimed_mail()) == 2
    assert sorted(m.to[0] for m in overdue_mail()) == [INTAKE]
