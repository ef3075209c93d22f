"""Working a referral through the pages a triage worker uses: claim, assign, decide,
reopen, close, case notes and the message to the referrer."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from referrals.models import (
    AuditEvent,
    ContactOutcome,
    Notification,
    Outcome,
    ReferralEvent,
    Status,
)
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.triage import claimed_referral, closed_referral, decided_referral, london


def _post(client, user, name, referral, data=None):
    sign_in(client, user)
    return client.post(reverse(name, args=[referral.reference]), data or {})


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _follow(client, user, name, referral, data=None):
    sign_in(client, user)
    return client.post(reverse(name, args=[referral.reference]), data or {}, follow=True)


def _kinds(referral) -> list[str]:
    return list(referral.events.order_by("id").values_list("kind", flat=True))


# --- Claim and assign -----------------------------------------------------------


@pytest.mark.django_db
def test_claiming_an_unassigned_referral_puts_it_in_triage_with_me(client, triager):
    referral = submitted_referral()
    response = _post(client, triager, "referral_claim", referral)
    assert response.status_code == 302
    assert response["Location"] == reverse("referral_detail", args=[referral.reference]) + "#triage"
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE
    assert referral.assigned_to == triager
    assert referral.claimed_at is not None
    assert _kinds(referral)[-1] == ReferralEvent.Kind.CLAIMED
    assert AuditEvent.objects.filter(action="referral.claimed", referral=referral).exists()


@pytest.mark.django_db
def test_claiming_a_referral_someone_has_is_refused_and_says_who(client, triager, other_triager):
    referral = claimed_referral(other_triager)
    response = _follow(client, triager, "referral_claim", referral)
    assert f"{referral.reference} has already been claimed by Tom Testtriage." in _messages(
        response
    )
    referral.refresh_from_db()
    assert referral.assigned_to == other_triager


@pytest.mark.django_db
def test_claiming_a_decided_referral_is_refused(client, triager, other_triager):
    referral = decided_referral(triager)
    response = _follow(client, other_triager, "referral_claim", referral)
    assert f"{referral.reference} cannot be claimed: it is decided." in _messages(response)


@pytest.mark.django_db
def test_a_referral_can_be_assigned_and_reassigned(client, triager, other_triager):
    referral = submitted_referral()
    _post(client, triager, "referral_assign", referral, {"assignee": other_triager.pk})
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_to) == (Status.IN_TRIAGE, other_triager)
    _post(client, triager, "referral_assign", referral, {"assignee": triager.pk})
    referral.refresh_from_db()
    assert referral.assigned_to == triager
    texts = referral.events.filter(kind="assigned").order_by("id").values_list("text", flat=True)
    assert list(texts) == ["Assigned to Tom Testtriage", "Assigned to Tara Testtriage"]


@pytest.mark.django_db
def test_a_referral_cannot_be_assigned_to_someone_outside_triage(client, triager, practitioner):
    referral = submitted_referral()
    response = _follow(client, triager, "referral_assign", referral, {"assignee": practitioner.pk})
    assert "Choose who to assign the referral to." in _messages(response)
    referral.refresh_from_db()
    assert referral.assigned_to is None


@pytest.mark.django_db
def test_a_decided_referral_cannot_be_reassigned(client, triager, other_triager):
    referral = decided_referral(triager)
    response = _follow(client, triager, "referral_assign", referral, {"assignee": other_triager.pk})
    assert f"{referral.reference} cannot be assigned: it is decided." in _messages(response)


# --- Decide ---------------------------------------------------------------------


def _decision(
    contact_outcome=ContactOutcome.REFERRAL,
    rationale="Strategy discussion needed today.",
    **extra,
):
    """A decision as the form posts it; a referral goes to a strategy discussion."""
    if contact_outcome == ContactOutcome.REFERRAL:
        extra.setdefault("next_step", Outcome.S47)
    if contact_outcome == ContactOutcome.SCREENING_NOT_REQUIRED:
        extra.setdefault("screening_reason", "not_at_risk")
    return {"contact_outcome": contact_outcome, "rationale": rationale, **extra}


@pytest.mark.django_db
def test_recording_a_decision_stores_it_and_tells_the_referrer_there_is_an_update(client, triager):
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        referral = claimed_referral(triager)
    with time_machine.travel(london(2026, 3, 3, 9, 30), tick=False):
        response = _post(
            client,
            triager,
            "referral_decide",
            referral,
            _decision(message_to_referrer="A strategy discussion is being held."),
        )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.DECIDED
    assert referral.contact_outcome == ContactOutcome.REFERRAL
    assert referral.outcome == Outcome.S47
    assert referral.cin_referral_date == dt.date(2026, 3, 3)  # the day decided, in London
    assert referral.decision_rationale == "Strategy discussion needed today."
    assert referral.decided_by == triager
    assert referral.decided_at == london(2026, 3, 3, 9, 30)
    assert referral.time_to_decision == dt.timedelta(hours=23, minutes=30)
    assert referral.message_to_referrer == "A strategy discussion is being held."
    assert _kinds(referral)[-2:] == [ReferralEvent.Kind.DECIDED, ReferralEvent.Kind.MESSAGE]
    assert AuditEvent.objects.filter(action="referral.decided", referral=referral).exists()
    outcome_mail = Notification.objects.get(referral=referral, kind=Notification.Kind.OUTCOME)
    assert outcome_mail.recipient == referral.author


@pytest.mark.django_db
@pytest.mark.parametrize(
    "outcome", [o.value for o in ContactOutcome if o != ContactOutcome.ADULT_SAFEGUARDING]
)
def test_every_contact_outcome_for_a_child_can_be_recorded_with_a_rationale(
    client, triager, outcome
):
    referral = claimed_referral(triager, subject_type="child")
    _post(client, triager, "referral_decide", referral, _decision(contact_outcome=outcome))
    referral.refresh_from_db()
    assert (referral.status, referral.contact_outcome) == (Status.DECIDED, outcome)


@pytest.mark.django_db
def test_adult_safeguarding_can_be_recorded_for_an_adult(client, triager):
    referral = claimed_referral(triager, subject_type="adult", date_of_birth=dt.date(1960, 1, 1))
    decision = _decision(contact_outcome=ContactOutcome.ADULT_SAFEGUARDING)
    _post(client, triager, "referral_decide", referral, decision)
    referral.refresh_from_db()
    assert referral.contact_outcome == ContactOutcome.ADULT_SAFEGUARDING
    assert (referral.outcome, referral.cin_referral_date) == ("", None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("subject_type", "outcome"),
    [
        ("child", ContactOutcome.ADULT_SAFEGUARDING),
        ("adult", ContactOutcome.REFERRAL),
        ("adult", ContactOutcome.EARLY_HELP),
    ],
)
def test_an_outcome_that_does_not_apply_to_the_person_is_refused(
    client, triager, subject_type, outcome
):
    referral = claimed_referral(
        triager, subject_type=subject_type, date_of_birth=dt.date(1990, 1, 1)
    )
    decision = _decision(contact_outcome=outcome)
    response = _post(client, triager, "referral_decide", referral, decision)
    assert response.status_code == 200
    assert "Choose the contact outcome" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE


@pytest.mark.django_db
def test_a_decision_without_a_rationale_is_explained_and_keeps_what_was_typed(client, triager):
    referral = claimed_referral(triager)
    response = _post(
        client,
        triager,
        "referral_decide",
        referral,
        _decision(rationale="   ", message_to_referrer="Kept message"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert html.count("Give the reasons for the decision") == 2  # summary and field
    assert "Kept message" in html
    assert re.search(r'value="referral"\s+checked', html)  # the chosen outcome is kept
    assert re.search(r'value="s47"\s+checked', html)  # and its next step
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE


@pytest.mark.django_db
def test_a_decision_on_an_unclaimed_referral_is_refused(client, triager):
    referral = submitted_referral()
    response = _follow(client, triager, "referral_decide", referral, _decision())
    assert "A decision cannot be recorded: the referral is submitted." in _messages(response)
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED


@pytest.mark.django_db
def test_only_the_assigned_worker_can_record_the_decision(client, triager, other_triager):
    referral = claimed_referral(other_triager)
    response = _follow(client, triager, "referral_decide", referral, _decision())
    assert (
        "Claim the referral, or ask for it to be assigned to you, before recording a decision."
        in _messages(response)
    )
    assert AuditEvent.objects.filter(
        action="referral.transition_refused", referral=referral, outcome="denied"
    ).exists()


@pytest.mark.django_db
def test_a_referral_cannot_be_decided_twice(client, triager):
    referral = decided_referral(triager)
    response = _follow(
        client, triager, "referral_decide", referral, _decision(ContactOutcome.POLICE)
    )
    assert "A decision cannot be recorded: the referral is decided." in _messages(response)
    referral.refresh_from_db()
    assert (referral.contact_outcome, referral.outcome) == (ContactOutcome.REFERRAL, Outcome.S47)


@pytest.mark.django_db
def test_extra_posted_fields_change_nothing(client, triager, other_triager):
    referral = claimed_referral(triager)
    _post(
        client,
        triager,
        "referral_decide",
        referral,
        _decision(status="closed", decided_by=other_triager.pk, legal_hold="on"),
    )
    referral.refresh_from_db()
    assert referral.status == Status.DECIDED
    assert referral.decided_by == triager
    assert referral.legal_hold is False


# --- Reopen and close -----------------------------------------------------------


@pytest.mark.django_db
def test_reopening_needs_a_reason(client, triager):
    referral = decided_referral(triager)
    response = _post(client, triager, "referral_reopen", referral, {"reason": " "})
    assert response.status_code == 200
    assert "Give the reason for reopening the decision" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.DECIDED


@pytest.mark.django_db
def test_reopening_with_a_reason_returns_the_referral_to_triage_and_keeps_the_history(
    client, triager, other_triager
):
    referral = decided_referral(triager)
    _post(
        client,
        other_triager,
        "referral_reopen",
        referral,
        {"reason": "Police shared new intelligence."},
    )
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE
    assert referral.assigned_to == other_triager
    assert referral.outcome == "" and referral.decided_at is None
    assert _kinds(referral)[-2:] == [ReferralEvent.Kind.DECIDED, ReferralEvent.Kind.REOPENED]
    assert referral.events.get(kind="reopened").text == "Police shared new intelligence."
    assert AuditEvent.objects.filter(action="referral.reopened", referral=referral).exists()


@pytest.mark.django_db
def test_a_closed_referral_can_be_reopened_with_a_reason(client, triager):
    referral = closed_referral(triager)
    _post(client, triager, "referral_reopen", referral, {"reason": "A second concern arrived."})
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE


@pytest.mark.django_db
def test_an_undecided_referral_cannot_be_reopened(client, triager):
    referral = claimed_referral(triager)
    response = _follow(client, triager, "referral_reopen", referral, {"reason": "Why not"})
    assert f"{referral.reference} has no decision to reopen." in _messages(response)


@pytest.mark.django_db
def test_a_decided_referral_can_be_closed(client, triager):
    referral = decided_referral(triager)
    _post(client, triager, "referral_close", referral)
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED
    assert _kinds(referral)[-1] == ReferralEvent.Kind.CLOSED


@pytest.mark.django_db
@pytest.mark.parametrize("make", ["submitted", "claimed", "closed"])
def test_only_a_decided_referral_can_be_closed(client, triager, make):
    referral = {
        "submitted": lambda: submitted_referral(),
        "claimed": lambda: claimed_referral(triager),
        "closed": lambda: closed_referral(triager),
    }[make]()
    before = referral.status
    response = _follow(client, triager, "referral_close", referral)
    assert any("cannot be closed" in m for m in _messages(response))
    referral.refresh_from_db()
    assert referral.status == before


# --- Notes and messages ---------------------------------------------------------


@pytest.mark.django_db
def test_a_case_note_keeps_when_it_happened_apart_from_when_it_was_recorded(client, triager):
    referral = claimed_referral(triager)
    with time_machine.travel(london(2026, 3, 4, 15, 0), tick=False):
        _post(
            client,
            triager,
            "referral_note",
            referral,
            {
                "text": "Phoned the school; they confirmed the missing episodes.",
                "occurred_on_0": "3",
                "occurred_on_1": "3",
                "occurred_on_2": "2026",
                "occurred_time": "09:15",
            },
        )
    note = referral.events.get(kind=ReferralEvent.Kind.NOTE)
    assert note.occurred_at == london(2026, 3, 3, 9, 15)
    assert note.recorded_at == london(2026, 3, 4, 15, 0)
    assert note.actor == triager
    assert AuditEvent.objects.filter(action="referral.note_added", referral=referral).exists()


@pytest.mark.django_db
def test_a_case_note_without_a_time_happened_now(client, triager):
    referral = submitted_referral()
    with time_machine.travel(london(2026, 3, 4, 15, 0), tick=False):
        _post(client, triager, "referral_note", referral, {"text": "Checked the records."})
    note = referral.events.get(kind=ReferralEvent.Kind.NOTE)
    assert note.occurred_at == note.recorded_at == london(2026, 3, 4, 15, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Enter the case note"),
        ({"text": "x", "occurred_time": "25:00"}, "Enter the time like 14:30"),
        ({"text": "x", "occurred_time": "10:00"}, "Enter the date it happened as well as the time"),
        (
            {"text": "x", "occurred_on_0": "1", "occurred_on_1": "1", "occurred_on_2": "2099"},
            "The date it happened must be today or in the past",
        ),
        (
            {"text": "x", "occurred_on_0": "31", "occurred_on_1": "2", "occurred_on_2": "2026"},
            "The date it happened must be a real date",
        ),
    ],
)
def test_a_case_note_with_bad_input_is_explained(client, triager, data, message):
    referral = submitted_referral()
    response = _post(client, triager, "referral_note", referral, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "govuk-error-summary" in html
    assert not referral.events.filter(kind=ReferralEvent.Kind.NOTE).exists()


@pytest.mark.django_db
def test_a_message_to_the_referrer_is_stored_and_in_the_chronology(client, triager):
    referral = decided_referral(triager)
    _post(client, triager, "referral_message", referral, {"text": "Early help is offered."})
    referral.refresh_from_db()
    assert referral.message_to_referrer == "Early help is offered."
    assert referral.events.filter(kind="message", text="Early help is offered.").exists()
    assert AuditEvent.objects.filter(action="referral.message_sent", referral=referral).exists()


@pytest.mark.django_db
def test_a_message_before_a_decision_is_refused(client, triager):
    referral = claimed_referral(triager)
    response = _follow(client, triager, "referral_message", referral, {"text": "Hello"})
    assert "Record a decision before sending the referrer its outcome." in _messages(response)


@pytest.mark.django_db
def test_the_referrer_sees_the_outcome_and_message_in_my_referrals(client, triager):
    referral = claimed_referral(triager)
    _post(
        client,
        triager,
        "referral_decide",
        referral,
        _decision(message_to_referrer="A strategy discussion is being held."),
    )
    practitioner_client = Client()
    sign_in(practitioner_client, referral.author)
    html = practitioner_client.get(reverse("referral_mine")).content.decode()
    assert "Child-protection strategy discussion (section 47)" in html
    assert "A strategy discussion is being held." in html
    assert "Strategy discussion needed today." not in html  # the rationale is triage's


# --- Who may, and how ----------------------------------------------------------

ACTIONS = [
    "referral_claim",
    "referral_assign",
    "referral_decide",
    "referral_reopen",
    "referral_close",
    "referral_note",
    "referral_message",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("persona", ["practitioner", "manager"])
def test_people_outside_triage_get_not_found_for_every_action(client, request, name, persona):
    user = request.getfixturevalue(persona)
    referral = submitted_referral(author=request.getfixturevalue("practitioner"))
    assert _post(client, user, name, referral).status_code == 404
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACTIONS)
def test_a_draft_cannot_be_worked(client, triager, name):
    from tests.factories import ReferralFactory

    draft = ReferralFactory(reference="CL-DRAFT-1")
    assert _post(client, triager, name, draft).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["referral_claim", "referral_assign", "referral_close"])
def test_get_never_changes_state(client, triager, name):
    referral = decided_referral(triager) if name == "referral_close" else submitted_referral()
    sign_in(client, triager)
    assert client.get(reverse(name, args=[referral.reference])).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["referral_decide", "referral_reopen", "referral_note", "referral_message"]
)
def test_the_form_pages_show_a_form_without_changing_anything(client, triager, name):
    referral = claimed_referral(triager)
    before = _kinds(referral)
    sign_in(client, triager)
    response = client.get(reverse(name, args=[referral.reference]))
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert _kinds(referral) == before


@pytest.mark.django_db
def test_actions_need_the_csrf_token(triager):
    referral = submitted_referral()
    client = Client(enforce_csrf_checks=True)
    sign_in(client, triager)
    response = client.post(reverse("referral_claim", args=[referral.reference]))
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.assigned_to is None
