"""Multi-step writes of the practitioner's journey: drafts and submission. Each is atomic and the
only place that combines saves, permission grants, audit events and queued work."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Role, User
from indicators.models import CatalogueVersion, Group, Indicator
from referrals import codes, known_children, links, normalise, person_records, timeliness
from referrals.audit import audit_record
from referrals.models import (
    Answer,
    AnswerChoice,
    ReferenceCounter,
    Referral,
    ReferralEvent,
    Section,
    Status,
)
from referrals.notifications.outbox import outbox_known_child, outbox_referral_submitted
from referrals.notifications.webhooks import webhook_outbox
from referrals.permissions import grant_author


class SubmissionIncomplete(Exception):
    def __init__(self, missing: list[str]):
        super().__init__(f"sections not completed: {', '.join(missing)}")
        self.missing = missing


@transaction.atomic
def referral_start(
    *, author: User, request: HttpRequest | None = None, organisation=None
) -> Referral:
    """A new draft, with the referrer's details filled in from their profile, for the
    author's organisation (or `organisation`: a partner system's, for the API)."""
    organisation = organisation or author.organisation
    referral = Referral.objects.create(
        author=author,
        organisation=organisation,
        catalogue_version=CatalogueVersion.objects.current(),
        referrer_name=author.full_name,
        referrer_role=author.job_title,
        referrer_organisation=organisation.name if organisation else "",
        referrer_phone=author.work_phone,
        referrer_email=author.email,
    )
    grant_author(author, referral)
    audit_record(action="referral.draft_started", actor=author, request=request, referral=referral)
    return referral


def referral_mark_section(*, referral: Referral, section: str) -> None:
    if section not in referral.sections_completed:
        referral.sections_completed = [
            s for s in Section.values if s in {*referral.sections_completed, section}
        ]
        referral.save(update_fields=["sections_completed", "updated_at"])


def _next_reference(year: int) -> str:
    # Row lock on the year's counter: references are unique and gapless per year even
    # with many submissions at once, and the number read under the lock is the one to
    # add one to, so nothing is read twice.
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return Referral.format_reference(year, counter.last_number)


# --- Drafts: saving what a section form collected (forms only shape input)


def indicators_for(referral: Referral) -> list[Indicator]:
    """The indicators the referral asks about: its catalogue version's active ones for
    the subject (all audiences until the subject type is known)."""
    indicators = referral.catalogue_version.indicators.filter(active=True)
    if referral.subject_type:
        indicators = indicators.for_audience(referral.subject_type)
    group_order = {group: i for i, group in enumerate(Group.values)}
    return sorted(indicators, key=lambda ind: (group_order[ind.group], ind.order))


@transaction.atomic
def draft_save_answers(*, referral: Referral, answers: dict, complete: bool) -> None:
    """Replace the draft's answers with `answers` ({code: (answer, detail, observed_on)})."""
    by_code = {ind.code: ind for ind in indicators_for(referral)}
    referral.answers.exclude(indicator__code__in=answers).delete()
    existing = {a.indicator.code: a for a in referral.answers.select_related("indicator")}
    to_create, to_update = [], []
    for code, (answer, detail, observed_on) in answers.items():
        row = existing.get(code) or Answer(referral=referral, indicator=by_code[code])
        row.answer, row.detail, row.observed_on = answer, detail, observed_on
        (to_update if row.pk else to_create).append(row)
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["answer", "detail", "observed_on"])
    if complete:
        referral_mark_section(referral=referral, section="indicators")
    else:
        referral.save(update_fields=["updated_at"])


@transaction.atomic
def draft_save_section(*, referral_form, section: str, complete: bool) -> Referral:
    referral = referral_form.save(commit=False)
    referral.apply_urgency()
    referral.save()
    if complete:
        referral_mark_section(referral=referral, section=section)
    return referral


@transaction.atomic
def draft_save_sections(
    *, referral: Referral, referral_forms: list, complete: list[str]
) -> Referral:
    """Several valid section forms bound to the one `referral` instance (the partner API
    fills in a whole referral at once): each form's answers, urgency, and the sections
    in `complete` marked done, in one save."""
    for referral_form in referral_forms:
        referral_form.save(commit=False)
    referral.apply_urgency()
    done = {*referral.sections_completed, *complete}
    referral.sections_completed = [s for s in Section.values if s in done]
    referral.save()
    return referral


@transaction.atomic
def draft_save_what_is_valid(*, referral_form) -> None:
    """Save a section whose form has errors, without the answers in error: the form's
    instance already holds every valid answer (ModelForm._post_clean) and keeps the
    stored value of each answer in error, so nothing typed correctly is lost."""
    referral = referral_form.instance
    referral.apply_urgency()
    referral.save()


@transaction.atomic
def draft_save_people(*, referral: Referral, formset, complete: bool) -> None:
    formset.save()
    if complete:
        referral_mark_section(referral=referral, section="network")


# --- Submission


def referral_source_code(referral: Referral) -> str:
    """The census source of referral a contact starts with: from the referring
    organisation's kind (referrals.codes.SOURCE_FOR_ORGANISATION_KIND); triage corrects
    it with a reason (triage.services.referral_update_record)."""
    return codes.source_for_organisation_kind(referral.organisation.kind)


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
        .select_related("author", "organisation")
        .get(pk=referral.pk)
    )
    if referral.status != Status.DRAFT:
        return referral
    missing = referral.missing_sections()
    if missing:
        raise SubmissionIncomplete(missing)
    now = now or timezone.now()
    referral.status = Status.SUBMITTED
    referral.submitted_at = now
    referral.decision_due_at = timeliness.decision_due(now)
    referral.claim_due_at = timeliness.claim_due(now) if referral.is_urgent else None
    referral.match_name = normalise.match_name(referral.first_name, referral.last_name)
    referral.yes_count = referral.answers.filter(answer=AnswerChoice.YES).count()
    referral.source_code = referral_source_code(referral)
    links.index_links(referral)
    known = known_children.known_mark(referral=referral, now=now)
    referral.save()
    person_records.person_record_assign(referral=referral, now=now)
    ReferralEvent.record(
        referral, ReferralEvent.Kind.SUBMITTED, user, now=now, role=Role.PRACTITIONER
    )
    audit_record(action="referral.submitted", actor=user, request=request, referral=referral)
    outbox_referral_submitted(referral)
    if known is not None:
        known_children.known_record(referral=referral, known=known, now=now)
        outbox_known_child(referral, worker=known.worker)
    # Last: the year's counter stays locked until commit, so a concurrent submission
    # waits only for this update and the commit, not for the whole submission.
    referral.reference = _next_reference(timezone.localdate(now).year)
    Referral.objects.filter(pk=referral.pk).update(reference=referral.reference)
    webhook_outbox(referral, "referral.submitted")
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
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.DRAFT_RETENTION_DAYS)
    stale = Referral.objects.drafts().filter(created_at__lt=cutoff, legal_hold=False)
    count = 0
    for referral in stale.iterator():
        with transaction.atomic():
            audit_record(action="referral.draft_expired", referral=referral)
            referral.delete()
            count += 1
    return count
