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
        SUBMIT = "referrals:submit", "Submit referrals and add information"
        READ = "referrals:read", "Read the status of their organisation's referrals"
        CHECKLIST = "checklist:read", "Read the indicator checklist"

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
