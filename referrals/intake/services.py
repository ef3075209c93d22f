"""Multi-step writes about referrals: drafts and submission. Each is atomic and the
only place that combines saves, permission grants, audit events and queued work."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from indicators.models import CatalogueVersion
from referrals import links, normalise, timeliness
from referrals.audit import audit_record
from referrals.models import AnswerChoice, ReferenceCounter, Referral, ReferralEvent, Status
from referrals.notifications.outbox import outbox_referral_submitted
from referrals.permissions import grant_author

# The form's sections in order: (slug, title). Submission needs every one completed.
SECTIONS = [
    ("danger", "Immediate danger"),
    ("subject", "Who the referral is about"),
    ("network", "Household and network"),
    ("indicators", "Warning signs"),
    ("consent", "Consent and information sharing"),
    ("concern", "Your concern"),
    ("referrer", "About you"),
]
SECTION_SLUGS = [slug for slug, _ in SECTIONS]


class SubmissionIncomplete(Exception):
    def __init__(self, missing: list[str]):
        super().__init__(f"sections not completed: {', '.join(missing)}")
        self.missing = missing


@transaction.atomic
def referral_start(*, author: User, request: HttpRequest | None = None) -> Referral:
    """A new draft, with the referrer's details filled in from their profile."""
    referral = Referral.objects.create(
        author=author,
        organisation=author.organisation,
        catalogue_version=CatalogueVersion.objects.current(),
        referrer_name=author.full_name,
        referrer_role=author.job_title,
        referrer_organisation=author.organisation.name if author.organisation else "",
        referrer_phone=author.work_phone,
        referrer_email=author.email,
    )
    grant_author(author, referral)
    audit_record(action="referral.draft_started", actor=author, request=request, referral=referral)
    return referral


def referral_mark_section(*, referral: Referral, section: str) -> None:
    if section not in referral.sections_completed:
        referral.sections_completed = [
            s for s in SECTION_SLUGS if s in {*referral.sections_completed, section}
        ]
        referral.save(update_fields=["sections_completed", "updated_at"])


def missing_sections(referral: Referral) -> list[str]:
    return [slug for slug in SECTION_SLUGS if slug not in referral.sections_completed]


def _next_reference(year: int) -> str:
    # Row lock on the year's counter: references are unique and gapless per year even
    # with many submissions at once.
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    ReferenceCounter.objects.filter(pk=year).update(last_number=F("last_number") + 1)
    counter.refresh_from_db()
    return f"CL-{year}-{counter.last_number:06d}"


@transaction.atomic
def referral_submit(
    *,
    referral: Referral,
    user: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """Submit a draft. Idempotent: a double click or a retried request finds the
    referral already submitted (under a row lock) and returns it unchanged."""
    # The author comes along for the acknowledgement; only the referral row is locked.
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("author")
        .get(pk=referral.pk)
    )
    if referral.status != Status.DRAFT:
        return referral
    missing = missing_sections(referral)
    if missing:
        raise SubmissionIncomplete(missing)
    now = now or timezone.now()
    referral.status = Status.SUBMITTED
    referral.submitted_at = now
    referral.decision_due_at = timeliness.decision_due(now)
    referral.claim_due_at = timeliness.claim_due(now) if referral.is_urgent else None
    referral.match_name = normalise.match_name(referral.first_name, referral.last_name)
    referral.yes_count = referral.answers.filter(answer=AnswerChoice.YES).count()
    links.index_links(referral)
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        kind=ReferralEvent.Kind.SUBMITTED,
        actor=user,
        occurred_at=now,
        recorded_at=now,
    )
    audit_record(action="referral.submitted", actor=user, request=request, referral=referral)
    outbox_referral_submitted(referral)
    # Last: the year's counter stays locked until commit, so a concurrent submission
    # waits only for this update and the commit, not for the whole submission.
    referral.reference = _next_reference(timezone.localdate(now).year)
    Referral.objects.filter(pk=referral.pk).update(reference=referral.reference)
    return referral


@transaction.atomic
def referral_discard(*, referral: Referral, user: User, request: HttpRequest | None = None) -> None:
    """Delete an unsubmitted draft (the author's choice, or the retention job)."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Status.DRAFT:
        raise ValueError("only drafts can be discarded")
    audit_record(action="referral.draft_deleted", actor=user, request=request, referral=locked)
    locked.delete()


def drafts_expire(*, now: dt.datetime | None = None) -> int:
    """Delete drafts left unsubmitted for DRAFT_RETENTION_DAYS (a scheduled task):
    unsent information about a child is not kept longer than needed."""
    from django.conf import settings

    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.DRAFT_RETENTION_DAYS)
    stale = Referral.objects.drafts().filter(created_at__lt=cutoff, legal_hold=False)
    count = 0
    for referral in stale.iterator():
        with transaction.atomic():
            audit_record(action="referral.draft_expired", referral=referral)
            referral.delete()
            count += 1
    return count
