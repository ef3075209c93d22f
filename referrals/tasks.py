"""Celery tasks: they take ids and call services. Nothing imports this module: services
queue work by task name (referrals.jobs), and the worker finds the tasks here."""

import logging

from celery import shared_task
from django.conf import settings

from referrals.attachments import scanner
from referrals.attachments import services as attachments
from referrals.exports import services as exports
from referrals.intake import services as intake
from referrals.notifications import delivery, outbox, webhooks
from referrals.partners import services as partners
from referrals.retention import services as retention
from referrals.subject_access import services as subject_access

logger = logging.getLogger(__name__)


@shared_task(name="referrals.drafts_expire")
def drafts_expire() -> int:
    return intake.drafts_expire()


@shared_task(
    name="referrals.notification_send",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.NOTIFICATION_SEND_SOFT_TIME_LIMIT,
    time_limit=settings.NOTIFICATION_SEND_TIME_LIMIT,
)
def notification_send(self, notification_id: int) -> None:
    """Send one outbox row; the row (not the task) counts attempts, so a task the relay
    republished continues the same backoff and ends "failed" after the last attempt."""
    try:
        delivery.notification_deliver(notification_id=notification_id)
    except delivery.RetryLater as later:
        raise self.retry(countdown=later.countdown, max_retries=None) from None


@shared_task(name="referrals.notification_relay", ignore_result=True)
def notification_relay() -> int:
    """Beat, every few seconds: publish rows whose publish was lost, whose task seems
    lost, or whose worker died mid-send."""
    return len(delivery.notifications_publish(outbox.notifications_for_relay()))


@shared_task(name="referrals.notifications_overdue")
def notifications_overdue() -> int:
    return len(outbox.notifications_queue_overdue())


@shared_task(name="referrals.notifications_digest")
def notifications_digest() -> int:
    return len(outbox.notifications_queue_digest())


@shared_task(name="referrals.partner_requests_chase")
def partner_requests_chase() -> dict:
    """Beat: remind partner agencies before the due time, escalate when overdue (h19b)."""
    return partners.partner_requests_chase()


@shared_task(name="referrals.handoffs_overdue")
def handoffs_overdue() -> int:
    """Beat (h19c): hand-offs not acknowledged in time alert the Triage leads."""
    return len(outbox.notifications_queue_handoff_overdue())


# --- Exports and summaries
# WeasyPrint renders have their own, tighter time limits: past the soft limit the service
# marks the export failed with a message; the hard limit kills a runaway render.
_RENDER_LIMITS = {
    "soft_time_limit": settings.EXPORT_RENDER_SOFT_TIME_LIMIT,
    "time_limit": settings.EXPORT_RENDER_TIME_LIMIT,
}


@shared_task(name="referrals.export_render", **_RENDER_LIMITS)
def export_render_task(export_id: int) -> None:
    exports.export_render(export_id=export_id)


@shared_task(name="referrals.summary_generate", **_RENDER_LIMITS)
def summary_generate_task(summary_id: int) -> None:
    exports.summary_generate(summary_id=summary_id)


@shared_task(name="referrals.summary_previous_month")
def summary_previous_month_task() -> None:
    exports.summary_previous_month()


@shared_task(name="referrals.exports_delete_expired")
def exports_delete_expired_task() -> None:
    exports.exports_delete_expired()


# --- h21a: attachments scanned by ClamAV


@shared_task(name="referrals.attachment_scan", ignore_result=True)
def attachment_scan_task(attachment_id: int) -> None:
    """Scanner down: the file stays pending; the beat job rescans it when clamd is back."""
    try:
        attachments.attachment_scan(attachment_id=attachment_id)
    except scanner.ScannerUnavailable as exc:
        logger.warning("attachment %s not scanned (%s)", attachment_id, exc)


@shared_task(name="referrals.attachments_rescan_pending", ignore_result=True)
def attachments_rescan_pending_task() -> int:
    return attachments.attachments_rescan_pending()


# --- Webhooks (h22b)


@shared_task(name="referrals.webhook_send", bind=True, acks_late=True)
def webhook_send(self, delivery_id: int) -> None:
    """One delivery attempt; the row counts attempts and holds the backoff."""
    try:
        webhooks.webhook_deliver(delivery_id=delivery_id)
    except webhooks.RetryLater as later:
        raise self.retry(countdown=later.countdown, max_retries=None) from None


@shared_task(name="referrals.webhooks_sweep", ignore_result=True)
def webhooks_sweep() -> int:
    return webhooks.webhooks_sweep()


@shared_task(name="referrals.retention_list_due")
def retention_list_due() -> int:
    """Beat, nightly (h21r): refresh the due list of records whose retention has ended."""
    return retention.retention_list_due()


# --- h21s: subject access bundles


@shared_task(name="referrals.subject_access_bundle_render", **_RENDER_LIMITS)
def subject_access_bundle_render_task(bundle_id: int) -> None:
    subject_access.subject_access_bundle_render(bundle_id=bundle_id)
