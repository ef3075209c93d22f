"""Referrals at each point of triage, made through the real services. Every name
here is invented."""

import datetime as dt
from zoneinfo import ZoneInfo

from referrals.models import Outcome
from referrals.triage import services as triage
from tests.factories import submitted_referral

LONDON = ZoneInfo("Europe/London")


def london(*args) -> dt.datetime:
    """An aware datetime given in London wall-clock time: london(2026, 3, 27, 16, 0)."""
    return dt.datetime(*args, tzinfo=LONDON)


def claimed_referral(worker, **fields):
    referral = submitted_referral(**fields)
    return triage.referral_claim(referral=referral, user=worker)


def decided_referral(worker, outcome=Outcome.S47, message="", **fields):
    referral = claimed_referral(worker, **fields)
    return triage.referral_decide(
        referral=referral,
        user=worker,
        outcome=outcome,
        rationale="Several warning signs and a shared phone number.",
        message_to_referrer=message,
    )


def closed_referral(worker, **fields):
    referral = decided_referral(worker, **fields)
    return triage.referral_close(referral=referral, user=worker)
