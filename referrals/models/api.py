"""Partner systems that call the API (issue 22): one row per registered client. The
token itself is never stored, only its SHA-256; it is shown once, at registration."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(models.Model):
    class Scope(models.TextChoices):
        """What a client may do; each endpoint names the one scope it needs
        (referrals/api/views.py), a token without it gets a 403."""

        SUBMIT = "referrals:submit", "Submit referrals"
        READ = "referrals:read", "Read the status of their organisation's referrals"
        CHECKLIST = "checklist:read", "Read the indicator checklist"
        # h22c
        ADDENDA = "addenda:write", "Add information to their organisation's referrals"
        ATTACHMENTS = "attachments:write", "Attach files to their organisation's referrals"

    name = models.CharField(max_length=120)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="api_clients"
    )
    scopes = models.JSONField(default=list, blank=True)
    accountable_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="accountable_api_clients",
        help_text="The referrer the client's submissions are made as, and who answers for it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_api_clients",
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def new_token(self) -> str:
        """Set a fresh random token and return it (the only time it is readable)."""
        token = secrets.token_urlsafe(32)
        self.token_hash = token_hash(token)
        return token

    # DRF's throttles and permission checks treat request.user as a user-like object.
    is_authenticated = True


class ApiIdempotencyKey(models.Model):
    """A client's `Idempotency-Key` for a referral it created: a retried POST with the
    same key returns this referral instead of submitting a second one (issue 22)."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=100)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="api_keys"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="api_key_unique_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.key}"


class WebhookSubscription(models.Model):
    """A partner system's receiver for referral events (issue 22). With an organisation,
    only that organisation's referrals; without one (the council's case system), all."""

    class Event(models.TextChoices):
        SUBMITTED = "referral.submitted", "A referral was submitted"
        DECIDED = "referral.decided", "A referral was decided"
        # h22c
        HANDED_OFF = "referral.handed_off", "A decided referral was handed to a team"
        RATED = "referral.rated", "A contact was rated or re-rated red, amber or green"

    name = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Event names, e.g. referral.decided")
    secret = models.CharField(max_length=200, help_text="The HMAC-SHA256 key.")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """An event for one subscription, written in the transaction of the event itself,
    so it is never lost; the worker delivers it, the beat sweep republishes pending."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "retry_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"
