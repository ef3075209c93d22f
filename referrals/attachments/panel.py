"""The attachments list on the referral page and on the attachments page. Keys start
with `attachments_`."""

from django.urls import reverse

from referrals.attachments import scanner
from referrals.models import Attachment, Referral
from referrals.permissions import can_attach

_TAGS = {
    Attachment.State.PENDING: ("Being checked", "govuk-tag--yellow"),
    Attachment.State.CLEAN: ("Checked", "govuk-tag--green"),
    Attachment.State.INFECTED: ("Quarantined", "govuk-tag--red"),
}


def attachment_rows(referral: Referral) -> list[dict]:
    configured = scanner.configured()
    rows = []
    for attachment in referral.attachments.all():
        state, tag = _TAGS[attachment.state]
        if attachment.state == Attachment.State.PENDING and not configured:
            state, tag = "Scanning unavailable", "govuk-tag--grey"
        clean = attachment.state == Attachment.State.CLEAN
        rows.append(
            {
                "name": attachment.name,
                "kind": attachment.get_kind_display(),
                "size_kb": max(1, attachment.size // 1024),
                "state": state,
                "tag_class": tag,
                "download_url": reverse(
                    "attachment_download", args=[referral.public_id, attachment.pk]
                )
                if clean
                else "",
            }
        )
    return rows


def attachments_panel_context(request, referral: Referral) -> dict:
    rows = attachment_rows(referral)
    may_attach = can_attach(request.user, referral)
    if not rows and not may_attach and not referral.indecent_imagery_exists:
        return {}
    return {
        "attachments_rows": rows,
        "attachments_url": reverse("referral_attachments", args=[referral.public_id])
        if may_attach
        else "",
        "attachments_imagery": referral.indecent_imagery_exists,
        "attachments_imagery_description": referral.indecent_imagery_description,
    }
