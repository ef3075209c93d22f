from django.conf import settings
from django.db import models
from django.utils import timezone


class BreakGlassQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class BreakGlassGrant(models.Model):
    """Access to one referral outside the user's scope, asked for from the search with
    a reason, for a limited time (settings.BREAK_GLASS_HOURS). Audited and told to the
    triage leads when granted (referrals.search.services.referral_break_glass)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["user", "referral", "expires_at"], name="break_glass_lookup_idx")
        ]

    def __str__(self) -> str:
        return f"Break-glass #{self.pk}"
