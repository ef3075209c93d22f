"""The referrer adds information to a submitted referral at any time, or replies to the
intake team's message; triage see it badged in the queue and in the chronology
(issue 19, the referrer loop)."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from referrals.exports.documents import referral_pdf_context, referral_pdf_html
from referrals.models import Addendum, AuditEvent, Export, Notification, Referral, ReferralEvent
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.addenda import (
    ANSWER,
    INFORMATION,
    added_information,
    answered_question,
    asked_question,
)
from tests.factories.triage import claimed_referral, closed_referral, decided_referral, london


def _add(client, user, referral, data, name="referral_add_information"):
    sign_in(client, user)
    return client.post(reverse(name, args=[referral.reference]), data)


def _queue(client, triager) -> str:
    sign_in(client, triager)
    return client.get(reverse("triage_queue")).content.decode()


@pytest.mark.django_db
def test_the_referrer_adds_information_and_the_assignee_is_told(client, triager, practitioner):
    referral = claimed_referral(triager, author=practitioner)
    response = _add(
        client, practitioner, referral, {"body": INFORMATION, "form_token": uuid.uuid4()}
    )

    assert response.status_code == 302
    addendum = Addendum.objects.get()
    assert (addendum.kind, addendum.body, addendum.author) == (
        Addendum.Kind.INFORMATION,
        INFORMATION,
        practitioner,
    )
    assert addendum.author_role.endswith(practitioner.organisation.name)
    referral.refresh_from_db()
    assert referral.has_new_information
    assert referral.concern != INFORMATION  # an addendum, never an edit of the referral
    told = Notification.objects.get(kind=Notification.Kind.NEW_INFORMATION)
    assert told.recipient == triager
    assert referral.events.filter(kind=ReferralEvent.Kind.INFORMATION, text=INFORMATION).exists()
    assert AuditEvent.objects.filter(action="referral.information_added").exists()


@pytest.mark.django_db
def test_information_on_an_unassigned_referral_goes_to_the_intake_mailbox(
    client, practitioner, settings
):
    referral = submitted_referral(author=practitioner)
    added_information(referral, practitioner)

    told = Notification.objects.filter(kind=Notification.Kind.NEW_INFORMATION)
    assert sorted(told.values_list("recipient_email", flat=True)) == sorted(
        settings.INTAKE_MAILBOXES
    )


@pytest.mark.django_db
def test_information_can_be_added_after_the_decision_and_after_closing(
    client, triager, practitioner
):
    for referral in (
        decided_referral(triager, author=practitioner),
        closed_referral(triager, author=practitioner),
    ):
        _add(client, practitioner, referral, {"body": INFORMATION, "form_token": uuid.uuid4()})
    assert Addendum.objects.count() == 2


@pytest.mark.django_db
def test_sending_the_same_information_twice_adds_it_once(client, triager, practitioner):
    referral = claimed_referral(triager, author=practitioner)
    data = {"body": INFORMATION, "form_token": str(uuid.uuid4())}
    _add(client, practitioner, referral, data)
    _add(client, practitioner, referral, data)

    assert Addendum.objects.count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.NEW_INFORMATION).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, message",
    [
        ("  ", "Enter the information you want to add"),
        ("Æ" * 10_001, "10,000 characters or fewer"),
        ("a\x00b", "cannot contain a null character"),
    ],
    ids=["empty", "too long", "NUL"],
)
def test_bad_information_is_explained_and_loses_nothing_typed(
    client, triager, practitioner, body, message
):
    referral = claimed_referral(triager, author=practitioner)
    response = _add(client, practitioner, referral, {"body": body, "form_token": uuid.uuid4()})

    assert response.status_code == 200
    assert message in response.content.decode()
    if body.strip() and "\x00" not in body:
        assert response.context["form"]["body"].value() == body
    assert not Addendum.objects.exists()


@pytest.mark.django_db
def test_only_the_referrer_may_add_information(client, triager, practitioner, other_practitioner):
    referral = claimed_referral(triager, author=practitioner)
    for user in (other_practitioner, triager):
        client.logout()
        response = _add(client, user, referral, {"body": INFORMATION, "form_token": uuid.uuid4()})
        assert response.status_code == 404
    assert not Addendum.objects.exists()


@pytest.mark.django_db
def test_the_referrer_replies_to_the_intake_team_s_message(client, triager, practitioner):
    referral = decided_referral(triager, author=practitioner, message="A social worker will call.")
    sign_in(client, practitioner)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Send reply" in page

    response = _add(
        client,
        practitioner,
        referral,
        {"body": "Thank you, Zoë's mum knows.", "form_token": uuid.uuid4()},
        "referral_reply",
    )

    assert response.status_code == 302
    assert Addendum.objects.get().kind == Addendum.Kind.REPLY
    assert referral.events.filter(kind=ReferralEvent.Kind.REPLY).exists()
    assert Notification.objects.filter(kind=Notification.Kind.NEW_INFORMATION).exists()


@pytest.mark.django_db
def test_there_is_no_reply_without_a_message(client, triager, practitioner):
    referral = claimed_referral(triager, author=practitioner)
    response = _add(
        client,
        practitioner,
        referral,
        {"body": "Hello", "form_token": uuid.uuid4()},
        "referral_reply",
    )
    sign_in(client, practitioner)
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert any("no message to reply to" in m for m in messages)
    assert not Addendum.objects.exists()


@pytest.mark.django_db
def test_the_queue_badges_new_information_until_the_assignee_opens_the_referral(
    client, triager, other_triager, practitioner
):
    referral = claimed_referral(triager, author=practitioner)
    added_information(referral, practitioner)
    assert "New information" in _queue(client, triager)

    client.logout()
    sign_in(client, other_triager)
    client.get(reverse("referral_detail", args=[referral.reference]))
    assert Referral.objects.get(pk=referral.pk).has_new_information  # not the assignee

    client.logout()
    sign_in(client, triager)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "New information" in page  # shown once, on the visit that clears it
    assert INFORMATION.replace("'", "&#x27;") in page  # in the chronology
    assert not Referral.objects.get(pk=referral.pk).has_new_information
    assert "New information" not in _queue(client, triager)


@pytest.mark.django_db
def test_the_queue_shows_waiting_on_the_referrer_and_for_how_long(client, triager, practitioner):
    asked = london(2026, 3, 25, 10, 0)
    with time_machine.travel(asked, tick=False):
        referral = claimed_referral(triager, author=practitioner)
        asked_question(referral, triager)
    with time_machine.travel(asked + dt.timedelta(hours=2, minutes=5), tick=False):
        queue = _queue(client, triager)
    assert "Waiting on referrer" in queue
    assert "for 2 hours, 5 minutes" in queue

    answered = referral.referrer_questions.get()
    answered.referral = referral
    from referrals.addenda.services import question_answer

    question_answer(question=answered, user=practitioner, body=ANSWER, form_token=uuid.uuid4())
    assert "Waiting on referrer" not in _queue(client, triager)


@pytest.mark.django_db
def test_the_triage_pdf_chronology_lists_the_question_the_answer_and_the_information(
    triager, practitioner
):
    referral = claimed_referral(triager, author=practitioner)
    answered_question(referral, triager, practitioner)
    added_information(referral, practitioner)
    export = Export.objects.create(referral=referral, requested_by=triager)

    events = referral_pdf_context(export)["events"]
    kinds = [e["kind"] for e in events]
    assert "Question to the referrer" in kinds
    assert "Answer from the referrer" in kinds
    assert "Information added by the referrer" in kinds
    assert any(e["text"] == INFORMATION for e in events)
    assert "Answer from the referrer" in referral_pdf_html(export)


@pytest.mark.django_db
def test_a_pdf_withholding_the_referrer_withholds_who_added_information(
    triager, practitioner, colleague
):
    colleague.organisation_wide_view = True
    colleague.save()
    referral = claimed_referral(triager, author=practitioner)
    added_information(referral, colleague)
    export = Export.objects.create(referral=referral, requested_by=triager, redact_referrer=True)

    events = referral_pdf_context(export)["events"]
    added = next(e for e in events if e["kind"] == "Information added by the referrer")
    assert added["actor"] == "The referrer"
    assert colleague.full_name not in referral_pdf_html(export)


@pytest.mark.django_db
def test_the_referral_page_costs_the_same_queries_with_one_or_many_questions_and_addenda(
    client, triager, practitioner
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    referral = claimed_referral(triager, author=practitioner)
    answered_question(referral, triager, practitioner)
    added_information(referral, practitioner)
    url = reverse("referral_detail", args=[referral.reference])

    def cost(user) -> int:
        client.logout()
        sign_in(client, user)
        client.get(url)  # the sitting's "viewed" entry and the badge cleared
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    few = {user.pk: cost(user) for user in (triager, practitioner)}
    for _ in range(4):
        answered_question(referral, triager, practitioner)
        asked_question(referral, triager)
        added_information(referral, practitioner)
    assert {user.pk: cost(user) for user in (triager, practitioner)} == few


@pytest.mark.django_db
def test_the_referrer_s_pdf_lists_the_questions_and_what_was_added(triager, practitioner):
    referral = claimed_referral(triager, author=practitioner)
    answered_question(referral, triager, practitioner)
    added_information(referral, practitioner)
    export = Export.objects.create(referral=referral, requested_by=practitioner)

    rows = referral_pdf_context(export)["addenda"]
    assert [row["kind"] for row in rows] == [
        "Question from the intake team",
        "Answer from the referrer",
        "Information added by the referrer",
    ]
    html = referral_pdf_html(export)
    assert "Questions and information since the referral was sent" in html
    assert triager.full_name not in html
