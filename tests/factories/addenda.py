"""The referrer loop through the real services (referrals/addenda). Every name and
every word here is invented."""

import datetime as dt
import uuid

from django.utils import timezone

from referrals.addenda import services

QUESTION = "Has Zoë been seen with the older boys since Friday?"
ANSWER = "Yes: on Monday at the bus station, with two men in a grey car."
INFORMATION = "Łukasz from the youth club says Zoë has a second phone."


def asked_question(referral, worker, text=QUESTION, due_at=None, now=None):
    now = now or timezone.now()
    return services.question_ask(
        referral=referral,
        user=worker,
        text=text,
        due_at=due_at or now + dt.timedelta(days=1),
        form_token=uuid.uuid4(),
        now=now,
    )


def answered_question(referral, worker, author, text=QUESTION, body=ANSWER, now=None):
    question = asked_question(referral, worker, text=text, now=now)
    answer = services.question_answer(
        question=question, user=author, body=body, form_token=uuid.uuid4(), now=now
    )
    question.refresh_from_db()
    return question, answer


def added_information(referral, author, body=INFORMATION, reply=False, now=None):
    return services.addendum_add(
        referral=referral, user=author, body=body, form_token=uuid.uuid4(), reply=reply, now=now
    )


def every_referrer_loop_email(referral, worker, *, question, answer, information):
    """A question asked and answered and information added: one email of each of the
    referrer loop's kinds (for the notification tests' search for personal data)."""
    answered_question(referral, worker, referral.author, text=question, body=answer)
    added_information(referral, referral.author, body=information)
