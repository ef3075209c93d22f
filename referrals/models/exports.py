from django.conf import settings
from django.db import models
from django.utils import timezone


class ExportState(models.TextChoices):
    PENDING = "pending", "Pending"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Export(models.Model):
    """A PDF of one referral, rendered by a worker and kept for a limited time."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    redact_referrer = models.BooleanField(default=False)
    # h21a: what this export withheld (keys: referrer, people (ids), consent, attachments).
    withheld = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=8, choices=ExportState.choices, default=ExportState.PENDING)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Export {self.pk} of {self.referral_id} ({self.state})"


class MonthlySummary(models.Model):
    """The managers' summary for one calendar month (PDF and CSV)."""

    month = models.DateField(unique=True, help_text="The first day of the month.")
    state = models.CharField(max_length=8, choices=ExportState.choices, default=ExportState.PENDING)
    figures = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(upload_to="summaries/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Summary {self.month:%Y-%m} ({self.state})"
