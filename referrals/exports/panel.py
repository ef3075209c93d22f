"""The export panel on the referral page: the viewer's own PDFs of it and the form to
ask for another; empty (no panel) when the user may not export the referral."""

from django.conf import settings
from django.urls import reverse

from referrals.models.exports import ExportState
from referrals.permissions import Action, can, exports_visible_to


def export_terms(of: str) -> str:
    """What the PDF holds and how long it is kept, said on the referral page's panel
    (`of` "this page") and on the export page ("the referral page")."""
    days = settings.EXPORT_RETENTION_DAYS
    return (
        f"The PDF holds what you can see on {of}, marked OFFICIAL-SENSITIVE. It is kept "
        f"for {days} day{'' if days == 1 else 's'} and only you can download it."
    )


def export_panel_context(request, referral) -> dict:
    """Context for templates/referrals/exports/panel.html on the referral page;
    empty (no panel) when the user may not export the referral."""
    if not can(request.user, Action.EXPORT, referral):
        return {}
    rows = [
        {
            "export": export,
            "state": export.get_state_display(),
            "tag_class": STATE_TAG_CLASSES[export.state],
            "download_url": reverse("export_download", args=[referral.reference, export.pk])
            if export.state == ExportState.READY
            else "",
        }
        for export in exports_visible_to(request.user, referral)[:10]
    ]
    return {
        "export_action": reverse("export_create", args=[referral.reference]),
        "export_rows": rows,
        "export_terms": export_terms("this page"),
        "export_pending": any(r["export"].state == ExportState.PENDING for r in rows),
    }


STATE_TAG_CLASSES = {
    ExportState.PENDING: "govuk-tag--yellow",
    ExportState.READY: "govuk-tag--green",
    ExportState.FAILED: "govuk-tag--red",
}
