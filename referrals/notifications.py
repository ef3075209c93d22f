"""Outbox rows for the messages an event causes. Rows are written inside the event's
transaction; publishing to Celery happens after commit (see referrals/tasks.py), and a
relay publishes any row whose publish was lost, so a broker outage loses nothing."""

from django.conf import settings
from django.db import transaction

from referrals.models import Notification, Referral


def _queue(rows: list[Notification]) -> list[Notification]:
    created = []
    for row in rows:
        # get_or_create on the unique key: the same event never makes two messages.
        obj, was_created = Notification.objects.get_or_create(
            dedup_key=row.dedup_key,
            defaults={
                "kind": row.kind,
                "referral": row.referral,
                "recipient_email": row.recipient_email,
                "recipient": row.recipient,
                "urgent": row.urgent,
            },
        )
        if was_created:
            created.append(obj)
    ids = [row.pk for row in created]
    if ids:
        transaction.on_commit(lambda: _publish(ids))
    return created


def _publish(ids: list[int]) -> None:
    from referrals.tasks import notification_publish

    notification_publish(ids)


def outbox_referral_submitted(referral: Referral) -> list[Notification]:
    """The intake mailbox(es) learn a referral has arrived; the referrer gets an
    acknowledgement. Both carry only the reference and a link."""
    rows = [
        Notification(
            kind=Notification.Kind.NEW_REFERRAL,
            referral=referral,
            recipient_email=mailbox,
            urgent=referral.is_urgent,
            dedup_key=f"new_referral:{referral.pk}:{mailbox}",
        )
        for mailbox in settings.INTAKE_MAILBOXES
    ]
    rows.append(
        Notification(
            kind=Notification.Kind.ACKNOWLEDGEMENT,
            referral=referral,
            recipient_email=referral.author.email,
            recipient=referral.author,
            dedup_key=f"acknowledgement:{referral.pk}",
        )
    )
    return _queue(rows)
