"""Decided contacts of a given age, for the retention tests. Every person is invented."""

import datetime as dt

import time_machine

from referrals.triage import services as triage
from tests.factories import submitted_referral


def decided_contact(
    worker,
    *,
    decided_on: dt.datetime,
    outcome: str = "nfa",
    rationale: str = "",
    before_decision=None,
    **fields,
):
    """A contact submitted and decided (through the real services) at `decided_on`; a
    referral to children's social care goes to a section 17 assessment."""
    with time_machine.travel(decided_on - dt.timedelta(hours=2), tick=False):
        referral = submitted_referral(**fields)
        if before_decision is not None:
            before_decision(referral)
    with time_machine.travel(decided_on, tick=False):
        referral = triage.referral_claim(referral=referral, user=worker)
        return triage.referral_decide(
            referral=referral,
            user=worker,
            contact_outcome=outcome,
            next_step="s17" if outcome == "referral" else "",
            rationale=rationale or "Invented rationale for the test.",
        )
