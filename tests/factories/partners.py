"""Partner information requests through the real services (referrals/partners). Every
name and every word here is invented."""

import datetime as dt
import uuid

from django.utils import timezone

from referrals.partners import services
from referrals.sharing import DEFAULT_LAWFUL_BASIS

QUESTION = "Is Zoë Ångström known to you, and is there anything we should know?"
ANSWER = "Known to police: yes, with details. Seen with Øyvind Testsson on 3 November."


def sent_request(
    referral, worker, organisation, *, shared=("name",), question=QUESTION, due_at=None, now=None
):
    now = now or timezone.now()
    return services.information_request_send(
        referral=referral,
        user=worker,
        organisation=organisation,
        question=question,
        shared_fields=list(shared),
        due_at=due_at or now + dt.timedelta(hours=8),
        lawful_basis=DEFAULT_LAWFUL_BASIS,
        form_token=uuid.uuid4(),
        now=now,
    )


def answered_request(info, partner, *, answer=ANSWER, nothing_known=False, now=None):
    return services.information_request_answer(
        information_request=info,
        user=partner,
        answer=answer,
        nothing_known=nothing_known,
        form_token=uuid.uuid4(),
        now=now,
    )


def every_partner_email(referral, worker, partner, *, question, answer):
    """A request sent, reminded, escalated when overdue and answered: one email of each
    of the partner journey's kinds (for the notification tests' search for personal
    data). `partner` is an active Partner of a partner organisation."""
    now = timezone.now()
    info = sent_request(
        referral,
        worker,
        partner.organisation,
        shared=("name", "date_of_birth", "address", "referrer"),
        question=question,
        due_at=now + dt.timedelta(hours=4),
        now=now,
    )
    services.partner_requests_chase(now=now + dt.timedelta(hours=3, minutes=30))
    services.partner_requests_chase(now=now + dt.timedelta(hours=5))
    answered_request(info, partner, answer=answer, now=now + dt.timedelta(hours=6))
    return info
