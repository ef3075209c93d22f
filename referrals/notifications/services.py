"""What users do with notifications: read one, retry a failed message (administrators),
and choose whether new referrals are emailed (Triage)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from referrals.audit import audit_record
from referrals.models import Notification
from referrals.notifications.delivery import notifications_publish


@transaction.atomic
def notification_mark_read(*, notification: Notification, now: dt.datetime | None = None):
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_retry(*, notification: Notification, user: User, request=None) -> Notification:
    """An administrator sends a failed message again: a fresh set of attempts."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.state != Notification.State.FAILED:
        return locked
    locked.state = Notification.State.PENDING
    locked.attempts = 0
    locked.retry_at = None
    locked.published_at = None
    locked.claim_token = None
    locked.save(update_fields=["state", "attempts", "retry_at", "published_at", "claim_token"])
    audit_record(
        action="notification.retried",
        actor=user,
        request=request,
        referral=locked.referral,
        obj=locked,
        detail={"kind": locked.kind, "last_error": locked.last_error},
    )
    transaction.on_commit(lambda: notifications_publish([locked.pk]))
    return locked


@transaction.atomic
def notification_preferences_update(*, user: User, notify_new_referrals: bool, request=None):
    User.objects.filter(pk=user.pk).update(notify_new_referrals=notify_new_referrals)
    user.notify_new_referrals = notify_new_referrals
    audit_record(
        action="notification.preferences_changed",
        actor=user,
        request=request,
        obj=user,
        detail={"notify_new_referrals": notify_new_referrals},
    )
    return user
