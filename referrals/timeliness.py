"""When a decision is due. Working Together to Safeguard Children 2023: social care
decides the response within one working day of receiving a referral. Working days skip
weekends and England & Wales bank holidays."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    # subdiv ENG covers England and Wales' shared bank holidays, moved ones included.
    return holidays.country_holidays("GB", subdiv="ENG", years=[year - 1, year, year + 1])


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def decision_due(received_at: dt.datetime) -> dt.datetime:
    """End of the next working day after receipt (default 17:00 London time)."""
    local_day = received_at.astimezone(LONDON).date()
    due_day = next_working_day(local_day)
    hour = settings.DECISION_DUE_HOUR
    return dt.datetime.combine(due_day, dt.time(hour=hour), tzinfo=LONDON).astimezone(dt.UTC)


def working_days_after(start: dt.datetime, days: int) -> dt.datetime:
    """The end (DECISION_DUE_HOUR, London time) of the `days`-th working day after
    `start`'s day: the default due time of a question to the referrer."""
    day = start.astimezone(LONDON).date()
    for _ in range(max(days, 1)):
        day = next_working_day(day)
    return end_of_working_day(day)


def end_of_working_day(day: dt.date) -> dt.datetime:
    hour = settings.DECISION_DUE_HOUR
    return dt.datetime.combine(day, dt.time(hour=hour), tzinfo=LONDON).astimezone(dt.UTC)


def claim_due(received_at: dt.datetime) -> dt.datetime:
    """Urgent referrals must be claimed within a shorter target (hours, default 1)."""
    return received_at + dt.timedelta(hours=settings.URGENT_CLAIM_HOURS)


def working_days_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole working days after `start`'s day up to and including `end`'s day."""
    day, last = start.astimezone(LONDON).date(), end.astimezone(LONDON).date()
    count = 0
    while day < last:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count
