"""No personal data in any email or log line: every personal field holds a sentinel,
every kind of email is sent through a real SMTP conversation (a local sink), and every
message (subject, body, every header) and every log record is searched for them."""

import datetime as dt
import logging
from html import escape

import pytest
from django.core import mail

from accounts.models import Role
from accounts.services import account_request_create, user_invite
from referrals.areas.services import referral_record_home_council
from referrals.models import Council, Notification
from referrals.notifications.outbox import notifications_queue_digest, notifications_queue_overdue
from referrals.search.services import referral_break_glass
from referrals.triage import services as triage
from tests.factories import OrganisationFactory, UserFactory
from tests.factories import text_as_data as hostile
from tests.factories.addenda import every_referrer_loop_email
from tests.factories.attachments import quarantined_attachment
from tests.factories.handoffs import every_handoff_email
from tests.factories.notifications import (
    SENTINEL_ADDENDA,
    SENTINEL_DECISION,
    leaks,
    sentinel_referral,
)
from tests.factories.partners import every_partner_email
from tests.smtp_sink import SmtpSink

# The test's own SMTP server and factories log what they are given; the portal does not.
TEST_TOOLING_LOGGERS = ("mail.log", "factory", "faker")
EMAILED_KINDS = {k.value for k in Notification.Kind} - {Notification.Kind.INVITATION}
# Only an urgent referral can go unclaimed past its target.
ROUTINE_KINDS = EMAILED_KINDS - {Notification.Kind.CLAIM_OVERDUE}


@pytest.fixture
def sink(settings):
    server = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.stop()


@pytest.fixture
def lead(triager):
    triager.notify_new_referrals = True
    triager.is_triage_lead = True
    triager.save()
    return triager


def every_kind_of_email(lead, urgent: bool):
    """Every kind of email about `referral`, and a second contact about the same person
    (a known child: its worker is told), returned with it."""
    referral = sentinel_referral(is_urgent=urgent, immediate_danger="yes" if urgent else "no")
    if urgent:
        notifications_queue_overdue(now=referral.claim_due_at + dt.timedelta(minutes=1))
    referral = triage.referral_claim(referral=referral, user=lead)
    # Rated red: the leads hear when its deadline is near.
    rating = triage.referral_rate(
        referral=referral, user=lead, rating="red", rationale=SENTINEL_DECISION["rationale"]
    )
    notifications_queue_overdue(now=rating.due_at - dt.timedelta(minutes=1))

    second = sentinel_referral()
    assert second.known_from_id == referral.pk and second.assigned_to == lead
    council = Council.objects.create(
        name="Sentinelshire Council", front_door_email="mash@sentinelshire.example"
    )
    referral_record_home_council(referral=referral, user=lead, council=council)

    every_referrer_loop_email(referral, lead, **SENTINEL_ADDENDA)
    # h19b: a partner request sharing everything, reminded, overdue and answered.
    police = OrganisationFactory(name="Sentinelshire Police", kind="police")
    partner = UserFactory(organisation=police, roles=[Role.PARTNER])
    every_partner_email(
        referral,
        lead,
        partner,
        question=SENTINEL_ADDENDA["question"],
        answer=SENTINEL_ADDENDA["answer"],
    )
    # h20a: a manager opens it by break-glass from the search; the leads are told.
    referral_break_glass(
        user=UserFactory(roles=[Role.MANAGER], organisation=lead.organisation),
        referral=referral,
        reason="Sentinel strategy meeting",
    )
    # h21a: a file the referrer attached was quarantined (its name is a sentinel too).
    quarantined_attachment(referral, referral.author, name=f"{referral.first_name}.txt")
    late = referral.decision_due_at + dt.timedelta(minutes=1)
    notifications_queue_overdue(now=late)
    notifications_queue_digest(now=late)
    triage.referral_decide(
        referral=referral,
        user=lead,
        contact_outcome="referral",
        next_step="s47",
        rationale=SENTINEL_DECISION["rationale"],
        message_to_referrer=SENTINEL_DECISION["message_to_referrer"],
    )
    # h19c: the second contact is handed off (the team's email, the overdue and the
    # "no receiving team" alerts to the leads).
    every_handoff_email(second, lead, SENTINEL_DECISION["rationale"])
    return referral, second


@pytest.mark.django_db
@pytest.mark.parametrize("urgent", [False, True], ids=["routine", "urgent"])
def test_no_email_of_any_kind_and_no_log_record_carries_a_personal_detail(
    sink, lead, caplog, django_capture_on_commit_callbacks, urgent
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        referral, second = every_kind_of_email(lead, urgent)

    sent = Notification.objects.filter(state=Notification.State.SENT)
    assert set(sent.values_list("kind", flat=True)) == (EMAILED_KINDS if urgent else ROUTINE_KINDS)
    assert len(sink.accepted) == sent.count() >= 7
    for message in sink.accepted:
        assert leaks(message.text()) == [], message.subject
        # About one of the two contacts (the known child's email names both).
        assert referral.reference in message.text() or second.reference in message.text()
    records = [
        f"{r.name} {r.levelname} {r.getMessage()}"
        for r in caplog.records
        if not r.name.startswith(TEST_TOOLING_LOGGERS)
    ]
    assert any("notification" in line for line in records)
    assert leaks("\n".join(records)) == []


@pytest.mark.django_db
def test_the_sentinel_search_would_notice_a_leak():
    """The check above is only worth something if it can fail."""
    assert leaks("Re: SENTINELFIRST in Sentinelschool Academy") == [
        "Sentinelfirst",
        "Sentinelschool Academy",
    ]
    assert {"23/07/2011", "07700900461"} <= set(leaks("born 23/07/2011, phone 07700 900461"))


def hostile_leaks(text: str) -> list[str]:
    """Any piece of the hostile corpus in `text`, as typed or HTML-escaped."""
    pieces = {*hostile.PAYLOADS, *(escape(p) for p in hostile.PAYLOADS), hostile.ATTACKER}
    return sorted(piece for piece in pieces if piece in text)


@pytest.mark.django_db
def test_no_email_carries_an_organisation_or_user_name_holding_markup_or_template_code(
    lead, practitioner, django_capture_on_commit_callbacks
):
    """Emails are content-free by design: names holding markup and template code (the
    referrer's organisation, the author, the triage worker, an invited user, someone
    asking for an account) reach no subject, body or header, escaped or not."""
    practitioner.organisation.name = hostile.ORGANISATION_NAME
    practitioner.organisation.save()
    practitioner.full_name, practitioner.job_title = hostile.AUTHOR.values()
    practitioner.save()
    lead.full_name = hostile.TRIAGER_NAME
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral = hostile.hostile_referral(practitioner, is_urgent=True, immediate_danger="yes")
        # Unclaimed past its hour first (the "not claimed" alert), then claimed.
        notifications_queue_overdue(now=referral.claim_due_at + dt.timedelta(minutes=1))
        referral = triage.referral_claim(referral=referral, user=lead)
        rating = triage.referral_rate(
            referral=referral, user=lead, rating="red", rationale=hostile.RATIONALE
        )
        notifications_queue_overdue(now=rating.due_at - dt.timedelta(minutes=1))

        # A second contact about the same person (known: its worker is told), and a home
        # council whose name holds markup (the notice names no council).
        second = hostile.hostile_referral(practitioner, date_of_birth=referral.date_of_birth)
        council = Council.objects.create(
            name=hostile.ORGANISATION_NAME[:150], front_door_email="mash@hostileshire.example"
        )
        referral_record_home_council(referral=referral, user=lead, council=council)

        every_referrer_loop_email(
            referral,
            lead,
            question=f"Question {hostile.ALL}",
            answer=f"Answer {hostile.ALL}",
            information=f"Information {hostile.ALL}",
        )
        # h19b: a partner agency and its user whose names hold markup.
        police = OrganisationFactory(name=f"Police {hostile.ALL}"[:200], kind="police")
        partner = UserFactory(
            organisation=police, roles=[Role.PARTNER], full_name=hostile.TRIAGER_NAME
        )
        every_partner_email(
            referral, lead, partner, question=f"Q {hostile.ALL}", answer=f"A {hostile.ALL}"
        )
        # h20a: break-glass by a manager whose reason holds the hostile corpus.
        referral_break_glass(
            user=UserFactory(roles=[Role.MANAGER], organisation=lead.organisation),
            referral=referral,
            reason=f"Reason {hostile.ALL}",
        )
        quarantined_attachment(referral, practitioner, name=f"File {hostile.ALL}"[:200])
        late = referral.decision_due_at + dt.timedelta(minutes=1)
        notifications_queue_overdue(now=late)
        notifications_queue_digest(now=late)
        triage.referral_decide(
            referral=referral,
            user=lead,
            contact_outcome="referral",
            next_step="s47",
            rationale=hostile.RATIONALE,
            message_to_referrer=hostile.MESSAGE,
        )
        every_handoff_email(second, lead, hostile.RATIONALE)
        user_invite(
            email="ivy.invited@example.org",
            full_name=hostile.REQUESTER["full_name"],
            job_title=hostile.REQUESTER["job_title"],
            organisation=practitioner.organisation,
            roles=[Role.PRACTITIONER],
        )
        account_request_create(
            email="ria.requester@testshire.sch.uk",
            organisation=practitioner.organisation,
            **hostile.REQUESTER,
        )

    sent = Notification.objects.filter(state=Notification.State.SENT)
    assert set(sent.values_list("kind", flat=True)) == EMAILED_KINDS
    assert len(mail.outbox) == sent.count() + 2  # and the invitation and the request link
    for message in mail.outbox:
        headers = [str(value) for value in message.extra_headers.values()]
        whole = "\n".join([message.subject, message.body, *headers])
        assert hostile_leaks(whole) == [], message.subject


def test_the_hostile_search_would_notice_a_leak():
    assert hostile_leaks("From Pat &lt;b id=x&gt; about {{7*7}}") == ["&lt;b id=x&gt;", "{{7*7}}"]
