"""The states a referral moves through: submitted -> in triage -> decided -> closed,
with reopening (from decided or closed, only with a reason) back to in triage."""

import itertools

import pytest

from referrals.models import ContactOutcome, Referral, Status, SubjectType

ALLOWED = {
    (Status.SUBMITTED, Status.IN_TRIAGE),
    (Status.IN_TRIAGE, Status.DECIDED),
    (Status.DECIDED, Status.CLOSED),
    (Status.DECIDED, Status.IN_TRIAGE),
    (Status.CLOSED, Status.IN_TRIAGE),
}
ALL_MOVES = list(itertools.product(Status, Status))


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_moves_are_allowed(current, target):
    assert Referral(status=current).can_move_to(target)


@pytest.mark.parametrize(("current", "target"), [move for move in ALL_MOVES if move not in ALLOWED])
def test_every_other_move_is_refused(current, target):
    assert not Referral(status=current).can_move_to(target)


def test_a_child_can_have_every_contact_outcome_but_adult_safeguarding():
    outcomes = Referral(subject_type=SubjectType.CHILD).allowed_contact_outcomes()
    assert set(outcomes) == set(ContactOutcome) - {ContactOutcome.ADULT_SAFEGUARDING}


def test_an_adult_cannot_have_the_childrens_outcomes():
    outcomes = Referral(subject_type=SubjectType.ADULT).allowed_contact_outcomes()
    children_only = {ContactOutcome.REFERRAL, ContactOutcome.EARLY_HELP}
    assert set(outcomes) == set(ContactOutcome) - children_only


@pytest.mark.django_db
def test_the_services_refuse_moves_the_model_refuses(triager):
    from referrals.triage import services as triage
    from tests.factories.triage import closed_referral

    referral = closed_referral(triager)
    with pytest.raises(triage.TransitionRefused, match="cannot be closed: it is closed"):
        triage.referral_close(referral=referral, user=triager)
    with pytest.raises(
        triage.TransitionRefused, match="cannot be recorded: the referral is closed"
    ):
        triage.referral_decide(
            referral=referral, user=triager, contact_outcome="police", rationale="Because."
        )
    with pytest.raises(triage.TransitionRefused, match="Give the reason"):
        triage.referral_reopen(referral=referral, user=triager, reason="  ")
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED
