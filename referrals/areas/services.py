"""Other areas (issue 18): the councils administrators keep, and recording a contact's
home council, which tells that council's front door once, content-light."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals.audit import audit_record
from referrals.models import Council, Disclosure, Referral, ReferralEvent
from referrals.notifications.outbox import outbox_out_of_area
from referrals.sharing import DEFAULT_LAWFUL_BASIS, disclosure_record

AUDITED_FIELDS = ("name", "front_door_email", "front_door_phone", "postcode_areas", "active")


@transaction.atomic
def council_save(*, form, user: User, request: HttpRequest | None = None) -> Council:
    """Add or change a council (a validated CouncilForm); the change is audited field
    by field (the values are the council's, never a person's)."""
    before = Council.objects.filter(pk=form.instance.pk).values(*AUDITED_FIELDS).first()
    council = form.save()
    after = {field: getattr(council, field) for field in AUDITED_FIELDS}
    changed = {f: {"before": (before or {}).get(f), "after": after[f]} for f in AUDITED_FIELDS}
    changed = {f: v for f, v in changed.items() if before is None or v["before"] != v["after"]}
    audit_record(
        action="council.added" if before is None else "council.changed",
        actor=user,
        request=request,
        obj=council,
        detail={"changed": changed},
    )
    return council


@transaction.atomic
def referral_record_home_council(
    *,
    referral: Referral,
    user: User,
    council: Council,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """Record the council the person lives in and send its front door one notice.

    Idempotent: recording the same council again changes nothing and sends nothing.
    Changing it (the first was wrong) records the new one and notifies it; the first
    council's notice has gone and is not recalled. Each council is told at most once
    per contact (the outbox key), so changing back sends nothing again."""
    now = now or timezone.now()
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.home_council_id == council.pk:
        return locked
    previous = locked.home_council
    locked.home_council = council
    locked.save(update_fields=["home_council", "updated_at"])
    text = f"{council.name}" + (f" (was {previous.name})" if previous else "")
    ReferralEvent.record(locked, ReferralEvent.Kind.HOME_COUNCIL, user, now=now, text=text)
    audit_record(
        action="referral.home_council_recorded",
        actor=user,
        request=request,
        referral=locked,
        detail={"council": council.pk, "previous": previous.pk if previous else None},
    )
    disclosure_record(
        referral=locked,
        kind=Disclosure.Kind.OTHER_COUNCIL,
        what=["that a contact was received", "the reference"],
        recipient_name=council.name,
        lawful_basis=DEFAULT_LAWFUL_BASIS,
        decided_by=user,
        request=request,
        idempotency_key=f"council-notice:{locked.pk}:{council.pk}",
        now=now,
    )
    outbox_out_of_area(locked, council)
    return locked
