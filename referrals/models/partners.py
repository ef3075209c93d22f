"""Partner information requests (issue 19): the intake team asks a partner agency
(police, health, education, youth justice ...) what it knows about the subject of a
referral. The partner sees only what the worker chose to share, snapshotted here when
the request was sent; never the referral itself."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SharedField(models.TextChoices):
    """What a worker may choose to share with a partner. The referrer's identity is
    never shared unless chosen (the referrer may be a neighbour or a teacher who would
    be put at risk; DfE information-sharing advice: share only what is needed)."""

    NAME = "name", "Subject's name"
    DATE_OF_BIRTH = "date_of_birth", "Subject's date of birth"
    ADDRESS = "address", "Subject's address"
    REFERRER = "referrer", "Referrer's identity"


class InformationRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=InformationRequest.State.SENT)

    def for_organisation(self, organisation_id):
        return self.filter(organisation_id=organisation_id)

    def overdue(self, now):
        return self.open().filter(due_at__lt=now)


class InformationRequest(models.Model):
    class State(models.TextChoices):
        SENT = "sent", "Sent"
        ANSWERED = "answered", "Answered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="information_requests"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="information_requests"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField()
    # Which SharedField values the worker chose, and a snapshot of only those values.
    shared_fields = models.JSONField(default=list, blank=True)
    shared_name = models.TextField(blank=True)
    shared_date_of_birth = models.DateField(null=True, blank=True)
    shared_address = models.TextField(blank=True)
    shared_referrer = models.TextField(blank=True)
    lawful_basis = models.CharField(max_length=32)
    sent_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENT)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(blank=True)
    nothing_known = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    form_token = models.UUIDField()
    answer_token = models.UUIDField(null=True, blank=True)

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "form_token"], name="information_request_once"
            ),
            models.CheckConstraint(
                condition=~Q(state="answered") | Q(answered_at__isnull=False),
                name="information_request_answered_at",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "due_at"],
                name="information_request_open_idx",
                condition=Q(state="sent"),
            )
        ]

    def __str__(self) -> str:
        return f"Information request #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.SENT

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())

    def state_label(self, now=None) -> str:
        """sent, answered, overdue or withdrawn, in words."""
        if self.is_overdue(now):
            return "Overdue"
        return {
            self.State.SENT: "Waiting for an answer",
            self.State.ANSWERED: "Answered",
            self.State.WITHDRAWN: "Withdrawn",
        }[self.state]

    @property
    def answered_on_time(self) -> bool:
        return bool(self.answered_at and self.answered_at <= self.due_at)
