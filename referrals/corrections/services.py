"""Corrections are addenda (issue 18): a submitted contact and a decision are never
edited without a trace. Each changed field becomes a Correction (append-only: there is
no service that changes or deletes one), a chronology entry shows what it was and what
it is now, and the referral carries the effective value."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals import links, normalise
from referrals.audit import audit_record
from referrals.correctable import LINKED_FIELDS, label, shown, stored
from referrals.models import Correction, Referral, ReferralEvent, Status

Target = Correction.Target


class CorrectionRefused(Exception):
    """The correction does not apply to the referral as it is now."""


def _apply(
    referral: Referral, user: User, target: str, changes: dict, reason: str, now: dt.datetime
) -> list[Correction]:
    corrections = []
    for field, value in changes.items():
        previous, corrected = stored(getattr(referral, field)), stored(value)
        if previous == corrected:
            continue
        corrections.append(
            Correction(
                referral=referral,
                target=target,
                field=field,
                previous_value=previous,
                corrected_value=corrected,
                reason=reason,
                author=user,
                created_at=now,
            )
        )
        setattr(referral, field, value)
    return Correction.objects.bulk_create(corrections)


def _record(referral, user, target, corrections, reason, now, request) -> None:
    lines = [
        f"{label(c.field)}: {shown(c.field, c.previous_value)} \N{RIGHTWARDS ARROW} "
        f"{shown(c.field, c.corrected_value)}"
        for c in corrections
    ]
    text = "\n".join([f"{Target(target).label} corrected.", *lines, f"Reason: {reason}"])
    ReferralEvent.record(referral, ReferralEvent.Kind.CORRECTED, user, now=now, text=text)
    # Field names only: the values are personal data and stay in the referral's record.
    audit_record(
        action="referral.corrected",
        actor=user,
        request=request,
        referral=referral,
        detail={"target": target, "fields": [c.field for c in corrections]},
    )


def _reindex_links(referral: Referral) -> None:
    """The same-person and address keys follow the corrected name, date of birth and
    address (links.index_links writes every key of the referral again). Badges already
    set on other referrals stay: a link is a prompt to check."""
    referral.match_name = normalise.match_name(referral.first_name, referral.last_name)
    referral.link_keys.all().delete()
    links.index_links(referral)


@transaction.atomic
def referral_correct_contact(
    *,
    referral: Referral,
    user: User,
    changes: dict,
    reason: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> list[Correction]:
    now = now or timezone.now()
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status == Status.DRAFT:
        raise CorrectionRefused("A draft is changed by its author, not corrected.")
    corrections = _apply(locked, user, Target.CONTACT, changes, reason, now)
    if not corrections:
        return []
    if LINKED_FIELDS & {c.field for c in corrections}:
        _reindex_links(locked)
    locked.save()
    _record(locked, user, Target.CONTACT, corrections, reason, now, request)
    return corrections


@transaction.atomic
def referral_correct_decision(
    *,
    referral: Referral,
    user: User,
    changes: dict,
    reason: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> list[Correction]:
    """Correct a recorded decision's outcome or reasons (a mistake in recording it, not
    a new decision: that is reopening). The referrer is not sent a new update."""
    now = now or timezone.now()
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not locked.contact_outcome:
        raise CorrectionRefused("There is no decision to correct yet.")
    outcome = changes.get("contact_outcome", locked.contact_outcome)
    if outcome not in locked.allowed_outcomes():
        raise CorrectionRefused("Choose an outcome that applies to this person.")
    corrections = _apply(locked, user, Target.DECISION, changes, reason, now)
    if not corrections:
        return []
    locked.save(update_fields=[*{c.field for c in corrections}, "updated_at"])
    _record(locked, user, Target.DECISION, corrections, reason, now, request)
    return corrections
