"""The portal's own administration (administrators): users, invitations, account
requests, allowed domains and the audit trail. The Django admin is not for them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.audit_search import audit_events_matching
from accounts.decorators import role_required
from accounts.forms import (
    AccountRequestApprovalForm,
    AllowedDomainForm,
    AuditSearchForm,
    DailyDigestForm,
    InviteForm,
)
from accounts.models import AccountRequest, AllowedEmailDomain, Role, User
from referrals.models import AuditEvent

# Where each role starts its day; the first role the user holds wins.
ROLE_HOME = [
    (Role.TRIAGE, "triage_queue"),
    (Role.PRACTITIONER, "referral_mine"),
    (Role.MANAGER, "report_list"),
    (Role.ADMINISTRATOR, "user_list"),
]


@role_required(Role.ADMINISTRATOR)
def user_list(request):
    users = User.objects.select_related("organisation").prefetch_related("groups")
    page = Paginator(users.order_by("email"), 50).get_page(request.GET.get("page"))
    pending = AccountRequest.objects.filter(status=AccountRequest.Status.PENDING).count()
    return render(request, "accounts/user_list.html", {"page": page, "pending_requests": pending})


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def user_invite(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_invite(**form.cleaned_data, request=request)
        messages.success(request, "Invitation sent.")
        return redirect("user_list")
    return render(request, "accounts/user_invite.html", {"form": form})


def _person_digest_form(person: User, data=None) -> DailyDigestForm:
    return DailyDigestForm(
        data,
        person=person,
        submit="Save daily digest setting",
        initial={"daily_digest": person.is_triage_lead},
    )


def _user_detail_page(request, person: User, digest_form: DailyDigestForm):
    context = {"person": person, "digest_form": digest_form}
    return render(request, "accounts/user_detail.html", context)


@role_required(Role.ADMINISTRATOR)
def user_detail(request, pk):
    person = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    return _user_detail_page(request, person, _person_digest_form(person))


@role_required(Role.ADMINISTRATOR)
@require_POST
def user_daily_digest(request, pk):
    person = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    form = _person_digest_form(person, request.POST)
    if not form.is_valid():
        return _user_detail_page(request, person, form)
    services.user_set_daily_digest(
        user=person, receives=form.cleaned_data["daily_digest"], request=request
    )
    messages.success(request, "Daily digest setting updated.")
    return redirect("user_detail", pk=person.pk)


@role_required(Role.ADMINISTRATOR)
@require_POST
def user_deactivate(request, pk):
    person = get_object_or_404(User, pk=pk)
    services.user_deactivate(user=person, request=request)
    messages.success(request, "Account deactivated. Every session it had has ended.")
    return redirect("user_detail", pk=person.pk)


@role_required(Role.ADMINISTRATOR)
@require_POST
def user_organisation_wide_view(request, pk):
    person = get_object_or_404(User, pk=pk)
    granted = request.POST.get("granted") == "yes"
    services.user_set_organisation_wide_view(user=person, granted=granted, request=request)
    messages.success(request, "Organisation-wide view updated.")
    return redirect("user_detail", pk=person.pk)


@role_required(Role.ADMINISTRATOR)
def account_request_list(request):
    pending = AccountRequest.objects.filter(status=AccountRequest.Status.PENDING)
    return render(
        request,
        "accounts/account_request_list.html",
        {"requests": pending.select_related("organisation")},
    )


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def account_request_decide(request, pk):
    """The request with an approval form (organisation, job title and roles can be
    corrected) and a decline button."""
    pending = get_object_or_404(
        AccountRequest.objects.select_related("organisation"),
        pk=pk,
        status=AccountRequest.Status.PENDING,
    )
    decision = request.POST.get("decision")
    if request.method == "POST" and decision == "decline":
        services.account_request_decline(account_request=pending, request=request)
        messages.success(request, "Request declined.")
        return redirect("account_request_list")
    data = request.POST if decision == "approve" else None
    form = AccountRequestApprovalForm(data, account_request=pending)
    if data is not None and form.is_valid():
        services.account_request_approve(
            account_request=pending, **form.cleaned_data, request=request
        )
        messages.success(request, "Request approved: an invitation has been sent.")
        return redirect("account_request_list")
    return render(
        request, "accounts/account_request_decide.html", {"pending": pending, "form": form}
    )


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def allowed_domain_list(request):
    form = AllowedDomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.allowed_domain_add(domain=form.cleaned_data["domain"], request=request)
        messages.success(request, "Domain added.")
        return redirect("allowed_domain_list")
    domains = AllowedEmailDomain.objects.all()
    return render(request, "accounts/allowed_domains.html", {"form": form, "domains": domains})


@role_required(Role.ADMINISTRATOR)
@require_POST
def allowed_domain_remove(request, pk):
    allowed = get_object_or_404(AllowedEmailDomain, pk=pk)
    services.allowed_domain_remove(allowed=allowed, request=request)
    messages.success(request, "Domain removed.")
    return redirect("allowed_domain_list")


@role_required(Role.ADMINISTRATOR)
def audit_search(request):
    form = AuditSearchForm(request.GET or None)
    events = AuditEvent.objects.none()
    if form.is_bound and form.is_valid():
        events = audit_events_matching(**form.cleaned_data)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "accounts/audit_search.html", context)
