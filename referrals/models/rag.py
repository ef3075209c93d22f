"""RAG ratings: triage rates each contact red, amber or green with a rationale, and
each rating holds the contact to its own clock from receipt. Ratings are appended,
never edited: a re-rating is a new row, and the first rating stays visible beside the
current one. The referral keeps the current and first rating and the current due time
(denormalised) so the queue needs no extra query."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from referrals.models.choices import Rag
from referrals.models.referral import Referral


class RagRating(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="rag_ratings")
    rating = models.CharField(max_length=5, choices=Rag.choices)
    rationale = models.TextField()
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(default=timezone.now)
    # From the referral's receipt (submitted_at) for this rating, never from rated_at.
    due_at = models.DateTimeField()
    is_first = models.BooleanField(default=False)

    class Meta:
        ordering = ["rated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"], condition=Q(is_first=True), name="one_first_rag_rating"
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="rag_rating_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} at {self.rated_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # Append-only: a correction is a new rating, never an edit of this one.
        if not self._state.adding:
            raise ValueError("A RAG rating is never edited; record a new rating instead.")
        super().save(*args, **kwargs)
