"""Referrals at each point of triage, made through the real services. Every name
here is invented."""

import datetime as dt
from zoneinfo import ZoneInfo

from referrals.models import ContactOutcome, Outcome
from referrals.triage import services as triage
from tests.factories import submitted_referral

LONDON = ZoneInfo("Europe/London")


def london(*args) -> dt.datetime:
    """An aware datetime given in London wall-clock time: london(2026, 3, 27, 16, 0)."""
    return dt.datetime(*args, tzinfo=LONDON)


def claimed_referral(worker, **fields):
    referral = submitted_referral(**fields)
    return triage.referral_claim(referral=referral, user=worker)


def decided_referral(
    worker, contact_outcome=ContactOutcome.REFERRAL, next_step=Outcome.S47, message="", **fields
):
    """Decided through the real service: by default a referral to children's social care
    going to a strategy discussion (s47); another contact outcome has no next step."""
    referral = claimed_referral(worker, **fields)
    is_referral = contact_outcome == ContactOutcome.REFERRAL
    return triage.referral_decide(
        referral=referral,
        user=worker,
        contact_outcome=contact_outcome,
        next_step=next_step if is_referral else "",
        rationale="Several warning signs and a shared phone number.",
        message_to_referrer=message,
    )


def closed_referral(worker, **fields):
    referral = decided_referral(worker, **fields)
    return triage.referral_close(referral=referral, user=worker)
