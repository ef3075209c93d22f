"""Issue 18: triage records a coded contact outcome with its rationale; a referral to
children's social care has its next step and CIN referral date, a contact needing no
screening has its reason (and, for a duplicate, the contact it duplicates), and the
census factors are suggested from the warning signs answered yes."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from referrals.models import AuditEvent, ContactOutcome, Outcome, ReferralEvent, Status
from referrals.triage import services as triage
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.triage import claimed_referral, decided_referral, london

pytestmark = pytest.mark.django_db

RATIONALE = "Two missing episodes and a new phone."


def _post(client, user, referral, data):
    sign_in(client, user)
    url = reverse("referral_decide", args=[referral.reference])
    return client.post(url, {"decide": "", "rationale": RATIONALE, **data})


# The parts each outcome needs on the form.
PARTS = {
    ContactOutcome.REFERRAL: {"next_step": "s17"},
    ContactOutcome.SCREENING_NOT_REQUIRED: {"screening_reason": "other_area"},
}


@pytest.mark.parametrize("outcome", list(ContactOutcome))
def test_every_contact_outcome_is_recorded_for_the_person_it_applies_to(client, triager, outcome):
    adult = outcome == ContactOutcome.ADULT_SAFEGUARDING
    referral = claimed_referral(
        triager,
        subject_type="adult" if adult else "child",
        date_of_birth=dt.date(1980, 1, 1) if adult else dt.date(2012, 1, 1),
    )
    response = _post(
        client, triager, referral, {"contact_outcome": outcome, **PARTS.get(outcome, {})}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.DECIDED
    assert referral.contact_outcome == outcome
    assert referral.decision_rationale == RATIONALE
    assert (referral.cin_referral_date is not None) == (outcome == ContactOutcome.REFERRAL)
    assert referral.outcome == ("s17" if outcome == ContactOutcome.REFERRAL else "")
    audit = AuditEvent.objects.get(action="referral.decided", referral=referral)
    assert audit.detail["contact_outcome"] == outcome
    decided = referral.events.get(kind=ReferralEvent.Kind.DECIDED)
    assert decided.text.startswith(outcome.label) and decided.text.endswith(RATIONALE)


def test_a_referral_is_dated_the_day_decided_in_london_unless_a_date_is_given(client, triager):
    with time_machine.travel(london(2026, 3, 27, 9, 0), tick=False):
        today = claimed_referral(triager)
        earlier = claimed_referral(triager)
    # 00:30 on Saturday 28 March in London is still Friday in UTC.
    with time_machine.travel(london(2026, 3, 28, 0, 30), tick=False):
        _post(client, triager, today, {"contact_outcome": "referral", "next_step": "s47"})
        given = {
            "cin_referral_date_0": "27",
            "cin_referral_date_1": "3",
            "cin_referral_date_2": "2026",
        }
        _post(
            client, triager, earlier, {"contact_outcome": "referral", "next_step": "s17", **given}
        )
    today.refresh_from_db()
    earlier.refresh_from_db()
    assert today.cin_referral_date == dt.date(2026, 3, 28)
    assert earlier.cin_referral_date == dt.date(2026, 3, 27)
    assert today.outcome_label == (
        "Becomes a referral to children's social care: "
        "Child-protection strategy discussion (section 47)"
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (("1", "1", "2099"), "The referral date must be today or in the past"),
        (("1", "1", "2020"), "The referral date cannot be before the contact came in"),
        (("31", "2", "2026"), "The referral date must be a real date"),
    ],
)
def test_an_impossible_referral_date_is_explained(client, triager, day, message):
    referral = claimed_referral(triager)
    dates = dict(
        zip(["cin_referral_date_0", "cin_referral_date_1", "cin_referral_date_2"], day, strict=True)
    )
    response = _post(
        client, triager, referral, {"contact_outcome": "referral", "next_step": "s17", **dates}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE


def test_a_referral_needs_its_next_step(client, triager):
    referral = claimed_referral(triager)
    response = _post(client, triager, referral, {"contact_outcome": "referral"})
    assert "Choose the next step for the referral" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE


def test_a_duplicate_names_the_contact_it_duplicates_by_reference(client, triager):
    original = submitted_referral(first_name="Zoë", last_name="Łukasz-Testperson")
    referral = claimed_referral(triager)
    data = {
        "contact_outcome": "screening_not_required",
        "screening_reason": "duplicate",
        "duplicate_of": f" {original.reference.lower()} ",
    }
    assert _post(client, triager, referral, data).status_code == 302
    referral.refresh_from_db()
    assert referral.screening_reason == "duplicate"
    assert referral.duplicate_of == original
    assert original.reference in referral.events.get(kind=ReferralEvent.Kind.DECIDED).text
    assert (
        AuditEvent.objects.get(action="referral.decided", referral=referral).detail["duplicate_of"]
        == original.reference
    )
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert f"Duplicate of another contact: {original.reference}" in page


@pytest.mark.parametrize(
    ("duplicate_of", "message"),
    [
        ("", "Enter the reference of the contact it duplicates"),
        ("CL-1999-000001", "There is no contact with the reference CL-1999-000001"),
        ("self", "A contact cannot be a duplicate of itself"),
    ],
)
def test_a_duplicate_without_a_contact_it_duplicates_is_explained(
    client, triager, duplicate_of, message
):
    referral = claimed_referral(triager)
    data = {
        "contact_outcome": "screening_not_required",
        "screening_reason": "duplicate",
        "duplicate_of": referral.reference if duplicate_of == "self" else duplicate_of,
    }
    response = _post(client, triager, referral, data)
    assert message in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE


def test_screening_not_required_needs_its_reason(client, triager):
    referral = claimed_referral(triager)
    response = _post(client, triager, referral, {"contact_outcome": "screening_not_required"})
    assert "Choose why screening is not required" in response.content.decode()


def test_parts_of_another_outcome_are_not_kept(client, triager):
    original = submitted_referral()
    referral = claimed_referral(triager)
    data = {
        "contact_outcome": "nfa",
        "next_step": "s47",
        "screening_reason": "duplicate",
        "duplicate_of": original.reference,
        "cin_referral_date_0": "1",
        "cin_referral_date_1": "1",
        "cin_referral_date_2": "2026",
    }
    assert _post(client, triager, referral, data).status_code == 302
    referral.refresh_from_db()
    assert referral.contact_outcome == "nfa"
    assert (referral.outcome, referral.screening_reason, referral.duplicate_of) == ("", "", None)
    assert referral.cin_referral_date is None


def test_the_factors_the_warning_signs_suggest_are_ticked(client, triager):
    referral = claimed_referral(triager, yes_to=["cl-01", "cl-10"])
    sign_in(client, triager)
    page = client.get(reverse("referral_decide", args=[referral.reference])).content.decode()
    ticked = set(re.findall(r'name="factors"[^>]*value="(\w+)"\s+checked', page))
    assert ticked == {"10A", "11A", "12A", "23A"}


def test_factors_are_stored_and_no_factors_cannot_be_combined(client, triager):
    referral = claimed_referral(triager)
    data = {"contact_outcome": "nfa", "factors": ["21", "23A"]}
    response = _post(client, triager, referral, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("“No factors identified” cannot be combined with another factor") == 2
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE
    _post(client, triager, referral, {**data, "factors": ["23A", "10A"]})
    referral.refresh_from_db()
    assert referral.factors == ["23A", "10A"]
    other = claimed_referral(triager)
    _post(client, triager, other, {**data, "factors": ["21"]})
    other.refresh_from_db()
    assert other.factors == ["21"]


@pytest.mark.parametrize(
    ("parts", "refusal"),
    [
        ({"contact_outcome": "referral"}, "Choose the next step"),
        ({"contact_outcome": "nfa", "next_step": "s17"}, "only for a referral"),
        ({"contact_outcome": "screening_not_required"}, "Choose why screening"),
        (
            {"contact_outcome": "screening_not_required", "screening_reason": "duplicate"},
            "names the contact it duplicates",
        ),
        ({"contact_outcome": "nfa", "screening_reason": "other_area"}, "only when screening"),
        ({"contact_outcome": "nfa", "factors": ["21", "13A"]}, "cannot be combined"),
        ({"contact_outcome": "nfa", "factors": ["18A"]}, "Unknown factor"),
        ({"contact_outcome": "adult_safeguarding"}, "applies to the person"),
        ({"contact_outcome": "made_up"}, "applies to the person"),
    ],
)
def test_the_service_refuses_a_decision_whose_parts_do_not_fit(triager, parts, refusal):
    referral = claimed_referral(triager, subject_type="child")
    with pytest.raises(triage.TransitionRefused, match=refusal):
        triage.referral_decide(referral=referral, user=triager, rationale=RATIONALE, **parts)
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE


def test_reopening_clears_the_contact_outcome_and_keeps_it_in_the_chronology(triager):
    referral = decided_referral(triager)
    assert referral.cin_referral_date is not None
    triage.referral_reopen(referral=referral, user=triager, reason="New information.")
    referral.refresh_from_db()
    assert (referral.contact_outcome, referral.outcome, referral.cin_referral_date) == (
        "",
        "",
        None,
    )
    assert referral.events.filter(kind=ReferralEvent.Kind.DECIDED).exists()


def test_the_referrer_sees_the_contact_outcome_not_the_rationale(client, triager):
    referral = decided_referral(triager, contact_outcome=ContactOutcome.ADVICE, message="Call us.")
    sign_in(client, referral.author)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    mine = client.get(reverse("referral_mine")).content.decode()
    for html in (page, mine):
        assert "Advice or information only" in html
        assert "Several warning signs and a shared phone number." not in html
    assert "Contact record" not in page  # triage's record stays triage's


def test_the_triage_panel_shows_the_contact_record(client, triager):
    referral = decided_referral(triager, next_step=Outcome.S17)
    sign_in(client, triager)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Contact record" in page
    assert "2A: Schools" in page  # the practitioner's school
    assert "CIN referral date" in page
