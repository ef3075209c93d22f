"""The referrer loop (issue 19): what the referrer adds to a submitted referral, and the
questions the intake team asks them.

Both are append-only. An addendum is never an edit of the referral the referrer sent
(the record of what was known at receipt stays as it was); a question is answered by
an addendum, or withdrawn, and never changed otherwise. Each carries a `form_token`, unique
per referral, so a double submission of the same form writes one row."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Addendum(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", "Information added by the referrer"
        ANSWER = "answer", "Answer from the referrer"
        REPLY = "reply", "Reply from the referrer"

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="addenda"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The author's job title and organisation as they were when they wrote it.
    author_role = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    form_token = models.UUIDField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "form_token"], name="addendum_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ReferrerQuestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(answered_at__isnull=True, withdrawn_at__isnull=True)


class ReferrerQuestion(models.Model):
    """ "Request more information": the intake team asks the referrer, with a due time.
    The statutory clock (Referral.decision_due_at) never pauses while it is open."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="referrer_questions"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    asked_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.OneToOneField(
        Addendum, null=True, blank=True, on_delete=models.PROTECT, related_name="question"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    form_token = models.UUIDField()

    objects = ReferrerQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "form_token"], name="question_once"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="question_answered_or_withdrawn",
            ),
        ]
        indexes = [
            models.Index(
                fields=["referral", "asked_at"],
                name="question_open_idx",
                condition=Q(answered_at__isnull=True, withdrawn_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"Question #{self.pk} on {self.referral_id}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.withdrawn_at is None

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())

    @property
    def state_label(self) -> str:
        if self.answered_at:
            return "Answered"
        if self.withdrawn_at:
            return "Withdrawn"
        return "Waiting for an answer"
