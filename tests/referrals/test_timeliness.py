"""Decision due = end of the next working day after receipt (Working Together 2023),
skipping weekends and England & Wales bank holidays, at 17:00 London time whatever
the clocks are doing."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from referrals import timeliness
from tests.factories import submitted_referral
from tests.factories.triage import london

UTC = dt.UTC


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # An ordinary weekday: the next day.
        (london(2026, 3, 2, 10, 0), london(2026, 3, 3, 17, 0)),
        # Received after the due hour: still the end of the next working day.
        (london(2026, 3, 2, 22, 45), london(2026, 3, 3, 17, 0)),
        # Friday, Saturday and Sunday all fall due on Monday.
        (london(2026, 3, 6, 16, 0), london(2026, 3, 9, 17, 0)),
        (london(2026, 3, 7, 11, 0), london(2026, 3, 9, 17, 0)),
        (london(2026, 3, 8, 23, 59), london(2026, 3, 9, 17, 0)),
    ],
    ids=["weekday", "evening", "friday", "saturday", "sunday-night"],
)
def test_decision_is_due_at_the_end_of_the_next_working_day(received, due):
    assert timeliness.decision_due(received) == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
        (london(2026, 4, 2, 10, 0), london(2026, 4, 7, 17, 0)),
        # Christmas 2026: Boxing Day is a Saturday, so Monday 28th is its substitute.
        (london(2026, 12, 24, 9, 0), london(2026, 12, 29, 17, 0)),
        # Christmas 2021: both days at a weekend, substitutes on 27th and 28th.
        (london(2021, 12, 24, 9, 0), london(2021, 12, 29, 17, 0)),
        # Christmas 2022: Boxing Day Monday, Christmas Day substitute Tuesday 27th.
        (london(2022, 12, 23, 9, 0), london(2022, 12, 28, 17, 0)),
        # 2020: the early May bank holiday moved from Monday 4th to Friday 8th (VE Day).
        (london(2020, 5, 1, 9, 0), london(2020, 5, 4, 17, 0)),
        (london(2020, 5, 7, 9, 0), london(2020, 5, 11, 17, 0)),
        # 2022 Platinum Jubilee: spring bank holiday moved to Thursday 2 June, plus Friday 3rd.
        (london(2022, 6, 1, 12, 0), london(2022, 6, 6, 17, 0)),
        (london(2022, 5, 27, 12, 0), london(2022, 5, 30, 17, 0)),
        # 2023: the coronation bank holiday on Monday 8 May.
        (london(2023, 5, 5, 12, 0), london(2023, 5, 9, 17, 0)),
        # 2022: the Queen's state funeral on Monday 19 September.
        (london(2022, 9, 16, 12, 0), london(2022, 9, 20, 17, 0)),
    ],
    ids=[
        "easter",
        "christmas-substitute-boxing-day",
        "christmas-both-substitutes",
        "christmas-substitute-christmas-day",
        "moved-early-may-not-on-the-monday",
        "moved-early-may-on-the-friday",
        "jubilee-thursday-and-friday",
        "jubilee-year-no-late-may-holiday",
        "coronation",
        "state-funeral",
    ],
)
def test_decision_due_skips_england_and_wales_bank_holidays(received, due):
    assert timeliness.decision_due(received) == due


def test_due_time_is_17_00_british_summer_time_after_the_clocks_go_forward():
    # Clocks went forward on Sunday 29 March 2026: received at 12:00 GMT, due at
    # 17:00 BST, which is 16:00 UTC.
    received = dt.datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    assert timeliness.decision_due(received) == dt.datetime(2026, 3, 30, 16, 0, tzinfo=UTC)


def test_due_time_is_17_00_gmt_after_the_clocks_go_back():
    # Clocks went back on Sunday 25 October 2026: received at 12:00 BST (11:00 UTC),
    # due at 17:00 GMT, which is 17:00 UTC.
    received = dt.datetime(2026, 10, 23, 11, 0, tzinfo=UTC)
    assert timeliness.decision_due(received) == dt.datetime(2026, 10, 26, 17, 0, tzinfo=UTC)


def test_easter_across_the_clock_change_is_due_at_17_00_bst():
    # Easter 2027 (Good Friday 26 March, Easter Monday 29 March) spans the change on 28 March.
    received = dt.datetime(2027, 3, 25, 12, 0, tzinfo=UTC)
    assert timeliness.decision_due(received) == dt.datetime(2027, 3, 30, 16, 0, tzinfo=UTC)


def test_the_day_of_receipt_is_the_london_day_not_the_utc_day():
    # 23:30 UTC on Monday 1 June 2026 is 00:30 on Tuesday in London.
    received = dt.datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    assert timeliness.decision_due(received) == london(2026, 6, 3, 17, 0)


@override_settings(DECISION_DUE_HOUR=12)
def test_the_due_hour_is_configurable():
    assert timeliness.decision_due(london(2026, 3, 2, 10, 0)) == london(2026, 3, 3, 12, 0)


def test_an_urgent_referral_must_be_claimed_within_an_hour_of_real_time():
    # 00:30 GMT on the night the clocks go forward: an hour later is 02:30 BST.
    received = dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert timeliness.claim_due(received) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


@override_settings(URGENT_CLAIM_HOURS=3)
def test_the_urgent_claim_target_is_configurable():
    received = london(2026, 3, 2, 10, 0)
    assert timeliness.claim_due(received) == london(2026, 3, 2, 13, 0)


def test_working_days_between_counts_only_working_days():
    # Thursday before Easter 2026 to the Tuesday after: only Tuesday is a working day.
    assert timeliness.working_days_between(london(2026, 4, 2, 9), london(2026, 4, 7, 9)) == 1
    assert timeliness.working_days_between(london(2026, 3, 2, 9), london(2026, 3, 9, 9)) == 5


@pytest.mark.django_db
def test_a_referral_submitted_on_the_friday_before_easter_is_due_on_tuesday():
    with time_machine.travel(london(2026, 4, 2, 18, 30), tick=False):
        referral = submitted_referral()
    assert referral.decision_due_at == london(2026, 4, 7, 17, 0)
    assert referral.claim_due_at is None


@pytest.mark.django_db
def test_an_urgent_referral_gets_a_claim_due_time_at_submission():
    with time_machine.travel(london(2026, 12, 24, 23, 0), tick=False):
        referral = submitted_referral(immediate_danger="yes", is_urgent=True)
    assert referral.claim_due_at == london(2026, 12, 25, 0, 0)
    assert referral.decision_due_at == london(2026, 12, 29, 17, 0)


@pytest.mark.django_db
def test_a_referral_becomes_overdue_when_the_due_time_passes():
    with time_machine.travel(london(2026, 3, 6, 16, 0), tick=False):
        referral = submitted_referral()
    with time_machine.travel(london(2026, 3, 9, 16, 59), tick=False):
        assert not referral.is_overdue()
        assert not type(referral).objects.overdue().filter(pk=referral.pk).exists()
    with time_machine.travel(london(2026, 3, 9, 17, 1), tick=False):
        assert referral.is_overdue()
        assert type(referral).objects.overdue().filter(pk=referral.pk).exists()
