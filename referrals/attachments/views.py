"""Attach files to a referral and open them. Every request fetches the referral
through `referrals.permissions` (404 out of scope); a file is served only once ClamAV
has found it clean, as an attachment (never inline) with nosniff, and every download is
audited."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.models import Role
from referrals.attachments import services
from referrals.attachments.forms import AttachmentForm
from referrals.attachments.panel import attachments_panel_context
from referrals.models import Status
from referrals.permissions import (
    Action,
    attachment_for_user,
    referral_for_user,
    referral_to_attach_for_user,
)

_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "text": "text/plain; charset=utf-8",
}


def _back_url(referral) -> str:
    if referral.status == Status.DRAFT:
        return reverse("referral_tasks", args=[referral.public_id])
    return reverse("referral_detail", args=[referral.reference]) + "#attachments"


@role_required(Role.PRACTITIONER, Role.TRIAGE)
@require_http_methods(["GET", "POST"])
def referral_attachments(request, public_id):
    referral = referral_to_attach_for_user(request.user, public_id, request=request)
    existing = referral.attachments.count()
    form = AttachmentForm(request.POST or None, request.FILES or None, existing=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        said = []
        if data["file"] is not None:
            services.attachment_add(
                referral=referral,
                user=request.user,
                upload=data["file"],
                kind=data["kind"],
                request=request,
            )
            said.append("File attached. Nobody can open it until it has been checked for viruses.")
        if data["indecent_imagery_exists"]:
            services.referral_record_indecent_imagery(
                referral=referral,
                user=request.user,
                description=data["indecent_imagery_description"],
                request=request,
            )
            said.append("Recorded that the images exist.")
        messages.success(request, " ".join(said))
        return redirect(request.path)
    context = {
        "referral": referral,
        "form": form,
        "back_url": _back_url(referral),
        **attachments_panel_context(request, referral),
    }
    return render(request, "referrals/attachments/page.html", context)


@role_required(Role.PRACTITIONER, Role.TRIAGE)
@require_GET
def attachment_download(request, public_id, pk):
    referral = referral_for_user(
        request.user,
        Action.VIEW,
        public_id=public_id,
        request=request,
        audit_action="attachment.downloaded",
    )
    attachment = attachment_for_user(request.user, referral, pk, request=request)
    services.attachment_opened(attachment=attachment, user=request.user, request=request)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=_CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
