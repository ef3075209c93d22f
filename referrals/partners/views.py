"""The partner journey's pages. Triage (on a referral): send a request, withdraw it,
record a decision not to share. Partners (/partners/): the queue of requests to their
agency and a page per request with only what it shares. Administrators: search the
information-sharing log. Every fetch goes through `referrals.permissions` (404 out of
scope); a POST with errors shows the form again with what was typed."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role
from referrals.audit import audit_record
from referrals.partners import services
from referrals.partners.forms import InformationRequestForm, PartnerAnswerForm, SharingRefusalForm
from referrals.partners.panel import partner_queue_rows, partner_request_page_context
from referrals.partners.search import SharingLogSearchForm, sharing_log_search_rows
from referrals.permissions import (
    Action,
    information_request_for_partner,
    information_request_for_triage,
    information_requests_for_partner,
    referral_for_user,
)

ANCHOR = "#partner-requests"


def _referral(request, reference, audit_action: str):
    return referral_for_user(
        request.user, Action.TRIAGE, reference=reference, request=request, audit_action=audit_action
    )


def _back(referral):
    return redirect(reverse("referral_detail", args=[referral.reference]) + ANCHOR)


def _form_page(request, referral, form, *, title: str, intro: str = ""):
    context = {
        "referral": referral,
        "form": form,
        "title": title,
        "intro": intro,
        "action_url": request.path,
        "back_url": reverse("referral_detail", args=[referral.reference]) + ANCHOR,
    }
    return render(request, "referrals/addenda/form_page.html", context)


@role_required(Role.TRIAGE)
def information_request_create(request, reference):
    referral = _referral(request, reference, "partner_request.sent")
    form = InformationRequestForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.information_request_send(
                referral=referral,
                user=request.user,
                organisation=data["organisation"],
                question=data["question"],
                shared_fields=data["shared_fields"],
                due_at=data["due_at"],
                lawful_basis=data["lawful_basis"],
                form_token=data["form_token"],
                request=request,
            )
        except services.PartnerRequestRefused as exc:
            # Refused (say, nobody at the agency can sign in): the form again, as typed.
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Request sent to {data['organisation'].name}. They have been told."
            )
            return _back(referral)
    return _form_page(request, referral, form, title="Ask a partner agency")


@role_required(Role.TRIAGE)
@require_POST
def information_request_withdraw(request, reference, pk):
    referral = _referral(request, reference, "partner_request.withdrawn")
    info = information_request_for_triage(request.user, referral, pk, request=request)
    try:
        services.information_request_withdraw(
            information_request=info, user=request.user, request=request
        )
    except services.PartnerRequestRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Request withdrawn.")
    return _back(referral)


@role_required(Role.TRIAGE)
def sharing_refusal_create(request, reference):
    referral = _referral(request, reference, "disclosure_refused")
    form = SharingRefusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sharing_refusal_record(
                referral=referral,
                user=request.user,
                kind=data["kind"],
                what=services.shared_labels(data["what"]),
                reason=data["reason"],
                organisation=data["organisation"],
                recipient_name=data["recipient_name"].strip(),
                form_token=data["form_token"],
                request=request,
            )
        except services.PartnerRequestRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Decision not to share recorded in the sharing log.")
            return _back(referral)
    return _form_page(request, referral, form, title="Record a decision not to share")


@role_required(Role.PARTNER)
def partner_queue(request):
    rows = information_requests_for_partner(request.user)
    audit_record(action="partner_request.queue_viewed", request=request)
    context = {"rows": partner_queue_rows(rows, timezone.now())}
    return render(request, "referrals/partners/queue.html", context)


@role_required(Role.PARTNER)
def partner_request_detail(request, pk):
    info = information_request_for_partner(request.user, pk, request=request)
    if info.state == info.State.WITHDRAWN:
        return render(request, "referrals/partners/withdrawn.html", {"info": info}, status=200)
    form = None
    if info.is_open:
        form = PartnerAnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.information_request_answer(
                    information_request=info,
                    user=request.user,
                    answer=data["answer"],
                    nothing_known=data["nothing_known"],
                    form_token=data["form_token"],
                    request=request,
                )
            except services.PartnerRequestRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Answer sent to the front door. Thank you.")
            return redirect("partner_request_detail", pk=info.pk)
    elif request.method == "POST":
        messages.info(request, "This request has already been answered.")
        return redirect("partner_request_detail", pk=info.pk)
    audit_record(action="partner_request.viewed", request=request, referral=info.referral, obj=info)
    return render(
        request, "referrals/partners/request.html", partner_request_page_context(info, form)
    )


@role_required(Role.ADMINISTRATOR)
def sharing_log_search(request):
    form = SharingLogSearchForm(request.GET or None)
    rows, searched = [], False
    if form.is_bound and form.is_valid():
        searched = True
        rows = sharing_log_search_rows(form.cleaned_data)
        audit_record(
            action="sharing_log.searched",
            request=request,
            detail={k: str(v) for k, v in form.cleaned_data.items() if v},
        )
    context = {"form": form, "rows": rows, "searched": searched}
    return render(request, "referrals/partners/sharing_log.html", context)
