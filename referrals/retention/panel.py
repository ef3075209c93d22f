"""What the retention pages show: the due list's rows (held or not) and a batch's
records. References, classes and dates only: no names, on any retention page."""

from dataclasses import dataclass
from datetime import date, datetime

from referrals.models import DestructionBatch, RetentionDue
from referrals.retention.services import global_hold, held_referral_ids


@dataclass(frozen=True)
class DueRow:
    reference: str
    class_name: str
    decided_at: datetime | None
    due_on: date
    held: bool


def due_rows() -> tuple[list[DueRow], bool]:
    """The due list, and whether a global hold is in place (every row is then held)."""
    listed = list(
        RetentionDue.objects.filter(referral__tombstone__isnull=True).select_related(
            "referral", "retention_class"
        )
    )
    everything_held = global_hold() is not None
    held = held_referral_ids([d.referral_id for d in listed])
    rows = [
        DueRow(
            d.referral.reference or "",
            d.retention_class.name,
            d.referral.decided_at,
            d.due_on,
            everything_held or d.referral_id in held,
        )
        for d in listed
    ]
    return rows, everything_held


def batch_rows(batch: DestructionBatch) -> list[DueRow]:
    listed = RetentionDue.objects.filter(referral_id__in=batch.referral_ids).select_related(
        "referral", "retention_class"
    )
    return [
        DueRow(
            d.referral.reference or "",
            d.retention_class.name,
            d.referral.decided_at,
            d.due_on,
            False,
        )
        for d in listed
    ]
