"""Services for referral PDFs and monthly summaries: request, render, download checks,
generation and deletion of expired files.

Rendering runs on a worker, inside a transaction that holds the export's row lock: a
redelivered task waits for the lock, then finds the export no longer pending and does
nothing; a worker killed mid-render releases the lock and the redelivery renders it."""

import datetime as dt
import logging
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals import jobs, pdf
from referrals.audit import audit_record
from referrals.exports import documents, figures
from referrals.models import Disclosure, Export, MonthlySummary, Referral, ReferralEvent
from referrals.models.exports import ExportState
from referrals.permissions import Action, can
from referrals.sharing import DEFAULT_LAWFUL_BASIS, disclosure_record

logger = logging.getLogger(__name__)

# Shown to the user; no personal data and nothing from the referral.
MESSAGE_TOO_LARGE = "The PDF was too long to produce ({pages} pages; the limit is {limit})."
MESSAGE_TOO_SLOW = "The PDF took too long to produce. Try again later."
MESSAGE_FAILED = "The PDF could not be produced. Try again, or ask the service desk."
MESSAGE_NOT_ALLOWED = "You may no longer export this referral."
MESSAGE_NOT_QUEUED = "The PDF could not be queued. Try again in a few minutes."


# --- Referral PDFs -------------------------------------------------------------------


@transaction.atomic
def export_request(
    *,
    referral: Referral,
    user: User,
    redact_referrer: bool,
    withheld: dict | None = None,
    request: HttpRequest | None = None,
) -> Export:
    """A pending export, rendered by a worker once this transaction commits. It is
    logged in the information-sharing log with what it shares and what it withholds."""
    withheld = {**(withheld or {}), "referrer": redact_referrer}
    export = Export.objects.create(
        referral=referral, requested_by=user, redact_referrer=redact_referrer, withheld=withheld
    )
    shared, held = _sharing_lists(referral, withheld)
    disclosure_record(
        referral=referral,
        kind=Disclosure.Kind.EXPORT,
        what=[*shared, *(f"withheld: {item}" for item in held)],
        lawful_basis=DEFAULT_LAWFUL_BASIS,
        decided_by=user,
        reason="Withheld: " + ", ".join(held) if held else "",
        request=request,
        idempotency_key=f"export:{export.pk}",
    )
    withheld = " (referrer's identity withheld)" if redact_referrer else ""
    ReferralEvent.record(
        referral, ReferralEvent.Kind.EXPORTED, user, text="PDF requested" + withheld
    )
    audit_record(
        action="export.requested",
        actor=user,
        request=request,
        referral=referral,
        obj=export,
        detail={"redact_referrer": redact_referrer},
    )
    jobs.enqueue(
        "referrals.export_render", export.pk, on_failure=lambda: _not_queued(Export, export.pk)
    )
    return export


def _sharing_lists(referral: Referral, withheld: dict) -> tuple[list[str], list[str]]:
    """The kinds of information an export shares and withholds (never their values)."""
    people = {p.pk: p.get_role_display().lower() for p in referral.people.all()}
    held_people = [pk for pk in withheld.get("people", []) if pk in people]
    held = []
    if withheld.get("referrer"):
        held.append("referrer's identity")
    held += [f"third party {pk} ({people[pk]})" for pk in held_people]
    if withheld.get("consent"):
        held.append("what must not be shared with the family")
    if withheld.get("attachments"):
        held.append("list of attached files")
    shared = ["referral PDF", "subject's details", "warning signs"]
    if not withheld.get("referrer"):
        shared.append("referrer's identity")
    shared += [f"third party {pk} ({role})" for pk, role in people.items() if pk not in held_people]
    if not withheld.get("consent"):
        shared.append("what must not be shared with the family")
    if not withheld.get("attachments"):
        shared.append("list of attached files")
    return shared, held


def _not_queued(model, pk: int) -> None:
    """The broker was down when the render was to be queued: say so on the export (or
    summary) rather than leave it pending for ever; the user can ask again."""
    logger.warning("broker unavailable; %s %s marked failed", model.__name__, pk)
    model.objects.filter(pk=pk, state=ExportState.PENDING).update(
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
        return _fail(export, MESSAGE_NOT_ALLOWED)
    rendered, error = _render(export, lambda: documents.referral_pdf_html(export))
    if error:
        return _fail(export, error)
    export.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(rendered.content), save=False)
    export.state = ExportState.READY
    export.completed_at = timezone.now()
    export.save(update_fields=["file", "state", "completed_at"])
    return export


def _render(row: Export | MonthlySummary, html) -> tuple[pdf.RenderedPDF | None, str]:
    """The PDF of `html()` for an export or a summary, or the message that says why
    there is none (too long, too slow, or failed)."""
    try:
        return pdf.html_to_pdf(html()), ""
    except pdf.TooLarge as exc:
        return None, MESSAGE_TOO_LARGE.format(pages=exc.pages, limit=exc.limit)
    except SoftTimeLimitExceeded:
        return None, MESSAGE_TOO_SLOW
    except Exception as exc:
        # The exception may quote referral text: log its type and the id only.
        logger.error("%s %s failed to render: %s", row._meta.model_name, row.pk, type(exc).__name__)
        return None, MESSAGE_FAILED


def _fail(row: Export | MonthlySummary, message: str):
    row.state = ExportState.FAILED
    row.error = message
    row.completed_at = timezone.now()
    row.save(update_fields=["state", "error", "completed_at"])
    return row


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
    month = figures.month_start(month)
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
        jobs.enqueue(
            "referrals.summary_generate",
            summary.pk,
            on_failure=lambda: _not_queued(MonthlySummary, summary.pk),
        )
    return summary


@transaction.atomic
def summary_generate(*, summary_id: int, now: dt.datetime | None = None) -> MonthlySummary | None:
    """Compute the figures and render the PDF of a pending summary (idempotent)."""
    summary = MonthlySummary.objects.select_for_update().filter(pk=summary_id).first()
    if summary is None or summary.state != ExportState.PENDING:
        return summary
    now = now or timezone.now()
    figures_of_month = {}

    def html():
        figures_of_month.update(figures.monthly_figures(summary.month, now=now))
        return documents.summary_pdf_html(summary, figures_of_month, now)

    rendered, error = _render(summary, html)
    if error:
        return _fail(summary, error)
    old_file = summary.pdf.name
    summary.pdf.save(
        f"{summary.month:%Y-%m}-{uuid.uuid4().hex[:8]}.pdf",
        ContentFile(rendered.content),
        save=False,
    )
    summary.figures = figures_of_month
    summary.state = ExportState.READY
    summary.completed_at = now
    summary.save(update_fields=["pdf", "figures", "state", "completed_at"])
    if old_file:
        transaction.on_commit(lambda: default_storage.delete(old_file))
    return summary


def summary_previous_month(*, today: dt.date | None = None) -> MonthlySummary:
    """The beat job on the 1st: last month's summary, unless it is already ready."""
    month = figures.previous_month(today or timezone.localdate())
    existing = MonthlySummary.objects.filter(month=month, state=ExportState.READY).first()
    return existing or summary_request(month=month)
