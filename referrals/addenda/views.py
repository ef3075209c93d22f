"""The referrer loop's pages. Each fetches the referral (and question) through
`referrals.permissions` (404 out of scope), validates its form and calls a service.
GET shows the form on a page of its own; a POST with errors shows it again with what
was typed; the referral page carries the same forms inline and posts here."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role
from referrals.addenda import services
from referrals.addenda.forms import AnswerForm, InformationForm, QuestionForm
from referrals.models import Referral
from referrals.permissions import Action, referral_for_user, referrer_question_for_user


def _referral(request, reference, action: Action, audit_action: str):
    return referral_for_user(
        request.user, action, reference=reference, request=request, audit_action=audit_action
    )


def _back(referral, anchor: str):
    return redirect(reverse("referral_detail", args=[referral.reference]) + anchor)


def _form_page(request, referral, form, *, title: str, intro: str = "", anchor: str):
    context = {
        "referral": referral,
        "form": form,
        "title": title,
        "intro": intro,
        "action_url": request.path,
        "back_url": reverse("referral_detail", args=[referral.reference]) + anchor,
    }
    return render(request, "referrals/addenda/form_page.html", context)


def _run(request, back_to: Referral, anchor: str, success: str, service, **fields):
    """Run the service; a refusal is a message on the referral page, not an error."""
    try:
        service(user=request.user, request=request, **fields)
    except services.AddendumRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return _back(back_to, anchor)


@role_required(Role.TRIAGE)
def referral_question_ask(request, reference):
    referral = _referral(request, reference, Action.TRIAGE, "referral.question_asked")
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        success = "Question sent. The referrer has been told there is a question for them."
        return _run(
            request,
            referral,
            "#referrer-loop",
            success,
            services.question_ask,
            referral=referral,
            text=data["text"],
            due_at=data["due_at"],
            form_token=data["form_token"],
        )
    return _form_page(
        request, referral, form, title="Ask the referrer a question", anchor="#triage"
    )


@role_required(Role.TRIAGE)
@require_POST
def referral_question_withdraw(request, reference, pk):
    referral = _referral(request, reference, Action.TRIAGE, "referral.question_withdrawn")
    question = referrer_question_for_user(
        request.user, referral, pk, Action.TRIAGE, request=request
    )
    success = "Question withdrawn."
    return _run(
        request, referral, "#referrer-loop", success, services.question_withdraw, question=question
    )


@role_required(Role.PRACTITIONER)
def referral_question_answer(request, reference, pk):
    referral = _referral(request, reference, Action.ADD_INFORMATION, "referral.question_answered")
    question = referrer_question_for_user(
        request.user, referral, pk, Action.ADD_INFORMATION, request=request
    )
    form = AnswerForm(request.POST or None, question_id=question.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        success = "Answer sent. It has been added to the referral and the intake team told."
        return _run(
            request,
            referral,
            "#referrer-loop",
            success,
            services.question_answer,
            question=question,
            body=data["body"],
            form_token=data["form_token"],
        )
    return _form_page(
        request,
        referral,
        form,
        title="Answer the intake team's question",
        intro=question.text,
        anchor="#referrer-loop",
    )


def _add(request, reference, *, reply: bool):
    audit_action = "referral.reply_added" if reply else "referral.information_added"
    referral = _referral(request, reference, Action.ADD_INFORMATION, audit_action)
    form = InformationForm(request.POST or None, reply=reply)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        what = "Reply sent" if reply else "Information added"
        return _run(
            request,
            referral,
            "#referrer-loop",
            f"{what}. The intake team has been told.",
            services.addendum_add,
            referral=referral,
            body=data["body"],
            form_token=data["form_token"],
            reply=reply,
        )
    title = "Reply to the intake team's message" if reply else "Add information to the referral"
    intro = referral.message_to_referrer if reply else ""
    return _form_page(request, referral, form, title=title, intro=intro, anchor="#referrer-loop")


@role_required(Role.PRACTITIONER)
def referral_add_information(request, reference):
    return _add(request, reference, reply=False)


@role_required(Role.PRACTITIONER)
def referral_reply(request, reference):
    return _add(request, reference, reply=True)
