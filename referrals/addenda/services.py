"""The referrer loop (issue 19): the intake team asks the referrer a question; the
referrer answers it, adds information to a submitted referral, or replies to a message.

Each service locks the referral row, writes its records (append-only: the referral the
referrer sent is never edited), the chronology entry, the audit record and the
content-free notification together. A repeated `form_token` (a double submission)
returns what the first submission wrote and writes nothing more.

The statutory clock never pauses: Working Together 2023 gives one working day from
receipt to decide, and waiting on the referrer does not stop it, so nothing here
touches `decision_due_at`."""

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import Min
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals.audit import audit_record
from referrals.models import Addendum, Disclosure, Referral, ReferralEvent, ReferrerQuestion
from referrals.notifications.outbox import (
    outbox_referrer_added_information,
    outbox_referrer_answered,
    outbox_referrer_question,
)
from referrals.permissions import Action, can
from referrals.sharing import DEFAULT_LAWFUL_BASIS, disclosure_record


class AddendumRefused(Exception):
    """The step is not open; the message says why in words the user can act on."""


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _sync_waiting(referral: Referral) -> None:
    """`waiting_on_referrer_since`: when the oldest open question was asked, or null."""
    oldest = referral.referrer_questions.open().aggregate(since=Min("asked_at"))["since"]
    referral.waiting_on_referrer_since = oldest


def _author_role(user: User) -> str:
    organisation = user.organisation.name if user.organisation_id else ""
    return ", ".join(part for part in (user.job_title, organisation) if part)[:300]


@transaction.atomic
def question_ask(
    *,
    referral: Referral,
    user: User,
    text: str,
    due_at: dt.datetime,
    form_token: uuid.UUID,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> ReferrerQuestion:
    """Ask the referrer for more information, due by `due_at`. This is the one path by
    which a question reaches the referrer (the information-sharing log hooks in here)."""
    now = now or timezone.now()
    locked = _locked(referral)
    earlier = ReferrerQuestion.objects.filter(referral=locked, form_token=form_token).first()
    if earlier is not None:
        return earlier
    if not can(user, Action.TRIAGE, locked) or "ask" not in locked.open_triage_actions(user):
        raise AddendumRefused(
            f"{locked.reference} is {locked.get_status_display().lower()}: reopen it to ask "
            "the referrer a question."
        )
    if due_at <= now:
        raise AddendumRefused("The answer must be due after now.")
    question = ReferrerQuestion.objects.create(
        referral=locked,
        asked_by=user,
        text=text,
        asked_at=now,
        due_at=due_at,
        form_token=form_token,
    )
    _sync_waiting(locked)
    locked.save(update_fields=["waiting_on_referrer_since", "updated_at"])
    ReferralEvent.record(locked, ReferralEvent.Kind.QUESTION, user, now=now, text=text)
    audit_record(
        action="referral.question_asked",
        actor=user,
        request=request,
        referral=locked,
        obj=question,
        detail={"due_at": due_at.isoformat()},
    )
    disclosure_record(
        referral=locked,
        kind=Disclosure.Kind.REFERRER_MESSAGE,
        what=["a question about the referral"],
        recipient_name="The referrer",
        lawful_basis=DEFAULT_LAWFUL_BASIS,
        decided_by=user,
        request=request,
        idempotency_key=f"question:{question.pk}",
        now=now,
    )
    outbox_referrer_question(question)
    return question


@transaction.atomic
def question_withdraw(
    *,
    question: ReferrerQuestion,
    user: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> ReferrerQuestion:
    """Triage no longer needs the answer (say, the referrer phoned). The question stays
    on the record, marked withdrawn."""
    now = now or timezone.now()
    locked = _locked(question.referral)
    question = ReferrerQuestion.objects.get(pk=question.pk)  # under the referral's lock
    if not can(user, Action.TRIAGE, locked):
        raise AddendumRefused("Only the intake team can withdraw a question.")
    if not question.is_open:
        raise AddendumRefused(f"The question has already been {question.state_label.lower()}.")
    question.withdrawn_at, question.withdrawn_by = now, user
    question.save(update_fields=["withdrawn_at", "withdrawn_by"])
    _sync_waiting(locked)
    locked.save(update_fields=["waiting_on_referrer_since", "updated_at"])
    ReferralEvent.record(
        locked, ReferralEvent.Kind.QUESTION_WITHDRAWN, user, now=now, text=question.text
    )
    audit_record(
        action="referral.question_withdrawn",
        actor=user,
        request=request,
        referral=locked,
        obj=question,
    )
    return question


def _addendum(referral, user, kind, body, form_token, now) -> Addendum:
    return Addendum.objects.create(
        referral=referral,
        author=user,
        author_role=_author_role(user),
        kind=kind,
        body=body,
        created_at=now,
        form_token=form_token,
    )


@transaction.atomic
def question_answer(
    *,
    question: ReferrerQuestion,
    user: User,
    body: str,
    form_token: uuid.UUID,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Addendum:
    """The referrer's answer, kept as an addendum; the worker who asked is told."""
    now = now or timezone.now()
    locked = _locked(question.referral)
    # Read again under the referral's lock, which every writer of a question takes first.
    question = ReferrerQuestion.objects.select_related("answer").get(pk=question.pk)
    if question.answer is not None and question.answer.form_token == form_token:
        return question.answer
    if not can(user, Action.ADD_INFORMATION, locked):
        raise AddendumRefused("Only the referrer can answer the intake team's question.")
    if not question.is_open:
        raise AddendumRefused(
            f"This question has already been {question.state_label.lower()}. "
            "You can still add information to the referral."
        )
    answer = _addendum(locked, user, Addendum.Kind.ANSWER, body, form_token, now)
    question.answer, question.answered_at = answer, now
    question.save(update_fields=["answer", "answered_at"])
    _sync_waiting(locked)
    locked.has_new_information = True
    locked.save(update_fields=["waiting_on_referrer_since", "has_new_information", "updated_at"])
    ReferralEvent.record(locked, ReferralEvent.Kind.ANSWER, user, now=now, text=body)
    audit_record(
        action="referral.question_answered",
        actor=user,
        request=request,
        referral=locked,
        obj=answer,
        detail={"question": question.pk},
    )
    question.referral = locked
    outbox_referrer_answered(question)
    return answer


@transaction.atomic
def addendum_add(
    *,
    referral: Referral,
    user: User,
    body: str,
    form_token: uuid.UUID,
    reply: bool = False,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Addendum:
    """The referrer adds information to a submitted referral (at any time, decided or
    not), or replies to the intake team's message (`reply`); the assignee is told."""
    now = now or timezone.now()
    locked = _locked(referral)
    earlier = Addendum.objects.filter(referral=locked, form_token=form_token).first()
    if earlier is not None:
        return earlier
    if not can(user, Action.ADD_INFORMATION, locked):
        raise AddendumRefused("Only the referrer can add information to the referral.")
    if reply and not locked.message_to_referrer:
        raise AddendumRefused("There is no message to reply to. You can add information instead.")
    kind = Addendum.Kind.REPLY if reply else Addendum.Kind.INFORMATION
    addendum = _addendum(locked, user, kind, body, form_token, now)
    locked.has_new_information = True
    locked.save(update_fields=["has_new_information", "updated_at"])
    event_kind = ReferralEvent.Kind.REPLY if reply else ReferralEvent.Kind.INFORMATION
    ReferralEvent.record(locked, event_kind, user, now=now, text=body)
    audit_record(
        action=f"referral.{'reply' if reply else 'information'}_added",
        actor=user,
        request=request,
        referral=locked,
        obj=addendum,
    )
    outbox_referrer_added_information(addendum)
    return addendum


def referral_information_seen(*, referral: Referral, user: User) -> bool:
    """Clear the queue's "New information" badge once triage has seen it. "Seen" means
    the assignee opened the referral page (or, while nobody is assigned, any triage
    worker did): the badge is for the person who has to act on it, so another worker
    glancing at the referral does not clear it. Returns whether it was cleared."""
    if not referral.has_new_information or not can(user, Action.TRIAGE, referral):
        return False
    if referral.assigned_to_id not in (None, user.pk):
        return False
    cleared = Referral.objects.filter(
        pk=referral.pk, has_new_information=True, assigned_to_id=referral.assigned_to_id
    ).update(has_new_information=False)
    referral.has_new_information = False
    return bool(cleared)
