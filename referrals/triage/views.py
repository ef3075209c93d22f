"""Triage views: the queue, "my work" and working a referral (issue 5).

Each action is a POST that fetches the referral through the permission check, validates
its form, calls a service in `referrals.triage.services` and redirects back to the referral page.
Actions that need writing (decide, reopen, note, message) also have a GET page with the
form, which shows errors next to the fields and keeps what was typed."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role
from referrals import answers
from referrals.audit import audit_record
from referrals.permissions import Action, referral_for_user, referrals_for_triage
from referrals.triage import services as triage
from referrals.triage.filters import filter_queue
from referrals.triage.forms import (
    FORM_CACHE_SECONDS,
    AssignForm,
    DecisionForm,
    MessageForm,
    NoteForm,
    RateForm,
    RecordForm,
    ReopenForm,
)
from referrals.triage.queue import (
    QueuePaginator,
    count_summary,
    queue_queryset,
    queue_rows,
    queue_table,
)

PAGE_SIZE = 50
# Pages count at most this many matching referrals (200 pages); see QueuePaginator.
QUEUE_COUNT_CAP = 10_000


def _page(request, queryset):
    paginator = QueuePaginator(
        queue_queryset(queryset), PAGE_SIZE, cap=QUEUE_COUNT_CAP, counted=queryset
    )
    return paginator.get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@role_required(Role.TRIAGE)
def triage_queue(request):
    filterset, referrals, filtered = filter_queue(request, referrals_for_triage(request.user))
    page = _page(request, referrals)
    audit_record(action="triage.queue_viewed", request=request, detail={"page": page.number})
    rows = queue_rows(page)
    query = _query_without_page(request)
    context = {
        "filter": filterset,
        "form_cache_seconds": FORM_CACHE_SECONDS,
        "page": page,
        "rows": rows,
        "query": query,
        "queue_table": queue_table(
            page, rows, caption="Referrals in the triage queue", query=query
        ),
        "count_summary": count_summary(page.paginator),
        "filtered": filtered,
        "filter_invalid": filtered and bool(filterset.form.errors),
    }
    return render(request, "referrals/triage/queue.html", context)


@role_required(Role.TRIAGE)
def triage_mine(request):
    mine = referrals_for_triage(request.user).undecided().assigned_to_user(request.user)
    page = _page(request, mine)
    audit_record(action="triage.mine_viewed", request=request, detail={"page": page.number})
    rows = queue_rows(page)
    context = {
        "page": page,
        "rows": rows,
        "queue_table": queue_table(page, rows, caption="Referrals assigned to you"),
    }
    return render(request, "referrals/triage/mine.html", context)


# --- Working a referral --------------------------------------------------------


def _triage_referral(request, reference):
    return referral_for_user(request.user, Action.TRIAGE, reference=reference, request=request)


def _back(referral):
    return redirect(reverse("referral_detail", args=[referral.reference]) + "#triage")


def _refused(request, referral, exc: triage.TransitionRefused):
    audit_record(
        action="referral.transition_refused",
        request=request,
        referral=referral,
        outcome="denied",
    )
    messages.error(request, str(exc))
    return _back(referral)


def _act(request, referral, service, success: str, **fields):
    """Run a triage service on the referral; its refusal (a move the state machine
    does not allow) is audited and shown as a message, not raised."""
    try:
        service(referral=referral, user=request.user, request=request, **fields)
    except triage.TransitionRefused as exc:
        return _refused(request, referral, exc)
    messages.success(request, success)
    return _back(referral)


def _form_action(request, referral, form, service, *, title: str, success: str, fields, basis=None):
    """An action with a page of its own: GET shows the form; a POST with errors shows it
    again with what was typed; a valid POST runs the service. `fields` maps the form's
    cleaned data to the service's arguments; `basis` (answers.decision_basis) is what
    the page shows beside the form."""
    if request.method == "POST" and form.is_valid():
        return _act(request, referral, service, success, **fields(form.cleaned_data))
    context = {"referral": referral, "form": form, "title": title, "action_url": request.path}
    if basis is not None:
        context["basis"] = basis(referral)
    return render(request, "referrals/triage/action_form.html", context)


@role_required(Role.TRIAGE)
@require_POST
def referral_claim(request, reference):
    referral = _triage_referral(request, reference)
    success = f"You have claimed {referral.reference}."
    return _act(request, referral, triage.referral_claim, success)


@role_required(Role.TRIAGE)
@require_POST
def referral_assign(request, reference):
    referral = _triage_referral(request, reference)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who to assign the referral to.")
        return _back(referral)
    assignee = form.cleaned_data["assignee"]
    success = f"{referral.reference} is now assigned to {assignee.full_name}."
    return _act(request, referral, triage.referral_assign, success, assignee=assignee)


@role_required(Role.TRIAGE)
@require_POST
def referral_close(request, reference):
    referral = _triage_referral(request, reference)
    return _act(request, referral, triage.referral_close, f"{referral.reference} is closed.")


@role_required(Role.TRIAGE)
def referral_decide(request, reference):
    referral = _triage_referral(request, reference)
    return _form_action(
        request,
        referral,
        DecisionForm(
            request.POST or None,
            referral=referral,
            suggested_factors=answers.suggested_factors(referral),
        ),
        triage.referral_decide,
        title="Record a decision",
        success=f"Decision recorded for {referral.reference}.",
        fields=lambda data: data,
        basis=answers.decision_basis,
    )


@role_required(Role.TRIAGE)
def referral_contact_record(request, reference):
    referral = _triage_referral(request, reference)
    return _form_action(
        request,
        referral,
        RecordForm(request.POST or None, referral=referral),
        triage.referral_update_record,
        title="Source of referral and cross-references",
        success="Contact record saved.",
        fields=lambda data: data,
    )


@role_required(Role.TRIAGE)
def referral_reopen(request, reference):
    referral = _triage_referral(request, reference)
    return _form_action(
        request,
        referral,
        ReopenForm(request.POST or None),
        triage.referral_reopen,
        title="Reopen the decision",
        success=f"The decision on {referral.reference} has been reopened.",
        fields=lambda data: {"reason": data["reason"]},
    )


@role_required(Role.TRIAGE)
def referral_note(request, reference):
    referral = _triage_referral(request, reference)
    return _form_action(
        request,
        referral,
        NoteForm(request.POST or None),
        triage.referral_add_note,
        title="Add a case note",
        success="Case note added.",
        fields=lambda data: {"text": data["text"], "occurred_at": data.get("occurred_at")},
    )


@role_required(Role.TRIAGE)
def referral_message(request, reference):
    referral = _triage_referral(request, reference)
    return _form_action(
        request,
        referral,
        MessageForm(request.POST or None),
        triage.referral_message_referrer,
        title="Message the referrer",
        success="Message saved. The referrer will see it in My referrals.",
        fields=lambda data: {"text": data["text"]},
    )


@role_required(Role.TRIAGE)
def referral_rate(request, reference):
    referral = _triage_referral(request, reference)
    return _form_action(
        request,
        referral,
        RateForm(request.POST or None, referral=referral),
        triage.referral_rate,
        title="Rate the referral",
        success=f"RAG rating saved for {referral.reference}.",
        fields=lambda data: {"rating": data["rating"], "rationale": data["rationale"]},
    )
