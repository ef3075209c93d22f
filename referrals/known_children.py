"""Known children: a contact about someone with an undecided contact, or one decided at
most KNOWN_CHILD_DAYS ago, is "known" and goes to the worker who has that contact
(domain notes, "Open-case bypass": it goes to the allocated worker's team rather than
back through the queue).

The same person is found by the same rule as the re-referral badge (links.person_keys:
the folded name or a known-as name, with the date of birth), never a second rule.

Decisions, documented in the README:
- The earlier contact chosen is the newest one with an allocated worker, else the
  newest one.
- The new contact is assigned to that worker (and is "in triage") when the worker is
  still an active Triage user. An urgent contact (immediate danger) is not: it stays
  in the queue for whoever is on duty now, and the worker is still told.
- With no allocated worker (or one who has left), the intake mailbox(es) and the
  Triage leads are told instead (outbox.outbox_known_child)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When

from accounts.models import Role, User
from referrals import links
from referrals.audit import audit_record
from referrals.models import UNDECIDED, Referral, ReferralEvent, Status


@dataclass(frozen=True)
class Known:
    earlier: Referral
    # The earlier contact's allocated worker, if still an active Triage user.
    worker: User | None
    # Whether the new contact was assigned to them.
    assigned: bool


def earlier_open_contact(referral: Referral, now: dt.datetime) -> Referral | None:
    """The earlier contact that makes `referral` known, or None."""
    recent = now - dt.timedelta(days=settings.KNOWN_CHILD_DAYS)
    open_or_recent = Q(status__in=UNDECIDED) | Q(decided_at__gte=recent)
    return (
        links.earlier_referrals_of_person(referral)
        .filter(open_or_recent)
        .select_related("assigned_to")
        .annotate(
            unallocated=Case(
                When(assigned_to__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("unallocated", "-submitted_at", "-pk")
        .first()
    )


def _worker(earlier: Referral) -> User | None:
    worker = earlier.assigned_to
    if worker is not None and worker.is_active and worker.has_role(Role.TRIAGE):
        return worker
    return None


def known_mark(*, referral: Referral, now: dt.datetime) -> Known | None:
    """Mark a referral being submitted as known (not saved: the submission saves it).
    Called after links.index_links, inside the submitting transaction."""
    earlier = earlier_open_contact(referral, now)
    if earlier is None:
        return None
    worker = _worker(earlier)
    referral.known_from = earlier
    referral.is_known = True
    assigned = worker is not None and not referral.is_urgent
    if assigned:
        referral.assigned_to = worker
        referral.claimed_at = now
        referral.status = Status.IN_TRIAGE
    return Known(earlier=earlier, worker=worker, assigned=assigned)


def known_record(*, referral: Referral, known: Known, now: dt.datetime) -> None:
    """The chronology entry and the audit record of a known contact (after it is saved)."""
    text = f"Earlier contact {known.earlier.reference}."
    if known.assigned:
        text += f" Assigned to {known.worker.full_name}, who has it."
    elif known.worker is not None:
        text += f" Urgent, so left in the queue; {known.worker.full_name} has been told."
    else:
        text += " It has no allocated worker; the intake team has been told."
    ReferralEvent.record(referral, ReferralEvent.Kind.KNOWN, None, now=now, text=text)
    audit_record(
        action="referral.known",
        referral=referral,
        detail={
            "known_from": known.earlier.reference,
            "worker": known.worker.pk if known.worker else None,
            "assigned": known.assigned,
        },
    )
