"""Subject access requests (issue 21), for administrators only: everyone else gets a
404 (role_required, then referrals.permissions). Every page and download is audited:
a bundle gathers every referral about a person."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.models import Role
from referrals.audit import audit_record
from referrals.permissions import (
    can_handle_subject_access,
    subject_access_bundle_for_user,
    subject_access_request_for_user,
)
from referrals.subject_access import documents, presenters, services
from referrals.subject_access.forms import ExtendForm, ReleaseForm, RequestForm, ReviewForm


def _sar(request, pk, action: str):
    return subject_access_request_for_user(request.user, pk, request=request, audit_action=action)


def _posted(request):
    """The form's data on a POST, even an empty one (a review with nothing ticked)."""
    return request.POST if request.method == "POST" else None


@role_required(Role.ADMINISTRATOR)
@require_GET
def subject_access_list(request):
    if not can_handle_subject_access(request.user):
        raise Http404
    rows = presenters.list_rows()
    audit_record(action="subject_access.listed", request=request, detail={"listed": len(rows)})
    return render(request, "referrals/subject_access/list.html", {"rows": rows})


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def subject_access_create(request):
    if not can_handle_subject_access(request.user):
        raise Http404
    form = RequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sar = services.subject_access_request_record(
            user=request.user,
            person_record=data["record"],
            referral=None if data["record"] else data["referral"],
            requester=data["requester"],
            requester_name=data["requester_name"],
            received_on=data["received_on"],
            request=request,
        )
        messages.success(request, "Request recorded. The bundle is being produced.")
        return redirect("subject_access_detail", pk=sar.pk)
    status = 400 if form.errors else 200
    return render(request, "referrals/subject_access/create.html", {"form": form}, status=status)


@role_required(Role.ADMINISTRATOR)
@require_GET
def subject_access_detail(request, pk):
    sar = _sar(request, pk, "subject_access.viewed")
    audit_record(action="subject_access.viewed", request=request, obj=sar)
    context = {**presenters.detail_context(sar), "release_form": ReleaseForm()}
    return render(request, "referrals/subject_access/detail.html", context)


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def subject_access_extend(request, pk):
    sar = _sar(request, pk, "subject_access.extended")
    if sar.is_extended or sar.state != sar.State.OPEN:
        messages.info(request, "This request cannot be extended again.")
        return redirect("subject_access_detail", pk=sar.pk)
    form = ExtendForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.subject_access_extend(
            sar=sar, user=request.user, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, f"Extended: now due {sar.due_on:%-d %B %Y}.")
        return redirect("subject_access_detail", pk=sar.pk)
    status = 400 if form.errors else 200
    context = {"sar": sar, "form": form}
    return render(request, "referrals/subject_access/extend.html", context, status=status)


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def subject_access_review(request, pk):
    sar = _sar(request, pk, "subject_access.reviewed")
    proposals = documents.proposals(services.subject_referrals(sar), sar.unredacted)
    form = ReviewForm(_posted(request), proposals=proposals)
    if request.method == "POST" and sar.state == sar.State.OPEN and form.is_valid():
        services.subject_access_review(
            sar=sar, user=request.user, unredacted=form.cleaned_data["unredact"], request=request
        )
        messages.success(request, "Review saved. The bundle is being produced again.")
        return redirect("subject_access_detail", pk=sar.pk)
    audit_record(action="subject_access.review_viewed", request=request, obj=sar)
    context = {"sar": sar, "form": form, "rows": presenters.review_rows(sar, form, proposals)}
    status = 400 if form.errors else 200
    return render(request, "referrals/subject_access/review.html", context, status=status)


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["POST"])
def subject_access_release(request, pk):
    sar = _sar(request, pk, "subject_access.released")
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        context = {**presenters.detail_context(sar), "release_form": form}
        return render(request, "referrals/subject_access/detail.html", context, status=400)
    try:
        services.subject_access_release(
            sar=sar,
            user=request.user,
            lawful_basis=form.cleaned_data["lawful_basis"],
            request=request,
        )
    except services.ReleaseRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Bundle released and logged in the information-sharing log.")
    return redirect("subject_access_detail", pk=sar.pk)


@role_required(Role.ADMINISTRATOR)
@require_GET
def subject_access_download(request, pk, bundle_id):
    sar = _sar(request, pk, "subject_access.downloaded")
    row = subject_access_bundle_for_user(request.user, sar, bundle_id, request=request)
    audit_record(action="subject_access.downloaded", request=request, obj=row)
    response = FileResponse(
        default_storage.open(row.file.name, "rb"),
        as_attachment=True,
        filename=f"subject-access-{sar.pk}-{row.pk}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
