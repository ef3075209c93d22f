"""What the subject access pages show: the list of open requests with their due dates
(overdue ones tagged), one request's status and bundles, and the review's rows."""

from django.urls import reverse
from django.utils import timezone

from referrals.models import SubjectAccessRequest
from referrals.models.exports import ExportState
from referrals.subject_access import services

BUNDLE_TAGS = {
    ExportState.PENDING: ("Being produced", "govuk-tag--yellow"),
    ExportState.READY: ("Ready", "govuk-tag--green"),
    ExportState.FAILED: ("Failed", "govuk-tag--red"),
}
# The due soon warning: a week before the deadline.
DUE_SOON_DAYS = 7


def due_tag(sar: SubjectAccessRequest, today=None) -> tuple[str, str]:
    today = today or timezone.localdate()
    if sar.state == SubjectAccessRequest.State.RELEASED:
        return "Released", "govuk-tag--green"
    if sar.due_on < today:
        return "Overdue", "govuk-tag--red"
    if (sar.due_on - today).days <= DUE_SOON_DAYS:
        return "Due soon", "govuk-tag--orange"
    return "Open", "govuk-tag--blue"


def list_rows(today=None) -> list[dict]:
    rows = []
    for sar in SubjectAccessRequest.objects.open().order_by("due_on", "pk"):
        label, tag_class = due_tag(sar, today)
        rows.append(
            {
                "sar": sar,
                "url": reverse("subject_access_detail", args=[sar.pk]),
                "subject": _subject(sar),
                "tag": label,
                "tag_class": tag_class,
            }
        )
    return rows


def _subject(sar: SubjectAccessRequest) -> str:
    if sar.person_record_id:
        return f"Person record {sar.person_record_id}"
    return f"Subject of {sar.referral.reference}"


def detail_context(sar: SubjectAccessRequest) -> dict:
    referrals = services.subject_referrals(sar)
    newest = referrals[-1] if referrals else None
    label, tag_class = due_tag(sar)
    bundles = []
    for row in sar.bundles.all()[:10]:
        state, css = BUNDLE_TAGS[row.state]
        bundles.append(
            {
                "bundle": row,
                "state": state,
                "tag_class": css,
                "download_url": reverse("subject_access_download", args=[sar.pk, row.pk])
                if row.state == ExportState.READY
                else "",
            }
        )
    return {
        "sar": sar,
        "subject": _subject(sar),
        # So that the administrator can check the person is the requester's subject.
        "subject_name": " ".join(x for x in [newest.first_name, newest.last_name] if x)
        if newest
        else "",
        "subject_dob": newest.date_of_birth if newest else None,
        "references": [r.reference for r in referrals],
        "tag": label,
        "tag_class": tag_class,
        "bundles": bundles,
        "pending": any(b["bundle"].state == ExportState.PENDING for b in bundles),
        "can_release": services.releasable(sar) is not None,
        "is_open": sar.state == SubjectAccessRequest.State.OPEN,
    }


def review_rows(sar: SubjectAccessRequest, form, proposals) -> list[dict]:
    """One row per proposed redaction: what, where, and its checkbox (ticked: release)."""
    chosen = set(form["unredact"].value() or []) if form.is_bound else set(sar.unredacted)
    return [
        {
            "key": p.key,
            "id": f"unredact-{i}",
            "reference": p.reference,
            "where": p.where,
            "what": p.what,
            "checked": p.key in chosen,
        }
        for i, p in enumerate(proposals)
    ]
