"""The referrer loop on the referral page (templates/referrals/addenda/panel.html).

Triage see the questions asked of the referrer and their state (the answers and the
information the referrer added are also in the chronology); opening the page as the
assignee clears the queue's "New information" badge. The referrer sees the intake
team's questions with a form to answer each, what they have added, and forms to add
information or reply to a message. Keys start with `addenda_`."""

from django.urls import reverse
from django.utils import timezone

from referrals.addenda.forms import AnswerForm, InformationForm
from referrals.addenda.services import referral_information_seen
from referrals.models import Addendum, Referral, ReferralEvent
from referrals.permissions import Action, can


def _tag(question, now) -> tuple[str, str]:
    if question.is_overdue(now):
        return "Answer overdue", "govuk-tag--red"
    return question.state_label, "govuk-tag--yellow" if question.is_open else "govuk-tag--grey"


def _question_row(question, now, reference: str) -> dict:
    state, tag_class = _tag(question, now)
    return {
        "pk": question.pk,
        "text": question.text,
        "asked_at": question.asked_at,
        "asked_by": question.asked_by.full_name,
        "due_at": question.due_at,
        "state": state,
        "tag_class": tag_class,
        "is_open": question.is_open,
        "answer": question.answer.body if question.answer_id else "",
        "answered_at": question.answered_at,
        "withdrawn_at": question.withdrawn_at,
        "answer_url": reverse("referral_question_answer", args=[reference, question.pk]),
        "withdraw_url": reverse("referral_question_withdraw", args=[reference, question.pk]),
    }


def _questions(referral: Referral) -> list:
    return list(
        referral.referrer_questions.select_related("asked_by", "answer").order_by("asked_at", "pk")
    )


def addenda_panel_context(request, referral: Referral, chronology: list | None = None) -> dict:
    """`chronology`: the referral's events when the page has read them already (the
    triage panel does): without a question among them there is none to look up."""
    user = request.user
    if can(user, Action.TRIAGE, referral):
        return _triage_context(request, referral, chronology)
    if can(user, Action.ADD_INFORMATION, referral):
        return _referrer_context(referral)
    return {}


def _triage_context(request, referral: Referral, chronology: list | None) -> dict:
    was_new = referral.has_new_information
    referral_information_seen(referral=referral, user=request.user)
    now = timezone.now()
    asked = chronology is None or any(e.kind == ReferralEvent.Kind.QUESTION for e in chronology)
    questions = (
        [_question_row(q, now, referral.reference) for q in _questions(referral)] if asked else []
    )
    return {
        "addenda_for_triage": True,
        "addenda_questions": questions,
        "addenda_new_information": was_new,
        "addenda_waiting_since": referral.waiting_on_referrer_since,
    }


def _referrer_context(referral: Referral) -> dict:
    now = timezone.now()
    reference = referral.reference
    questions = []
    for question in _questions(referral):
        row = _question_row(question, now, reference)
        row["form"] = AnswerForm(question_id=question.pk) if question.is_open else None
        questions.append(row)
    added = referral.addenda.exclude(kind=Addendum.Kind.ANSWER).select_related("author")
    return {
        "addenda_for_referrer": True,
        "addenda_questions": questions,
        "addenda_open_count": sum(q["is_open"] for q in questions),
        "addenda_added": [
            {
                "kind": a.get_kind_display(),
                "body": a.body,
                "by": a.author.full_name,
                "role": a.author_role,
                "at": a.created_at,
            }
            for a in added
        ],
        "addenda_information_form": InformationForm(),
        "addenda_information_url": reverse("referral_add_information", args=[reference]),
        "addenda_reply_form": InformationForm(reply=True) if referral.message_to_referrer else None,
        "addenda_reply_url": reverse("referral_reply", args=[reference]),
    }
