"""Celery tasks: they take ids and call services."""

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(name="referrals.drafts_expire")
def drafts_expire() -> int:
    from referrals.intake.services import drafts_expire as expire

    return expire()


def notification_publish(ids: list[int]) -> list[int]:
    """Hand notifications to the broker and return the ids published. A failure is
    logged, not raised: with the broker down this fails fast (settings: producer
    timeouts, no publish retry), the rows stay pending and the relay publishes them."""
    from django.utils import timezone

    from referrals.models import Notification

    published = []
    for notification_id in ids:
        try:
            notification_send.delay(notification_id)
        except Exception as exc:  # noqa: BLE001 - the relay is the fallback for any failure
            logger.warning(
                "notification %s not published (%s); left for the relay",
                notification_id,
                type(exc).__name__,
            )
            break  # the broker is down: do not wait for it once per row
        published.append(notification_id)
    if published:
        Notification.objects.filter(pk__in=published).update(published_at=timezone.now())
    return published


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
    from referrals.notifications.delivery import RetryLater, notification_deliver

    try:
        notification_deliver(notification_id=notification_id)
    except RetryLater as later:
        raise self.retry(countdown=later.countdown, max_retries=None) from None


@shared_task(name="referrals.notification_relay", ignore_result=True)
def notification_relay() -> int:
    """Beat, every few seconds: publish rows whose publish was lost, whose task seems
    lost, or whose worker died mid-send."""
    from referrals.notifications.outbox import notifications_for_relay

    return len(notification_publish(notifications_for_relay()))


@shared_task(name="referrals.notifications_overdue")
def notifications_overdue() -> int:
    from referrals.notifications.outbox import notifications_queue_overdue

    return len(notifications_queue_overdue())


@shared_task(name="referrals.notifications_digest")
def notifications_digest() -> int:
    from referrals.notifications.outbox import notifications_queue_digest

    return len(notifications_queue_digest())


# --- Exports and summaries
# WeasyPrint renders have their own, tighter time limits: past the soft limit the service
# marks the export failed with a message; the hard limit kills a runaway render.
_RENDER_LIMITS = {
    "soft_time_limit": settings.EXPORT_RENDER_SOFT_TIME_LIMIT,
    "time_limit": settings.EXPORT_RENDER_TIME_LIMIT,
}


@shared_task(name="referrals.export_render", **_RENDER_LIMITS)
def export_render_task(export_id: int) -> None:
    from referrals.exports.services import export_render

    export_render(export_id=export_id)


@shared_task(name="referrals.summary_generate", **_RENDER_LIMITS)
def summary_generate_task(summary_id: int) -> None:
    from referrals.exports.services import summary_generate

    summary_generate(summary_id=summary_id)


@shared_task(name="referrals.summary_previous_month")
def summary_previous_month_task() -> None:
    from referrals.exports.services import summary_previous_month

    summary_previous_month()


@shared_task(name="referrals.exports_delete_expired")
def exports_delete_expired_task() -> None:
    from referrals.exports.services import exports_delete_expired

    exports_delete_expired()
