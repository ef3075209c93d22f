from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def failed(self):
        return self.filter(state="failed")

    def for_relay(self, *, unpublished_before, published_before, claimed_before):
        """Rows whose task was never published (the broker was down), whose task seems
        lost (published long ago, still pending and not waiting for a retry), or whose
        worker died mid-send (a stale claim)."""
        never_published = Q(published_at__isnull=True, created_at__lt=unpublished_before)
        lost = Q(published_at__lt=published_before) & (
            Q(retry_at__isnull=True) | Q(retry_at__lt=published_before)
        )
        pending = Q(state="pending") & (never_published | lost)
        stale_claim = Q(state="sending", claimed_at__lt=claimed_before)
        return self.filter(pending | stale_claim)


class Notification(models.Model):
    """An outbox row: written in the same transaction as the event that causes it, then
    published to Celery after commit (and by the relay if that publish was lost)."""

    class Kind(models.TextChoices):
        NEW_REFERRAL = "new_referral", "New referral"
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement to the referrer"
        OUTCOME = "outcome", "Update for the referrer"
        OVERDUE = "overdue", "Overdue referral"
        CLAIM_OVERDUE = "claim_overdue", "Urgent referral not claimed"
        RAG_DUE_SOON = "rag_due_soon", "Red-rated referral nearing its deadline"
        DIGEST = "digest", "Daily overdue digest"
        INVITATION = "invitation", "Invitation"
        KNOWN_CHILD = "known_child", "New contact about someone already known"
        OUT_OF_AREA = "out_of_area", "Notice to the home council"

        REFERRER_QUESTION = "referrer_question", "A question for the referrer"
        REFERRER_ANSWER = "referrer_answer", "The referrer answered a question"
        NEW_INFORMATION = "new_information", "The referrer added information"
        # h20a
        BREAK_GLASS = "break_glass", "Someone opened a referral outside their scope"

        # h19b
        PARTNER_REQUEST = "partner_request", "An information request for a partner"
        PARTNER_REMINDER = "partner_reminder", "Reminder: an information request is due"
        PARTNER_OVERDUE = "partner_overdue", "A partner's answer is overdue"
        PARTNER_ANSWERED = "partner_answered", "A partner answered an information request"
        # h19c
        HANDOFF = "handoff", "A case handed to a receiving team"
        HANDOFF_UNROUTED = "handoff_unrouted", "A hand-off with no receiving team"
        HANDOFF_OVERDUE = "handoff_overdue", "A hand-off not acknowledged in time"
        # h21a
        FILE_QUARANTINED = "file_quarantined", "An attached file was quarantined"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        # Claimed by a worker that is talking to the mail server now (claim_token).
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # A Triage user's in-portal copy when they have not opted in to the email.
        PORTAL = "portal", "In the portal only"

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
    # The claim of the attempt in progress: a worker that died mid-send leaves a stale
    # claim, which the relay republishes once it is older than NOTIFICATION_CLAIM_SECONDS.
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the retry after a failed attempt is due, so the relay does not republish a
    # row that is only waiting for its backoff.
    retry_at = models.DateTimeField(null=True, blank=True)
    # The digest's overdue references (references only: no personal data).
    references = models.JSONField(default=list, blank=True)
    # h19c: the hand-off a HANDOFF email is about (its acknowledgement link).
    handoff = models.ForeignKey(
        "referrals.Handoff",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="notification_outbox_idx"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
