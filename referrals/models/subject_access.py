"""Subject access requests (issue 21): a person asks for what the portal holds about
them (UK GDPR Art. 15). The request is answered within one calendar month of receipt,
extendable by two further months for a complex request (Art. 12(3)); the bundle is a
PDF produced by a worker, with third parties redacted until an administrator reviews
each redaction, then released (and logged as a disclosure)."""

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from referrals.models.exports import ExportState
from referrals.models.people import PersonRecord
from referrals.models.referral import Referral

# Art. 12(3): one month, "extended by two further months where necessary".
RESPONSE_MONTHS = 1
EXTENSION_MONTHS = 2


def calendar_months_after(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, or that month's last day when it is
    shorter (the ICO's rule: received 31 January, due 28 February, 29 in a leap year).
    The ICO allows the next working day when the date falls on a weekend or bank
    holiday; the portal shows the calendar date, the earlier and safer of the two."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class SubjectAccessRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=SubjectAccessRequest.State.OPEN)

    def overdue(self, today: dt.date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class SubjectAccessRequest(models.Model):
    """One request, for one person record or (a subject without a record) one
    referral's subject. Requester details are kept to what answering needs."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        RELEASED = "released", "Released"

    class Requester(models.TextChoices):
        SUBJECT = "subject", "The person themselves"
        PARENT = "parent", "A parent or carer for a child"
        REPRESENTATIVE = "representative", "A solicitor or other representative"

    person_record = models.ForeignKey(
        PersonRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requester = models.CharField(max_length=16, choices=Requester.choices)
    requester_name = models.CharField(max_length=200)
    received_on = models.DateField()
    due_on = models.DateField()
    extension_reason = models.TextField(blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # The keys of the proposed redactions the administrator chose to release
    # (subject_access.documents); everything else proposed stays redacted.
    unredacted = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_bundle = models.ForeignKey(
        "SubjectAccessBundle", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = SubjectAccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"], name="sar_open_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person_record__isnull=False) | models.Q(referral__isnull=False),
                name="sar_has_a_subject",
            )
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    def due_date(self) -> dt.date:
        months = RESPONSE_MONTHS + (EXTENSION_MONTHS if self.is_extended else 0)
        return calendar_months_after(self.received_on, months)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.state == self.State.OPEN and self.due_on < (today or timezone.localdate())


class SubjectAccessBundle(models.Model):
    """One production of the bundle's PDF, with the releases it was made with. A new
    review makes a new bundle; only the newest ready one may be released."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="bundles"
    )
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default=ExportState.PENDING
    )
    file = models.FileField(upload_to="subject-access/", blank=True)
    unredacted = models.JSONField(default=list, blank=True)
    # How many redactions were proposed and how many applied (no names: counts only).
    proposed = models.PositiveIntegerField(default=0)
    redacted = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Bundle {self.pk} of request {self.request_id}"
