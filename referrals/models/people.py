"""Person records: the same child across referrals (issue 20). A referral's own fields
are its snapshot of what the referrer wrote and are never changed here; a record only
groups referrals, through one membership per referral."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from referrals.models.referral import Referral


class PersonRecord(models.Model):
    """A person across referrals. A record merged into another keeps its row (so that
    the merge can be undone) and points at the record it was merged into."""

    created_at = models.DateTimeField(default=timezone.now)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Person record {self.pk}"


class PersonMembership(models.Model):
    """Which record a referral's subject belongs to, and the rule that put them there."""

    class Rule(models.TextChoices):
        NAME_AND_DATE_OF_BIRTH = "name_dob", "Same name and date of birth"
        KNOWN_AS = "known_as", "A known-as name and the date of birth"
        FIRST = "first", "First referral of this person"
        MERGED = "merged", "Merged by a triage lead"

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="person")
    record = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="members")
    rule = models.CharField(max_length=8, choices=Rule.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["record"], name="person_membership_record_idx")]

    def __str__(self) -> str:
        return f"{self.referral_id} in {self.record_id}"


class PersonDecision(models.Model):
    """A triage lead's decision about two records: merge them (`other` into `record`) or
    say they are not the same person. Undoable; an undo is recorded, never a deletion."""

    class Kind(models.TextChoices):
        MERGE = "merge", "Merged"
        NOT_SAME = "not_same", "Not the same person"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    record = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="decisions")
    other = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    # A merge's moved memberships as [membership id, rule before], so that an undo puts
    # each back in `other` with the rule that had matched it.
    moved = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.record_id} and {self.other_id}"


class PossibleDuplicate(models.Model):
    """Two records that may be the same person but were not matched automatically (a
    close date of birth, a name one or two letters apart, a shared identifier): the
    duplicates queue. Resolved by a decision."""

    class Reason(models.TextChoices):
        CLOSE_DATE_OF_BIRTH = "close_dob", "Same name, date of birth within 31 days"
        SIMILAR_NAME = "similar", "Similar name, same date of birth"
        SHARED_IDENTIFIER = "shared", "Shares an identifier and the date of birth or name"
        SAME_NAME = "same", "Same name and date of birth, on separate records"

    record = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=9, choices=Reason.choices)
    found_at = models.DateTimeField(default=timezone.now)
    decision = models.ForeignKey(
        PersonDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-found_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "other"], name="possible_duplicate_once")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} ~ {self.other_id}"
