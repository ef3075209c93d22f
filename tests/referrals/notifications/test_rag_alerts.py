"""A red-rated contact nearing its RAG deadline (RAG_RED_WARNING_MINUTES before it)
alerts the triage leads, once, content-free; frozen time, then through the real broker
and worker into a local SMTP server."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from referrals.models import Notification
from referrals.notifications.outbox import notifications_queue_overdue
from referrals.tasks import notifications_overdue
from referrals.triage import services as triage
from tests.celery_worker import WorkerProcess, publishing_to
from tests.factories import submitted_referral
from tests.factories.notifications import leaks, sentinel_referral, wait_until
from tests.factories.triage import london
from tests.services import require_broker, require_postgres

MINUTE = dt.timedelta(minutes=1)
RECEIVED = london(2026, 3, 2, 10, 0)


@pytest.fixture
def at(django_capture_on_commit_callbacks):
    def run(moment, task):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return task()

    return run


@pytest.fixture
def lead(triager):
    triager.is_triage_lead = True
    triager.save()
    return triager


def red_mail():
    return [m for m in mail.outbox if "nearly due" in m.subject]


def _rated(user, rating, now=RECEIVED, **fields):
    referral = submitted_referral(submitted_at=RECEIVED, **fields)
    triage.referral_rate(referral=referral, user=user, rating=rating, rationale="R", now=now)
    referral.refresh_from_db()
    return referral


@pytest.mark.django_db
def test_a_red_contact_alerts_the_leads_once_an_hour_before_its_deadline(at, lead, other_triager):
    referral = _rated(lead, "red")
    due = referral.rag_due_at
    assert due == london(2026, 3, 2, 14, 0)

    assert at(due - 61 * MINUTE, notifications_overdue) == 0
    assert at(due - 59 * MINUTE, notifications_overdue) == 1
    assert [m.to for m in red_mail()] == [[lead.email]]
    assert red_mail()[0].subject == f"URGENT: red-rated referral {referral.reference} is nearly due"
    assert referral.reference in red_mail()[0].body

    # Once: later runs of the same beat job add nothing, before or after the deadline.
    assert at(due - 30 * MINUTE, notifications_overdue) == 0
    assert at(due + 30 * MINUTE, notifications_overdue) == 0
    assert len(red_mail()) == 1
    row = Notification.objects.get(kind=Notification.Kind.RAG_DUE_SOON)
    assert (row.recipient, row.urgent) == (lead, True)


@pytest.mark.django_db
def test_the_warning_time_is_configurable(at, lead, settings):
    settings.RAG_RED_WARNING_MINUTES = 15
    referral = _rated(lead, "red")
    assert at(referral.rag_due_at - 20 * MINUTE, notifications_overdue) == 0
    assert at(referral.rag_due_at - 10 * MINUTE, notifications_overdue) == 1


@pytest.mark.django_db
def test_amber_and_green_contacts_and_decided_red_ones_never_raise_the_red_alert(at, lead):
    _rated(lead, "amber")
    _rated(lead, "green")
    decided = _rated(lead, "red")
    triage.referral_claim(referral=decided, user=lead, now=RECEIVED)
    triage.referral_decide(
        referral=decided, user=lead, contact_outcome="nfa", rationale="Advice given.", now=RECEIVED
    )
    at(london(2026, 3, 2, 13, 30), notifications_overdue)
    at(london(2026, 3, 6, 13, 30), notifications_overdue)
    assert not Notification.objects.filter(kind=Notification.Kind.RAG_DUE_SOON).exists()


@pytest.mark.django_db
def test_a_contact_re_rated_red_after_its_red_deadline_alerts_the_leads_at_once(at, lead):
    referral = _rated(lead, "amber")
    at(london(2026, 3, 2, 15, 0), notifications_overdue)
    assert red_mail() == []
    late = london(2026, 3, 2, 16, 0)
    triage.referral_rate(referral=referral, user=lead, rating="red", rationale="Missing", now=late)
    assert at(late + 5 * MINUTE, notifications_overdue) == 1
    assert len(red_mail()) == 1


# --- Through the real broker and worker --------------------------------------------


@pytest.mark.broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_red_alert_reaches_the_lead_once_through_the_worker_with_no_personal_data(sink, lead):
    require_postgres()
    require_broker()
    worker = WorkerProcess(
        extra_env={"EMAIL_URL": sink.url, "DJANGO_SETTINGS_MODULE": "tests.settings_smtp_worker"}
    ).start()
    try:
        with publishing_to(worker.queue):
            referral = sentinel_referral()
            rating = triage.referral_rate(
                referral=referral, user=lead, rating="red", rationale="Sentinelfirst is missing"
            )
            notifications_queue_overdue(now=rating.due_at - 10 * MINUTE)
            sink.wait_for(lambda: sink.accepted_for(lead.email), timeout=10, what="red alert")
            notifications_queue_overdue(now=rating.due_at - 5 * MINUTE)
            row = Notification.objects.get(kind=Notification.Kind.RAG_DUE_SOON)
            wait_until(
                lambda: Notification.objects.get(pk=row.pk).state == Notification.State.SENT,
                timeout=10,
                what="the row sent",
            )
    finally:
        worker.stop()
    alerts = [m for m in sink.accepted_for(lead.email) if "nearly due" in m.subject]
    assert len(alerts) == 1
    assert referral.reference in alerts[0].subject
    assert leaks(alerts[0].text()) == []
