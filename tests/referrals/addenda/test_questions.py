"""The intake team asks the referrer a question; the referrer answers it (issue 19, the
referrer loop). Through the pages each of them uses."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from referrals.models import (
    Addendum,
    AuditEvent,
    Disclosure,
    Notification,
    Referral,
    ReferralEvent,
    ReferrerQuestion,
)
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.addenda import ANSWER, QUESTION, answered_question, asked_question
from tests.factories.triage import claimed_referral, london

# A Wednesday: one working day later is Thursday 17:00.
WEDNESDAY = london(2026, 3, 25, 10, 0)


def _ask(client, triager, referral, data):
    sign_in(client, triager)
    return client.post(reverse("referral_question_ask", args=[referral.reference]), data)


def _answer(client, practitioner, question, data):
    sign_in(client, practitioner)
    url = reverse("referral_question_answer", args=[question.referral.reference, question.pk])
    return client.post(url, data)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.django_db
def test_triage_asks_a_question_due_in_one_working_day_and_the_referrer_is_told(
    client, triager, practitioner
):
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = claimed_referral(triager, author=practitioner)
        due_before = referral.decision_due_at
        response = _ask(client, triager, referral, {"text": QUESTION, "form_token": uuid.uuid4()})

    assert response.status_code == 302
    question = ReferrerQuestion.objects.get(referral=referral)
    assert (question.text, question.asked_by) == (QUESTION, triager)
    assert question.due_at == london(2026, 3, 26, 17, 0)
    referral.refresh_from_db()
    assert referral.waiting_on_referrer_since == WEDNESDAY
    assert referral.decision_due_at == due_before  # the statutory clock never pauses
    told = Notification.objects.get(kind=Notification.Kind.REFERRER_QUESTION)
    assert (told.recipient, told.recipient_email) == (practitioner, practitioner.email)
    # A message to the referrer is a disclosure, in the information-sharing log.
    logged = Disclosure.objects.get(referral=referral)
    assert (logged.kind, logged.recipient, logged.decided_by) == (
        Disclosure.Kind.REFERRER_MESSAGE,
        "The referrer",
        triager,
    )
    assert referral.events.filter(kind=ReferralEvent.Kind.QUESTION, text=QUESTION).exists()
    assert AuditEvent.objects.filter(action="referral.question_asked", referral=referral).exists()


@pytest.mark.django_db
def test_the_asker_may_choose_the_day_the_answer_is_needed_by_but_not_a_past_one(client, triager):
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = claimed_referral(triager)
        day = {"due_on_0": "27", "due_on_1": "3", "due_on_2": "2026"}
        past = {"due_on_0": "24", "due_on_1": "3", "due_on_2": "2026"}
        token = str(uuid.uuid4())
        refused = _ask(client, triager, referral, {"text": QUESTION, "form_token": token, **past})
        _ask(client, triager, referral, {"text": QUESTION, "form_token": token, **day})

    assert refused.status_code == 200
    assert "must be in the future" in refused.content.decode()
    assert QUESTION.replace("'", "&#x27;") in refused.content.decode()  # nothing typed is lost
    assert ReferrerQuestion.objects.get().due_at == london(2026, 3, 27, 17, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, message",
    [
        ("   ", "Enter the question for the referrer"),
        ("Zoë " * 2600, "10,000 characters or fewer"),
        ("Is it\x00 true?", "cannot contain a null character"),
    ],
    ids=["empty", "too long", "NUL"],
)
def test_a_bad_question_is_explained_and_loses_nothing_typed(client, triager, text, message):
    referral = claimed_referral(triager)
    response = _ask(client, triager, referral, {"text": text, "form_token": uuid.uuid4()})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    if text.strip() and "\x00" not in text:
        assert text.strip()[:40] in page
    assert not ReferrerQuestion.objects.exists()


@pytest.mark.django_db
def test_sending_the_same_question_form_twice_asks_once(client, triager):
    referral = claimed_referral(triager)
    data = {"text": QUESTION, "form_token": str(uuid.uuid4())}
    _ask(client, triager, referral, data)
    _ask(client, triager, referral, data)

    assert ReferrerQuestion.objects.count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.REFERRER_QUESTION).count() == 1


@pytest.mark.django_db
def test_a_lost_form_token_asks_again_for_the_form_and_keeps_the_question(client, triager):
    referral = claimed_referral(triager)
    response = _ask(client, triager, referral, {"text": QUESTION, "form_token": "not-a-token"})

    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert response.context["form"]["text"].value() == QUESTION
    assert not ReferrerQuestion.objects.exists()


@pytest.mark.django_db
def test_the_referrer_sees_the_question_in_my_referrals_and_on_the_referral_page(
    client, triager, practitioner
):
    referral = claimed_referral(triager, author=practitioner)
    question = asked_question(referral, triager)
    sign_in(client, practitioner)

    mine = client.get(reverse("referral_mine")).content.decode()
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()

    assert "Question from the intake team" in mine
    assert "The intake team has a question for you about 1 referral" in mine
    assert "Has Zoë been seen" in page
    assert reverse("referral_question_answer", args=[referral.reference, question.pk]) in page
    assert "Send answer" in page


@pytest.mark.django_db
def test_the_referrer_s_answer_is_an_addendum_and_the_asker_is_told(
    client, triager, other_triager, practitioner
):
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = claimed_referral(other_triager, author=practitioner)
        due_before = referral.decision_due_at
        question = asked_question(referral, triager)
    with time_machine.travel(WEDNESDAY + dt.timedelta(hours=3), tick=False):
        response = _answer(
            client, practitioner, question, {"body": ANSWER, "form_token": uuid.uuid4()}
        )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer.kind == Addendum.Kind.ANSWER
    assert (question.answer.body, question.answer.author) == (ANSWER, practitioner)
    assert question.answered_at == WEDNESDAY + dt.timedelta(hours=3)
    referral.refresh_from_db()
    assert referral.waiting_on_referrer_since is None
    assert referral.has_new_information
    assert referral.decision_due_at == due_before
    told = Notification.objects.get(kind=Notification.Kind.REFERRER_ANSWER)
    assert told.recipient == triager  # the asker, not the assignee
    assert referral.events.filter(kind=ReferralEvent.Kind.ANSWER, text=ANSWER).exists()
    assert AuditEvent.objects.filter(action="referral.question_answered").exists()


@pytest.mark.django_db
def test_sending_the_same_answer_twice_answers_once_and_a_second_answer_is_refused(
    client, triager, practitioner
):
    referral = claimed_referral(triager, author=practitioner)
    question = asked_question(referral, triager)
    data = {"body": ANSWER, "form_token": str(uuid.uuid4())}
    _answer(client, practitioner, question, data)
    _answer(client, practitioner, question, data)
    url = reverse("referral_question_answer", args=[referral.reference, question.pk])
    later = client.post(url, {"body": "More", "form_token": uuid.uuid4()}, follow=True)

    assert Addendum.objects.count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.REFERRER_ANSWER).count() == 1
    assert any("already been answered" in m for m in _messages(later))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, message",
    [
        ("", "Enter your answer"),
        ("Ø" * 10_001, "10,000 characters or fewer"),
        ("a\x00b", "cannot contain a null character"),
    ],
    ids=["empty", "too long", "NUL"],
)
def test_a_bad_answer_is_explained_and_loses_nothing_typed(
    client, triager, practitioner, body, message
):
    referral = claimed_referral(triager, author=practitioner)
    question = asked_question(referral, triager)
    response = _answer(client, practitioner, question, {"body": body, "form_token": uuid.uuid4()})

    assert response.status_code == 200
    assert message in response.content.decode()
    if body and "\x00" not in body:
        assert response.context["form"]["body"].value() == body
    assert not Addendum.objects.exists()


@pytest.mark.django_db
def test_only_the_referrer_may_answer_and_others_get_a_404_that_is_audited(
    client, triager, practitioner, colleague, other_practitioner
):
    referral = claimed_referral(triager, author=practitioner)
    question = asked_question(referral, triager)
    for user in (colleague, other_practitioner, triager):
        client.logout()
        response = _answer(client, user, question, {"body": ANSWER, "form_token": uuid.uuid4()})
        assert response.status_code == 404, user
    assert not Addendum.objects.exists()
    assert AuditEvent.objects.filter(
        action="referral.question_answered", outcome=AuditEvent.Outcome.DENIED
    ).exists()


@pytest.mark.django_db
def test_a_colleague_with_organisation_wide_view_may_answer(
    client, triager, practitioner, colleague
):
    colleague.organisation_wide_view = True
    colleague.save()
    referral = claimed_referral(triager, author=practitioner)
    question = asked_question(referral, triager)
    response = _answer(client, colleague, question, {"body": ANSWER, "form_token": uuid.uuid4()})

    assert response.status_code == 302
    assert Addendum.objects.get().author == colleague


@pytest.mark.django_db
def test_a_question_of_another_referral_is_404_on_this_one(client, triager, practitioner):
    mine = claimed_referral(triager, author=practitioner)
    theirs = asked_question(submitted_referral(), triager)
    sign_in(client, practitioner)
    url = reverse("referral_question_answer", args=[mine.reference, theirs.pk])

    assert client.get(url).status_code == 404
    assert client.get(url.replace(str(theirs.pk), "99999")).status_code == 404


@pytest.mark.django_db
def test_withdrawing_the_question_stops_the_wait_and_the_referrer_can_no_longer_answer(
    client, triager, practitioner
):
    referral = claimed_referral(triager, author=practitioner)
    question = asked_question(referral, triager)
    sign_in(client, triager)
    url = reverse("referral_question_withdraw", args=[referral.reference, question.pk])
    client.post(url)

    question.refresh_from_db()
    referral.refresh_from_db()
    assert question.withdrawn_at is not None and question.withdrawn_by == triager
    assert referral.waiting_on_referrer_since is None
    response = _answer(client, practitioner, question, {"body": ANSWER, "form_token": uuid.uuid4()})
    assert any("already been withdrawn" in m for m in _messages(client.get(response.url)))
    assert not Addendum.objects.exists()


@pytest.mark.django_db
def test_waiting_on_the_referrer_never_pauses_the_statutory_clock(triager, practitioner):
    with time_machine.travel(WEDNESDAY, tick=False):
        referral = claimed_referral(triager, author=practitioner)
        due = referral.decision_due_at
        asked_question(referral, triager)
    referral.refresh_from_db()
    assert referral.decision_due_at == due
    assert referral.is_overdue(due + dt.timedelta(minutes=1))
    assert Referral.objects.overdue(due + dt.timedelta(minutes=1)).filter(pk=referral.pk).exists()
    answered_question(referral, triager, practitioner, now=due + dt.timedelta(hours=1))
    referral.refresh_from_db()
    assert referral.decision_due_at == due


@pytest.mark.django_db
def test_the_triage_panel_offers_the_question_and_shows_its_state(client, triager, practitioner):
    referral = claimed_referral(triager, author=practitioner)
    sign_in(client, triager)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert reverse("referral_question_ask", args=[referral.reference]) in page

    asked_question(referral, triager)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Waiting on referrer" in page and "Waiting for an answer" in page
    assert "Withdraw the question" in page


@pytest.mark.django_db
def test_an_answered_question_no_longer_shows_in_my_referrals(client, triager, practitioner):
    referral = claimed_referral(triager, author=practitioner)
    answered_question(referral, triager, practitioner)
    sign_in(client, practitioner)
    mine = client.get(reverse("referral_mine")).content.decode()
    assert "Question from the intake team" not in mine
    assert "has a question for you" not in mine


@pytest.mark.django_db
def test_markup_and_template_code_in_a_question_and_its_answer_are_shown_as_typed(
    client, triager, practitioner
):
    hostile = '<script>alert("Zoë")</script>{{ 7|add:7 }}{% debug %}'
    referral = claimed_referral(triager, author=practitioner)
    answered_question(referral, triager, practitioner, text=f"Q {hostile}", body=f"A {hostile}")
    for user in (practitioner, triager):
        client.logout()
        sign_in(client, user)
        page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&quot;Zoë&quot;)&lt;/script&gt;{{ 7|add:7 }}{% debug %}" in page
        assert ">14<" not in page


@pytest.mark.django_db
def test_a_closed_referral_cannot_be_asked_about_until_it_is_reopened(client, triager):
    from tests.factories.triage import closed_referral

    referral = closed_referral(triager)
    sign_in(client, triager)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Ask the referrer a question" not in page
    response = _ask(client, triager, referral, {"text": QUESTION, "form_token": uuid.uuid4()})

    assert any("reopen it" in m for m in _messages(client.get(response.url)))
    assert not ReferrerQuestion.objects.exists()
