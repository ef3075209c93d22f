"""The states a referral moves through: submitted -> in triage -> decided -> closed,
with reopening (from decided or closed, only with a reason) back to in triage."""

import itertools

import pytest

from referrals.models import Outcome, Referral, Status, SubjectType

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


def test_a_child_can_have_every_outcome_but_an_adult_safeguarding_enquiry():
    outcomes = Referral(subject_type=SubjectType.CHILD).allowed_outcomes()
    assert set(outcomes) == set(Outcome) - {Outcome.ADULT_S42}


def test_an_adult_cannot_have_the_childrens_act_outcomes():
    outcomes = Referral(subject_type=SubjectType.ADULT).allowed_outcomes()
    assert set(outcomes) == set(Outcome) - {Outcome.EARLY_HELP, Outcome.S17, Outcome.S47}


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
            referral=referral, user=triager, outcome=Outcome.POLICE, rationale="Because."
        )
    with pytest.raises(triage.TransitionRefused, match="Give the reason"):
        triage.referral_reopen(referral=referral, user=triager, reason="  ")
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED
