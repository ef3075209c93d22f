"""Retention (issue 21): how long each kind of record is kept, the due list the nightly
task refreshes, legal holds that stop destruction, and the destruction register's
content-free tombstones. The schedule is data (defaults to be confirmed by the
council, README "Retention"); `retention_due` is the one rule that applies it."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from referrals.models.choices import ContactOutcome, Status
from referrals.models.referral import Referral


class RetentionClass(models.Model):
    """One class of the schedule: what starts the clock and how long it runs.

    `contact_outcomes` says which decided contacts fall in the class; the class marked
    `is_default` takes a decided contact no class names. The draft and export classes
    document the two jobs that already delete on their own clocks
    (settings.DRAFT_RETENTION_DAYS, EXPORT_RETENTION_DAYS); they never reach the due
    list."""

    class Trigger(models.TextChoices):
        DECISION = "decision", "The decision on the contact"
        DRAFT_STARTED = "draft_started", "The draft was started (deleted automatically)"
        EXPORT_MADE = "export_made", "The PDF was made (deleted automatically)"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=150)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    period_years = models.PositiveSmallIntegerField(default=0)
    period_days = models.PositiveSmallIntegerField(default=0)
    # "Until the subject's 25th birthday, or the period, whichever is later".
    until_age = models.PositiveSmallIntegerField(null=True, blank=True)
    contact_outcomes = models.JSONField(default=list, blank=True)
    is_default = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name_plural = "retention classes"
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_class"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_display(self) -> str:
        parts = []
        if self.period_years:
            parts.append(f"{self.period_years} years")
        if self.period_days:
            parts.append(f"{self.period_days} days")
        text = " and ".join(parts) or "No period"
        if self.until_age:
            text = f"Until the {self.until_age}th birthday or {text}, whichever is later"
        return text

    @property
    def period(self) -> relativedelta:
        return relativedelta(years=self.period_years, days=self.period_days)


def retention_class_for(referral: Referral, classes: list[RetentionClass]) -> RetentionClass | None:
    """The class a decided contact falls in (None while undecided or a draft)."""
    if referral.status not in (Status.DECIDED, Status.CLOSED) or referral.decided_at is None:
        return None
    decided = [c for c in classes if c.trigger == RetentionClass.Trigger.DECISION]
    for retention_class in decided:
        if (
            referral.contact_outcome
            and referral.contact_outcome in retention_class.contact_outcomes
        ):
            return retention_class
    return next((c for c in decided if c.is_default), None)


def latest_birthday(referral: Referral, age: int) -> dt.date:
    """The subject's `age`th birthday; without a date of birth, the latest it can be
    from the approximate age at receipt (or, with no age at all, `age` years after
    receipt): when in doubt the record is kept longer, never shorter."""
    if referral.date_of_birth:
        return referral.date_of_birth + relativedelta(years=age)
    received = timezone.localdate(referral.submitted_at or referral.created_at)
    if referral.approximate_age is not None:
        return received + relativedelta(years=max(age - referral.approximate_age + 1, 0))
    return received + relativedelta(years=age)


def retention_due(
    referral: Referral, classes: list[RetentionClass]
) -> tuple[RetentionClass | None, dt.date | None]:
    """The one rule: a referral's retention class and the day its destruction falls due
    (the decision's London date plus the period; for a class with `until_age`, the
    later of that and the birthday)."""
    retention_class = retention_class_for(referral, classes)
    if retention_class is None:
        return None, None
    due = timezone.localdate(referral.decided_at) + retention_class.period
    if retention_class.until_age:
        due = max(due, latest_birthday(referral, retention_class.until_age))
    return retention_class, due


DEFAULT_CLASSES = [
    {
        "code": "contact-nfa",
        "name": "Contact with no further action",
        "trigger": "decision",
        "period_years": 6,
        "contact_outcomes": [
            ContactOutcome.NFA,
            ContactOutcome.ADVICE,
            ContactOutcome.EARLY_HELP,
            ContactOutcome.POLICE,
            ContactOutcome.OTHER_COUNCIL,
            ContactOutcome.SCREENING_NOT_REQUIRED,
        ],
        "is_default": True,
        "notes": "Six years after the decision. Also every other decided contact that did "
        "not become a case (the default class).",
        "order": 1,
    },
    {
        "code": "case",
        "name": "Referral that became a case",
        "trigger": "decision",
        "period_years": 6,
        "until_age": 25,
        "contact_outcomes": [ContactOutcome.REFERRAL, ContactOutcome.OPEN_CASE],
        "notes": "Until the subject's 25th birthday or six years after the decision, "
        "whichever is later.",
        "order": 2,
    },
    {
        "code": "adult-safeguarding",
        "name": "Adult safeguarding",
        "trigger": "decision",
        "period_years": 6,
        "contact_outcomes": [ContactOutcome.ADULT_SAFEGUARDING],
        "notes": "Six years after the decision.",
        "order": 3,
    },
    {
        "code": "draft",
        "name": "Unsubmitted draft",
        "trigger": "draft_started",
        "period_days": 30,
        "notes": "Deleted automatically by the hourly drafts job after "
        "settings.DRAFT_RETENTION_DAYS (30); a draft under legal hold is kept.",
        "order": 4,
    },
    {
        "code": "export",
        "name": "Referral PDF export",
        "trigger": "export_made",
        "period_days": 7,
        "notes": "Deleted automatically by the hourly exports job after "
        "settings.EXPORT_RETENTION_DAYS (7).",
        "order": 5,
    },
]


class RetentionDue(models.Model):
    """A referral whose retention has ended: the due list, refreshed nightly
    (referrals.retention.services.retention_list_due)."""

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="retention_due"
    )
    retention_class = models.ForeignKey(RetentionClass, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    listed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "referral_id"]

    def __str__(self) -> str:
        return f"{self.referral_id} due {self.due_on}"


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """A hold (an inquiry, a claim) that stops destruction: of one referral, or, with no
    referral, of everything. Lifted, never deleted."""

    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason")
        ]

    def __str__(self) -> str:
        return f"Legal hold #{self.pk} ({'global' if self.referral_id is None else 'record'})"

    @property
    def is_global(self) -> bool:
        return self.referral_id is None


class DestructionBatch(models.Model):
    """A batch of due referrals an administrator chose: dry-run first (what would be
    destroyed, with counts), then approved (destroyed) or abandoned."""

    class State(models.TextChoices):
        DRY_RUN = "dry_run", "Dry run: not yet approved"
        DESTROYED = "destroyed", "Approved and destroyed"

    state = models.CharField(max_length=10, choices=State.choices, default=State.DRY_RUN)
    referral_ids = models.JSONField(default=list)
    counts = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "destruction batches"

    def __str__(self) -> str:
        return f"Destruction batch #{self.pk} ({self.state})"


class Tombstone(models.Model):
    """The destruction register: that a record existed and was destroyed, by whom and
    when, with no personal data. The referral row itself stays, emptied of it."""

    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="tombstone"
    )
    reference = models.CharField(max_length=20, unique=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    retention_class = models.ForeignKey(RetentionClass, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    batch = models.ForeignKey(DestructionBatch, on_delete=models.PROTECT, related_name="tombstones")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    destroyed_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-destroyed_at", "-id"]

    def __str__(self) -> str:
        return f"Destroyed {self.reference}"
