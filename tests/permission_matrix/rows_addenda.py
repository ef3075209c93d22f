"""The referrer loop (referrals/addenda/urls.py): triage ask and withdraw questions;
the referrer (the author; a colleague only with organisation-wide view, not given
here) answers them, adds information and replies. Everyone else gets 404."""

import datetime as dt
import uuid

from tests.permission_matrix.base import NOT_ALLOWED, OK, REDIRECT, Row, only


def _submitted(w):
    return {"reference": w.referral.reference}


def _question(w):
    """An open question on the world's referral, asked by the triager."""
    from django.utils import timezone

    from referrals.models import ReferrerQuestion

    question = ReferrerQuestion.objects.create(
        referral=w.referral,
        asked_by=w.triager,
        text="Has Zoë been seen since Friday?",
        due_at=timezone.now() + dt.timedelta(days=1),
        form_token=uuid.uuid4(),
    )
    return {"reference": w.referral.reference, "pk": question.pk}


def _text(field):
    return lambda w: {field: "Seen on Monday with Łukasz.", "form_token": str(uuid.uuid4())}


ROWS = [
    Row("referral_question_ask", only(OK, "triager"), kwargs=_submitted),
    Row(
        "referral_question_ask",
        only(REDIRECT, "triager"),
        kwargs=_submitted,
        method="post",
        data=_text("text"),
    ),
    Row(
        "referral_question_withdraw",
        only(NOT_ALLOWED, "triager"),
        kwargs=_question,
        note="POST only",
    ),
    Row("referral_question_withdraw", only(REDIRECT, "triager"), kwargs=_question, method="post"),
    Row("referral_question_answer", only(OK, "author"), kwargs=_question),
    Row(
        "referral_question_answer",
        only(REDIRECT, "author"),
        kwargs=_question,
        method="post",
        data=_text("body"),
    ),
    Row("referral_add_information", only(OK, "author"), kwargs=_submitted),
    Row(
        "referral_add_information",
        only(REDIRECT, "author"),
        kwargs=_submitted,
        method="post",
        data=_text("body"),
    ),
    Row("referral_reply", only(OK, "author"), kwargs=_submitted),
]
