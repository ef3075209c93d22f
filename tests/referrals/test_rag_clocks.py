"""RAG clocks from receipt: red 4 elapsed hours through nights and weekends; amber 1
working day and green 3 working days of office hours (09:00-17:00 London, 8 working
hours a day), skipping weekends and England & Wales bank holidays, across both clock
changes. Computed on London's clock, stored in UTC."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import _rag_clocks
from referrals import timeliness
from tests.factories.triage import london


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Monday 10:00 + 8 working hours: Tuesday 10:00.
        (london(2026, 3, 2, 10, 0), london(2026, 3, 3, 10, 0)),
        # At opening: the end of the same working day.
        (london(2026, 3, 2, 9, 0), london(2026, 3, 2, 17, 0)),
        # Before opening: counts from 09:00.
        (london(2026, 3, 2, 6, 30), london(2026, 3, 2, 17, 0)),
        # After closing: counts from 09:00 the next working day.
        (london(2026, 3, 2, 19, 0), london(2026, 3, 3, 17, 0)),
        # Friday 16:00: 1 hour on Friday, 7 on Monday.
        (london(2026, 3, 6, 16, 0), london(2026, 3, 9, 16, 0)),
        # Saturday: Monday's whole working day.
        (london(2026, 3, 7, 11, 0), london(2026, 3, 9, 17, 0)),
        # Friday 16:00 before the late-May bank holiday (Monday 25 May 2026): Tuesday 16:00.
        (london(2026, 5, 22, 16, 0), london(2026, 5, 26, 16, 0)),
        # Easter 2026: Thursday 15:00, then Good Friday and Easter Monday are skipped.
        (london(2026, 4, 2, 15, 0), london(2026, 4, 7, 15, 0)),
        # Christmas 2026: Boxing Day's substitute is Monday 28th.
        (london(2026, 12, 24, 12, 0), london(2026, 12, 29, 12, 0)),
    ],
    ids=[
        "weekday",
        "at-opening",
        "before-opening",
        "after-closing",
        "friday-afternoon",
        "saturday",
        "friday-before-bank-holiday-monday",
        "easter",
        "christmas-substitute-day",
    ],
)
def test_amber_is_due_one_working_day_of_office_hours_after_receipt(received, due):
    assert timeliness.rag_due(received, "amber") == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Monday 10:00 + 24 working hours: Thursday 10:00.
        (london(2026, 3, 2, 10, 0), london(2026, 3, 5, 10, 0)),
        # Friday 16:00 before a bank-holiday Monday: 1 h Friday, Tuesday, Wednesday, 7 h Thursday.
        (london(2026, 5, 22, 16, 0), london(2026, 5, 28, 16, 0)),
        # Wednesday before Easter: Thursday, then Tuesday and Wednesday after Easter Monday.
        (london(2026, 4, 1, 17, 30), london(2026, 4, 8, 17, 0)),
    ],
    ids=["weekday", "bank-holiday-weekend", "easter"],
)
def test_green_is_due_three_working_days_of_office_hours_after_receipt(received, due):
    assert timeliness.rag_due(received, "green") == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Through the night.
        (london(2026, 3, 2, 22, 0), london(2026, 3, 3, 2, 0)),
        # Through the weekend and a bank holiday: elapsed hours, not working hours.
        (london(2026, 5, 23, 14, 0), london(2026, 5, 23, 18, 0)),
        (london(2026, 5, 25, 9, 0), london(2026, 5, 25, 13, 0)),
    ],
    ids=["overnight", "saturday", "bank-holiday"],
)
def test_red_runs_four_hours_through_nights_weekends_and_bank_holidays(received, due):
    assert timeliness.rag_due(received, "red") == due


def test_red_counts_real_hours_across_the_spring_clock_change():
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026: 4 real hours after 00:30
    # GMT is 04:30 UTC, which London calls 05:30 BST.
    received = london(2026, 3, 29, 0, 30)
    due = timeliness.rag_due(received, "red")
    assert due == dt.datetime(2026, 3, 29, 4, 30, tzinfo=dt.UTC)
    assert due.astimezone(london(2026, 1, 1).tzinfo).hour == 5


def test_red_counts_real_hours_across_the_autumn_clock_change():
    # Clocks go back at 02:00 BST on Sunday 25 October 2026: 00:30 BST is 23:30 UTC;
    # 4 real hours later is 03:30 UTC, which London calls 03:30 GMT.
    received = london(2026, 10, 25, 0, 30)
    assert received.utcoffset() == dt.timedelta(hours=1)
    due = timeliness.rag_due(received, "red")
    assert due == dt.datetime(2026, 10, 25, 3, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("received", "due", "offset_hours"),
    [
        # Friday 27 March in GMT, Monday 30 March in BST: office hours stay 09:00-17:00.
        (london(2026, 3, 27, 13, 0), london(2026, 3, 30, 13, 0), 1),
        # Friday 23 October in BST, Monday 26 October in GMT.
        (london(2026, 10, 23, 13, 0), london(2026, 10, 26, 13, 0), 0),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_working_hours_keep_to_the_office_clock_across_a_clock_change(received, due, offset_hours):
    result = timeliness.rag_due(received, "amber")
    assert result == due
    assert result.tzinfo == dt.UTC
    assert result.astimezone(due.tzinfo).utcoffset() == dt.timedelta(hours=offset_hours)


def test_the_clocks_are_stored_in_utc():
    assert timeliness.rag_due(london(2026, 7, 1, 10, 0), "amber").tzinfo == dt.UTC
    assert timeliness.rag_due(london(2026, 7, 1, 10, 0), "red").tzinfo == dt.UTC


def test_the_clocks_are_configurable(settings):
    settings.RAG_CLOCKS = _rag_clocks({"red": "2h", "amber": "6wh", "green": "2wd"})
    received = london(2026, 3, 2, 10, 0)
    assert timeliness.rag_due(received, "red") == london(2026, 3, 2, 12, 0)
    assert timeliness.rag_due(received, "amber") == london(2026, 3, 2, 16, 0)
    assert timeliness.rag_due(received, "green") == london(2026, 3, 4, 10, 0)


def test_office_hours_are_configurable(settings):
    settings.WORKING_DAY_START_HOUR, settings.WORKING_DAY_END_HOUR = 8, 18
    # 8 working hours from Monday 17:00: 1 hour on Monday, 7 on Tuesday from 08:00.
    assert timeliness.add_working_hours(london(2026, 3, 2, 17, 0), 8) == london(2026, 3, 3, 15, 0)


@pytest.mark.parametrize(
    "raw",
    [{"red": "4", "amber": "1wd", "green": "3wd"}, {"red": "4h", "amber": "1wd"}, {}],
    ids=["no-unit", "missing-rating", "empty"],
)
def test_a_malformed_clock_setting_stops_the_portal_starting(raw):
    with pytest.raises(ImproperlyConfigured):
        _rag_clocks(raw)


def test_the_clocks_are_described_in_words_as_configured(settings):
    assert timeliness.describe_rag_clock("red") == "4 hours, day and night"
    assert timeliness.describe_rag_clock("amber") == "1 working day"
    assert timeliness.describe_rag_clock("green") == "3 working days"
    settings.RAG_CLOCKS = _rag_clocks({"red": "2.5h", "amber": "6wh", "green": "2wd"})
    assert timeliness.describe_rag_clock("red") == "2.5 hours, day and night"
    assert timeliness.describe_rag_clock("amber") == "6 working hours"
    assert timeliness.describe_rag_clock("green") == "2 working days"
