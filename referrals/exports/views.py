"""PDF exports of a referral and the managers' monthly summaries (issue 7).

Downloads stream from storage through these views, which check permission every time
and audit every request; generated files never have a public URL."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.models import Role
from referrals.audit import audit_record
from referrals.exports import documents, figures
from referrals.exports import services as exports
from referrals.exports.forms import ExportForm, SummaryForm
from referrals.exports.panel import STATE_TAG_CLASSES, export_terms
from referrals.models import MonthlySummary
from referrals.models.exports import ExportState
from referrals.permissions import Action, export_for_user, referral_for_user

# --- Referral PDFs -------------------------------------------------------------------


@role_required(Role.PRACTITIONER, Role.TRIAGE)
@require_http_methods(["GET", "POST"])
def export_create(request, reference):
    """GET: what to withhold from the PDF (a page of its own, not a form on every view
    of the referral page: issue 17). POST: ask for the PDF; the worker produces it."""
    referral = referral_for_user(
        request.user,
        Action.EXPORT,
        reference=reference,
        request=request,
        audit_action="export.requested",
    )
    posted = request.method == "POST"
    form = ExportForm(request.POST if posted else None, referral=referral)
    if posted and form.is_valid():
        withheld = form.withheld()
        exports.export_request(
            referral=referral,
            user=request.user,
            redact_referrer=withheld["referrer"],
            withheld=withheld,
            request=request,
        )
        messages.success(
            request, "The PDF is being produced. Refresh this page in a moment to download it."
        )
        return redirect(reverse("referral_detail", args=[referral.reference]) + "#export")
    # The page names the referral's people (the choices of whom to withhold): a read.
    audit_record(
        action="referral.viewed", request=request, referral=referral, detail={"page": "export"}
    )
    context = {
        "referral": referral,
        "form": form,
        "title": "Export as PDF",
        "intro": export_terms("the referral page") + " Choose what to leave out, for "
        "example before sharing it with a partner agency.",
        "action_url": request.path,
        "back_url": reverse("referral_detail", args=[referral.reference]) + "#export",
    }
    # The portal's one page for a form about a referral (also the partners' and the
    # referrer loop's).
    return render(request, "referrals/addenda/form_page.html", context)


@role_required(Role.PRACTITIONER, Role.TRIAGE)
@require_GET
def export_download(request, reference, export_id):
    referral = referral_for_user(
        request.user,
        Action.EXPORT,
        reference=reference,
        request=request,
        audit_action="export.downloaded",
    )
    export = export_for_user(request.user, referral, export_id, request=request)
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
            "tag_class": STATE_TAG_CLASSES[summary.state],
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
        first = figures.parse_month(month)
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
    response = HttpResponse(documents.summary_csv(summary.figures), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="referrals-summary-{month}.csv"'
    return _no_store(response)
