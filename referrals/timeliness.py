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


# --- RAG clocks -----------------------------------------------------------------
# A MASH holds each contact to the clock of its red / amber / green rating, counted from
# receipt. Two kinds of hour (settings.RAG_CLOCKS):
# - "hours": elapsed hours, running through nights, weekends and bank holidays (red);
# - "working hours": office hours on working days only, WORKING_DAY_START_HOUR to
#   WORKING_DAY_END_HOUR London time (09:00-17:00 by default, so one working day is
#   8 working hours). A contact received out of hours starts its clock when the office
#   next opens: received at 16:00 on the Friday before a bank-holiday Monday, an amber
#   contact (1 working day = 8 working hours) has 1 hour on Friday and 7 on Tuesday, so
#   is due at 16:00 on Tuesday; a green one (3 working days) at 16:00 on Thursday.
# Office hours are computed on London's wall clock (the clocks change at 01:00/02:00,
# outside office hours) and stored in UTC; elapsed hours are real hours, so a red contact
# received on the night the clocks change is still due four real hours later.

WORKING_HOURS = "working hours"
ELAPSED_HOURS = "hours"


def _office_hours(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A working day's opening and closing, as naive London wall-clock times."""
    opens = dt.datetime.combine(day, dt.time(settings.WORKING_DAY_START_HOUR))
    closes = dt.datetime.combine(day, dt.time(settings.WORKING_DAY_END_HOUR))
    return opens, closes


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """The moment `hours` office hours after `start` (which may be out of hours)."""
    local = start.astimezone(LONDON).replace(tzinfo=None)
    remaining = dt.timedelta(hours=hours)
    day = local.date()
    while True:
        opens, closes = _office_hours(day)
        if is_working_day(day) and local < closes:
            local = max(local, opens)
            if local + remaining <= closes:
                return (local + remaining).replace(tzinfo=LONDON).astimezone(dt.UTC)
            remaining -= closes - local
        day = next_working_day(day)
        local = _office_hours(day)[0]


def rag_due(received_at: dt.datetime, rating: str) -> dt.datetime:
    """When a contact rated `rating` is due, from its receipt (never from the rating:
    a re-rating does not restart the clock)."""
    amount, unit = settings.RAG_CLOCKS[rating]
    if unit == ELAPSED_HOURS:
        return received_at.astimezone(dt.UTC) + dt.timedelta(hours=amount)
    return add_working_hours(received_at, amount)


def describe_rag_clock(rating: str) -> str:
    """The clock in words, as configured: "4 hours, day and night", "1 working day"."""
    amount, unit = settings.RAG_CLOCKS[rating]
    number = f"{amount:g}"
    if unit == ELAPSED_HOURS:
        return f"{number} hour{'' if amount == 1 else 's'}, day and night"
    day = settings.WORKING_DAY_END_HOUR - settings.WORKING_DAY_START_HOUR
    if amount % day == 0:
        days = int(amount // day)
        return f"{days} working day{'' if days == 1 else 's'}"
    return f"{number} working hour{'' if amount == 1 else 's'}"
