"""Corrections: a submitted contact and a decision are never edited in place. Each
correction is a new entry (what, from, to, why, who, when); the referral carries the
effective value and the first correction of a field holds what was originally said."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Correction(models.Model):
    class Target(models.TextChoices):
        CONTACT = "contact", "The contact"
        DECISION = "decision", "The decision"

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="corrections"
    )
    target = models.CharField(max_length=10, choices=Target.choices)
    # The Referral field corrected (first_name, date_of_birth, outcome ...).
    field = models.CharField(max_length=50)
    # As stored (a date in ISO form, a choice's value); shown through presenters.
    previous_value = models.TextField(blank=True)
    corrected_value = models.TextField(blank=True)
    reason = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["referral", "created_at"], name="correction_referral_idx")]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.target}.{self.field}"
