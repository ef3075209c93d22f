from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """An outbox row: written in the same transaction as the event that causes it, then
    published to Celery after commit (and by the relay if that publish was lost)."""

    class Kind(models.TextChoices):
        NEW_REFERRAL = "new_referral", "New referral"
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement to the referrer"
        OUTCOME = "outcome", "Update for the referrer"
        OVERDUE = "overdue", "Overdue referral"
        DIGEST = "digest", "Daily overdue digest"
        INVITATION = "invitation", "Invitation"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Either a mailbox address or a user; emails carry no personal data either way.
    recipient_email = models.EmailField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    urgent = models.BooleanField(default=False)
    # One row per message that must go: a redelivered or relayed task finds the row sent.
    dedup_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="notification_outbox_idx"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"
