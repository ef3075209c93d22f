"""Searching the audit trail (administrators only)."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from referrals.models import AuditEvent


def _start_of(day: date) -> datetime:
    # Days are London days: "27 March" means midnight to midnight there, stored in UTC.
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_matching(
    *,
    user: str = "",
    reference: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if user:
        events = events.filter(actor_email__icontains=user.strip())
    if reference:
        events = events.filter(referral__reference__iexact=reference.strip())
    if date_from:
        events = events.filter(at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(at__lt=_start_of(date_to + timedelta(days=1)))
    return events.select_related("referral").order_by("-at", "-id")
