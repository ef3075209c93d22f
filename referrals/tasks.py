"""Celery tasks: they take ids and call services."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


def notification_publish(ids: list[int]) -> None:
    """Hand notifications to the broker. A failure here is logged, not raised: the
    rows stay pending and the relay publishes them once the broker is back."""
    for notification_id in ids:
        try:
            notification_send.delay(notification_id)
        except Exception:
            logger.warning(
                "broker unavailable; notification %s left for the relay", notification_id
            )


@shared_task(name="referrals.notification_send")
def notification_send(notification_id: int) -> None:
    from referrals.delivery import notification_deliver

    notification_deliver(notification_id=notification_id)
