from django.conf import settings
from django.db import models
from django.utils import timezone


class Attachment(models.Model):
    """A file attached to a referral (issue 21). Stored under a random name through the
    storage API; nobody can open it until ClamAV has said it is clean."""

    class State(models.TextChoices):
        PENDING = "pending", "Being checked"
        CLEAN = "clean", "Clean"
        INFECTED = "infected", "Quarantined"

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        PNG = "png", "PNG image"
        JPEG = "jpeg", "JPEG image"
        DOCX = "docx", "Word document"
        ODT = "odt", "OpenDocument text"
        TEXT = "text", "Plain text"

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="attachments/")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    size = models.PositiveIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    # The scanner's name for what it found (e.g. "Portal.Test.EICAR"); never content.
    signature = models.CharField(max_length=200, blank=True)
    scan_attempts = models.PositiveIntegerField(default=0)
    scanned_at = models.DateTimeField(null=True, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["state"], name="attachment_state")]

    def __str__(self) -> str:
        return f"Attachment {self.pk} of {self.referral_id} ({self.state})"
