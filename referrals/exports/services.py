"""Services for referral PDFs and monthly summaries: request, render, download checks,
generation and deletion of expired files.

Rendering runs on a worker, inside a transaction that holds the export's row lock: a
redelivered task waits for the lock, then finds the export no longer pending and does
nothing; a worker killed mid-render releases the lock and the redelivery renders it."""

import base64
import datetime as dt
import logging
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from referrals import links, pdf
from referrals.audit import audit_record
from referrals.exports import figures as reports
from referrals.intake import presenters
from referrals.models import Export, MonthlySummary, Referral, ReferralEvent, Status
from referrals.models.exports import ExportState
from referrals.permissions import Action, can

logger = logging.getLogger(__name__)

# Shown to the user; no personal data and nothing from the referral.
MESSAGE_TOO_LARGE = "The PDF was too long to produce ({pages} pages; the limit is {limit})."
MESSAGE_TOO_SLOW = "The PDF took too long to produce. Try again later."
MESSAGE_FAILED = "The PDF could not be produced. Try again, or ask the service desk."
MESSAGE_NOT_ALLOWED = "You may no longer export this referral."
MESSAGE_NOT_QUEUED = "The PDF could not be queued. Try again in a few minutes."
WITHHELD = "Withheld in this export"


# --- Referral PDFs -------------------------------------------------------------------


@transaction.atomic
def export_request(
    *, referral: Referral, user: User, redact_referrer: bool, request: HttpRequest | None = None
) -> Export:
    """A pending export, rendered by a worker once this transaction commits."""
    export = Export.objects.create(
        referral=referral, requested_by=user, redact_referrer=redact_referrer
    )
    ReferralEvent.objects.create(
        referral=referral,
        kind=ReferralEvent.Kind.EXPORTED,
        actor=user,
        text="PDF requested" + (" (referrer's identity withheld)" if redact_referrer else ""),
    )
    audit_record(
        action="export.requested",
        actor=user,
        request=request,
        referral=referral,
        obj=export,
        detail={"redact_referrer": redact_referrer},
    )
    transaction.on_commit(lambda: _queue_render(export.pk))
    return export


def _queue_render(export_id: int) -> None:
    from referrals.tasks import export_render_task

    try:
        export_render_task.delay(export_id)
    except Exception:
        logger.warning("broker unavailable; export %s marked failed", export_id)
        Export.objects.filter(pk=export_id, state=ExportState.PENDING).update(
            state=ExportState.FAILED, error=MESSAGE_NOT_QUEUED, completed_at=timezone.now()
        )


@transaction.atomic
def export_render(*, export_id: int) -> Export | None:
    """Render a pending export. Idempotent: anything but a pending export is left alone."""
    export = (
        Export.objects.select_for_update()
        .select_related("referral", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.state != ExportState.PENDING:
        return export
    # Permission is checked again: the user may have lost access since asking.
    if not can(export.requested_by, Action.EXPORT, export.referral):
        return _export_fail(export, MESSAGE_NOT_ALLOWED)
    try:
        rendered = pdf.html_to_pdf(referral_pdf_html(export))
    except pdf.TooLarge as exc:
        return _export_fail(export, MESSAGE_TOO_LARGE.format(pages=exc.pages, limit=exc.limit))
    except SoftTimeLimitExceeded:
        return _export_fail(export, MESSAGE_TOO_SLOW)
    except Exception as exc:
        # The exception may quote referral text: log its type and the id only.
        logger.error("export %s failed to render: %s", export.pk, type(exc).__name__)
        return _export_fail(export, MESSAGE_FAILED)
    export.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(rendered.content), save=False)
    export.state = ExportState.READY
    export.completed_at = timezone.now()
    export.save(update_fields=["file", "state", "completed_at"])
    return export


def _export_fail(export: Export, message: str) -> Export:
    export.state = ExportState.FAILED
    export.error = message
    export.completed_at = timezone.now()
    export.save(update_fields=["state", "error", "completed_at"])
    return export


def referral_pdf_context(export: Export) -> dict:
    """What the exporting user may see of the referral, as the referral page shows it
    (the same presenters), with the referrer's section withheld when asked."""
    referral = export.referral
    user = export.requested_by
    is_triage = can(user, Action.TRIAGE, referral)
    sections = [
        _for_pdf(section, redact=export.redact_referrer)
        for section in presenters.check_answers_rows(referral)
    ]
    context = {
        "referral": referral,
        "exported_by": user.full_name or user.email,
        "exported_on": timezone.localtime(export.requested_at),
        "received": timezone.localtime(referral.submitted_at) if referral.submitted_at else None,
        "redact": export.redact_referrer,
        "referred_by": WITHHELD
        if export.redact_referrer
        else ", ".join(x for x in [referral.referrer_name, referral.referrer_organisation] if x),
        "is_triage": is_triage,
        "sections": sections,
        "people": presenters.people_rows(referral),
        "answers": presenters.answer_rows(referral),
        "show_outcome": referral.status in (Status.DECIDED, Status.CLOSED),
    }
    if is_triage:
        context["events"] = _chronology(referral, export)
        context["links"] = links.links_for(referral)
        context["links_unlisted"] = links.unlisted(context["links"])
    return context


def _for_pdf(section: dict, *, redact: bool) -> dict:
    """The form's "About you" is the referrer's section to a reader of the PDF."""
    if section["slug"] != "referrer":
        return section
    rows = [(label, WITHHELD) for label, _ in section["rows"]] if redact else section["rows"]
    return {**section, "title": "The referrer", "rows": rows}


def _chronology(referral: Referral, export: Export) -> list[dict]:
    rows = []
    for event in referral.events.select_related("actor"):
        actor = event.actor.full_name if event.actor else "The portal"
        if export.redact_referrer and event.actor_id == referral.author_id:
            actor = "The referrer"
        rows.append(
            {
                "occurred_at": timezone.localtime(event.occurred_at),
                # A note given for an earlier phone call shows when it was written down.
                "recorded_at": timezone.localtime(event.recorded_at)
                if event.recorded_at - event.occurred_at > dt.timedelta(minutes=1)
                else None,
                "kind": event.get_kind_display(),
                "actor": actor,
                "text": event.text,
            }
        )
    return rows


def referral_pdf_html(export: Export) -> str:
    return render_to_string("referrals/exports/pdf/referral.html", referral_pdf_context(export))


def export_for_download(*, referral: Referral, user: User, export_id) -> Export | None:
    """The user's own ready export of this referral (None otherwise). An export holds what
    its requester may see (a triager's includes the rationale), so it is theirs alone."""
    try:
        export_id = int(export_id)
    except (TypeError, ValueError):
        return None
    return (
        Export.objects.filter(
            pk=export_id, referral=referral, requested_by=user, state=ExportState.READY
        )
        .exclude(file="")
        .first()
    )


def exports_of(*, referral: Referral, user: User) -> list[Export]:
    return list(Export.objects.filter(referral=referral, requested_by=user)[:10])


def exports_delete_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the files of exports older than EXPORT_RETENTION_DAYS, and their rows."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    deleted = 0
    for export in Export.objects.filter(requested_at__lt=cutoff).only("pk", "file"):
        with transaction.atomic():
            locked = Export.objects.select_for_update(skip_locked=True).filter(pk=export.pk)
            row = locked.first()
            if row is None:
                continue
            if row.file:
                row.file.delete(save=False)
            row.delete()
            deleted += 1
    if deleted:
        logger.info("deleted %s expired exports", deleted)
    return deleted


# --- Monthly summaries ---------------------------------------------------------------


@transaction.atomic
def summary_request(
    *,
    month: dt.date,
    user: User | None = None,
    request: HttpRequest | None = None,
    queue: bool = True,
) -> MonthlySummary:
    """Ask for the summary of `month` (made again if it exists and is not pending)."""
    month = reports.month_start(month)
    summary, created = MonthlySummary.objects.select_for_update().get_or_create(
        month=month, defaults={"requested_by": user}
    )
    if not created and summary.state != ExportState.PENDING:
        summary.state = ExportState.PENDING
        summary.error = ""
        summary.requested_by = user
        summary.requested_at = timezone.now()
        summary.completed_at = None
        summary.save()
    audit_record(
        action="summary.requested",
        actor=user,
        request=request,
        obj=summary,
        detail={"month": f"{month:%Y-%m}"},
    )
    if queue:
        transaction.on_commit(lambda: _queue_summary(summary.pk))
    return summary


def _queue_summary(summary_id: int) -> None:
    from referrals.tasks import summary_generate_task

    try:
        summary_generate_task.delay(summary_id)
    except Exception:
        logger.warning("broker unavailable; summary %s marked failed", summary_id)
        MonthlySummary.objects.filter(pk=summary_id, state=ExportState.PENDING).update(
            state=ExportState.FAILED, error=MESSAGE_NOT_QUEUED, completed_at=timezone.now()
        )


@transaction.atomic
def summary_generate(*, summary_id: int, now: dt.datetime | None = None) -> MonthlySummary | None:
    """Compute the figures and render the PDF of a pending summary (idempotent)."""
    summary = MonthlySummary.objects.select_for_update().filter(pk=summary_id).first()
    if summary is None or summary.state != ExportState.PENDING:
        return summary
    now = now or timezone.now()
    try:
        figures = reports.monthly_figures(summary.month, now=now)
        rendered = pdf.html_to_pdf(summary_pdf_html(summary, figures, now))
    except pdf.TooLarge as exc:
        return _summary_fail(summary, MESSAGE_TOO_LARGE.format(pages=exc.pages, limit=exc.limit))
    except SoftTimeLimitExceeded:
        return _summary_fail(summary, MESSAGE_TOO_SLOW)
    except Exception as exc:
        logger.error("summary %s failed: %s", summary.pk, type(exc).__name__)
        return _summary_fail(summary, MESSAGE_FAILED)
    old_file = summary.pdf.name
    summary.pdf.save(
        f"{summary.month:%Y-%m}-{uuid.uuid4().hex[:8]}.pdf",
        ContentFile(rendered.content),
        save=False,
    )
    summary.figures = figures
    summary.state = ExportState.READY
    summary.completed_at = now
    summary.save(update_fields=["pdf", "figures", "state", "completed_at"])
    if old_file:
        transaction.on_commit(lambda: default_storage.delete(old_file))
    return summary


def _summary_fail(summary: MonthlySummary, message: str) -> MonthlySummary:
    summary.state = ExportState.FAILED
    summary.error = message
    summary.completed_at = timezone.now()
    summary.save(update_fields=["state", "error", "completed_at"])
    return summary


def summary_pdf_context(summary: MonthlySummary, figures: dict, now: dt.datetime) -> dict:
    by_section: dict[str, list] = {}
    for line in reports.summary_lines(figures):
        by_section.setdefault(line.section, []).append(line)
    trend = figures["trend"]
    return {
        "summary": summary,
        "month": summary.month,
        "generated_on": timezone.localtime(now),
        "headline": by_section["Referrals"],
        "timeliness": by_section["Timeliness"],
        "tables": [
            (title, by_section[title])
            for title in ["Referring organisation", "Outcomes", "Warning signs answered Yes"]
        ],
        "age_sex": [
            {
                "band": row["band"],
                "counts": [reports.show_count(c) for c in row["counts"]],
                "total": reports.show_count(row["total"]),
            }
            for row in figures["age_sex"]
        ],
        "sex_labels": figures["sex_labels"],
        "trend": [
            {
                "month": dt.date.fromisoformat(row["month"]),
                "received": reports.show_count(row["received"]),
                "urgent": reports.show_count(row["urgent"]),
                "in_time": reports.show_share(row["in_time"], row["received"]),
            }
            for row in trend
        ],
        "counts_chart": _svg_data_url(reports.trend_counts_svg(trend)),
        "timeliness_chart": _svg_data_url(reports.trend_timeliness_svg(trend)),
        "suppressing": reports.suppressing(),
    }


def _svg_data_url(svg: str) -> str:
    # A data: URL is one of the two kinds the PDF fetcher allows, and needs no |safe.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def summary_pdf_html(summary: MonthlySummary, figures: dict, now: dt.datetime) -> str:
    return render_to_string(
        "referrals/exports/pdf/summary.html", summary_pdf_context(summary, figures, now)
    )


def summary_previous_month(*, today: dt.date | None = None) -> MonthlySummary:
    """The beat job on the 1st: last month's summary, unless it is already ready."""
    month = reports.previous_month(today or timezone.localdate())
    existing = MonthlySummary.objects.filter(month=month, state=ExportState.READY).first()
    return existing or summary_request(month=month)
