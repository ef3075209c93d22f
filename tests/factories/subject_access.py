"""A person with two referrals, each naming three third parties (invented names)."""

import datetime as dt

from django.utils import timezone

from referrals.models import ReferralEvent
from tests.factories import submitted_referral

SUBJECT = {
    "first_name": "Zoë",
    "last_name": "Inventedsubject",
    "date_of_birth": dt.date(2011, 3, 4),
}
FIRST_PEOPLE = [
    {"role": "parent_carer", "name": "Øyvind Þórsson"},
    {"role": "peer", "name": "Łucja Kowalczyk-Nowak"},
    {"role": "suspected_exploiter", "name": "Æsa Brøndum", "nickname": "Snowbird"},
]
SECOND_PEOPLE = [
    {"role": "parent_carer", "name": "Øyvind Þórsson"},
    {"role": "peer", "name": "Ðorđe Ivančević"},
    {"role": "suspected_exploiter", "name": "Ingrid Åkesdóttir"},
]
THIRD_PARTY_WORDS = [
    "Þórsson",
    "Kowalczyk",
    "Łucja",
    "Brøndum",
    "Snowbird",
    "Ivančević",
    "Åkesdóttir",
]
FIRST_CONCERN = "Zoë was seen with Æsa Brøndum at the station late at night."
SECOND_CONCERN = "Zoë went missing again; Ingrid Åkesdóttir drove her away."


def person_with_two_referrals(practitioner, triager):
    """Two referrals about Zoë (one person record), a month apart, the older one with a
    triage note naming a third party."""
    now = timezone.now()
    first = submitted_referral(
        author=practitioner,
        people=FIRST_PEOPLE,
        concern=FIRST_CONCERN,
        submitted_at=now - dt.timedelta(days=40),
        **SUBJECT,
    )
    second = submitted_referral(
        author=practitioner,
        people=SECOND_PEOPLE,
        concern=SECOND_CONCERN,
        submitted_at=now - dt.timedelta(days=5),
        **SUBJECT,
    )
    ReferralEvent.record(
        first, ReferralEvent.Kind.NOTE, triager, text="Spoke to Łucja Kowalczyk-Nowak's school."
    )
    return first, second
