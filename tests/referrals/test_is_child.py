"""Referral.is_child: anyone who may be under 18 is treated as a child."""

import datetime as dt

import pytest

from referrals.models import ContactOutcome, Referral


def _referral(subject_type, dob=None, approximate_age=None):
    return Referral(
        subject_type=subject_type,
        date_of_birth=dob,
        approximate_age=approximate_age,
        submitted_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize(
    ("subject_type", "dob", "approximate_age", "child"),
    [
        ("child", None, None, True),
        ("child", dt.date(2000, 1, 1), None, True),  # said to be a child: a child
        ("adult", dt.date(2008, 6, 2), None, True),  # 17 on the day received
        ("adult", dt.date(2008, 6, 1), None, False),  # 18 that day
        ("adult", None, 16, True),
        ("adult", None, 18, False),
        ("adult", None, None, False),  # an adult at risk, age not known
        ("", None, None, True),  # nothing known: treated as a child
        ("", None, 30, False),
    ],
)
def test_anyone_who_may_be_under_18_is_treated_as_a_child(
    subject_type, dob, approximate_age, child
):
    assert _referral(subject_type, dob, approximate_age).is_child is child


def test_a_child_gets_no_adult_safeguarding_and_an_adult_no_referral_to_childrens_social_care():
    child = _referral("adult", approximate_age=15).allowed_contact_outcomes()
    adult = _referral("adult", approximate_age=40).allowed_contact_outcomes()
    assert ContactOutcome.REFERRAL in child and ContactOutcome.ADULT_SAFEGUARDING not in child
    assert ContactOutcome.ADULT_SAFEGUARDING in adult
    assert ContactOutcome.REFERRAL not in adult and ContactOutcome.EARLY_HELP not in adult
    assert (
        ContactOutcome.SCREENING_NOT_REQUIRED in child
        and ContactOutcome.SCREENING_NOT_REQUIRED in adult
    )
