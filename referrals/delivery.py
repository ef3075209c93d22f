"""Sending one outbox row as an email (content-free: a reference and a link)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from referrals.models import Notification


@transaction.atomic
def notification_deliver(*, notification_id: int) -> Notification:
    row = (
        Notification.objects.select_for_update().select_related("referral").get(pk=notification_id)
    )
    if row.state == Notification.State.SENT:
        return row  # redelivered task: already sent exactly once
    context = {
        "notification": row,
        "reference": row.referral.reference if row.referral else "",
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string(f"emails/{row.kind}_subject.txt", context).strip()
    body = render_to_string(f"emails/{row.kind}.txt", context)
    send_mail(subject, body, None, [row.recipient_email])
    row.state = Notification.State.SENT
    row.sent_at = timezone.now()
    row.attempts += 1
    row.save(update_fields=["state", "sent_at", "attempts"])
    return row
