"""PDF exports of a referral and the managers' monthly summaries (issue 7).

Downloads stream from storage through these views, which check permission every time
and audit every request; generated files never have a public URL."""

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from referrals.audit import audit_record
from referrals.exports import figures as reports
from referrals.exports import services as exports
from referrals.models import AuditEvent, MonthlySummary
from referrals.models.exports import ExportState
from referrals.permissions import Action, can, referral_for_user

SUMMARY_MONTHS_OFFERED = 24


class ExportForm(forms.Form):
    redact_referrer = forms.BooleanField(
        label="Withhold the referrer's identity",
        help_text="The PDF leaves out the referrer's name, role, organisation and contact "
        "details, for example when sharing it with a partner agency.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkbox("redact_referrer", small=True), Button("submit", "Export PDF")
        )


def _month_choices(today: dt.date) -> list[tuple[str, str]]:
    # The current month too: a manager may want the month so far.
    this_month = reports.month_start(today)
    months = [reports.add_months(this_month, -n) for n in range(SUMMARY_MONTHS_OFFERED)]
    return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]


class SummaryForm(forms.Form):
    month = forms.ChoiceField(
        label="Month",
        help_text="The summary covers referrals received in this calendar month.",
        error_messages={
            "required": "Choose the month to summarise",
            "invalid_choice": "Choose a month from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "Choose a month")] + _month_choices(
            timezone.localdate()
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("month", label_size=Size.SMALL), Button("submit", "Produce summary")
        )

    def clean_month(self) -> dt.date:
        return reports.parse_month(self.cleaned_data["month"])


# --- Referral PDFs -------------------------------------------------------------------


def export_panel_context(request, referral) -> dict:
    """Context for templates/referrals/includes/export_panel.html on the referral page;
    empty (no panel) when the user may not export the referral."""
    if referral.is_draft or not can(request.user, Action.EXPORT, referral):
        return {}
    rows = [
        {
            "export": export,
            "state": export.get_state_display(),
            "tag_class": _TAG_CLASSES[export.state],
            "download_url": reverse("export_download", args=[referral.reference, export.pk])
            if export.state == ExportState.READY
            else "",
        }
        for export in exports.exports_of(referral=referral, user=request.user)
    ]
    return {
        "export_form": ExportForm(),
        "export_action": reverse("export_create", args=[referral.reference]),
        "export_rows": rows,
        "export_retention_days": settings.EXPORT_RETENTION_DAYS,
        "export_pending": any(r["export"].state == ExportState.PENDING for r in rows),
    }


_TAG_CLASSES = {
    ExportState.PENDING: "govuk-tag--yellow",
    ExportState.READY: "govuk-tag--green",
    ExportState.FAILED: "govuk-tag--red",
}


def _referral_or_denied(request, action: str, reference: str):
    """The referral, or a 404 that is audited as a denied attempt."""
    try:
        return referral_for_user(request.user, Action.EXPORT, reference=reference)
    except Http404:
        audit_record(
            action=action,
            request=request,
            outcome=AuditEvent.Outcome.DENIED,
            detail={"reference": reference[:20]},
        )
        raise


@login_required
@require_POST
def export_create(request, reference):
    referral = _referral_or_denied(request, "export.requested", reference)
    if referral.is_draft:
        raise Http404
    form = ExportForm(request.POST)
    # A checkbox cannot be invalid: anything but "on" leaves the identity in.
    redact = form.is_valid() and form.cleaned_data["redact_referrer"]
    exports.export_request(
        referral=referral, user=request.user, redact_referrer=redact, request=request
    )
    messages.success(
        request, "The PDF is being produced. Refresh this page in a moment to download it."
    )
    return redirect(reverse("referral_detail", args=[referral.reference]) + "#export")


@login_required
@require_GET
def export_download(request, reference, export_id):
    referral = _referral_or_denied(request, "export.downloaded", reference)
    export = exports.export_for_download(referral=referral, user=request.user, export_id=export_id)
    if export is None:
        audit_record(
            action="export.downloaded",
            request=request,
            referral=referral,
            outcome=AuditEvent.Outcome.DENIED,
            detail={"export": str(export_id)},
        )
        raise Http404
    audit_record(action="export.downloaded", request=request, referral=referral, obj=export)
    return _attachment(export.file.name, f"{referral.reference}.pdf", "application/pdf")


def _attachment(name: str, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
    _no_store(response)
    return response


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Monthly summaries ---------------------------------------------------------------


@role_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def report_list(request):
    form = SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        month = form.cleaned_data["month"]
        exports.summary_request(month=month, user=request.user, request=request)
        messages.success(request, f"The summary for {month:%B %Y} is being produced.")
        return redirect("report_list")
    summaries = [
        {
            "summary": summary,
            "state": summary.get_state_display(),
            "tag_class": _TAG_CLASSES[summary.state],
            "ready": summary.state == ExportState.READY and bool(summary.pdf),
            "slug": f"{summary.month:%Y-%m}",
        }
        for summary in MonthlySummary.objects.order_by("-month")
    ]
    status = 400 if form.errors else 200
    return render(
        request,
        "referrals/exports/report_list.html",
        {"form": form, "summaries": summaries},
        status=status,
    )


def _ready_summary(request, month: str, action: str) -> MonthlySummary:
    try:
        first = reports.parse_month(month)
    except ValueError:
        raise Http404 from None
    summary = MonthlySummary.objects.filter(month=first, state=ExportState.READY).first()
    if summary is None:
        raise Http404
    audit_record(action=action, request=request, obj=summary, detail={"month": month})
    return summary


@role_required(Role.MANAGER)
@require_GET
def summary_download_pdf(request, month):
    summary = _ready_summary(request, month, "summary.downloaded_pdf")
    if not summary.pdf:
        raise Http404
    return _attachment(summary.pdf.name, f"referrals-summary-{month}.pdf", "application/pdf")


@role_required(Role.MANAGER)
@require_GET
def summary_download_csv(request, month):
    summary = _ready_summary(request, month, "summary.downloaded_csv")
    response = HttpResponse(reports.summary_csv(summary.figures), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="referrals-summary-{month}.csv"'
    return _no_store(response)
