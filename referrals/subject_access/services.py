"""Subject access requests: record one, extend its deadline, produce the bundle on a
worker, review the redactions (which produces it again) and release it.

The bundle's render runs inside a transaction that holds the bundle's row lock, as the
exports' does: a redelivered task finds it no longer pending and does nothing."""

import datetime as dt
import logging
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals import jobs, pdf, person_records
from referrals.audit import audit_record
from referrals.models import (
    Disclosure,
    LawfulBasis,
    PersonRecord,
    Referral,
    SubjectAccessBundle,
    SubjectAccessRequest,
)
from referrals.models.exports import ExportState
from referrals.models.subject_access import calendar_months_after
from referrals.permissions import can_handle_subject_access
from referrals.sharing import disclosure_record
from referrals.subject_access import documents

logger = logging.getLogger(__name__)

MESSAGE_TOO_LARGE = "The bundle was too long to produce ({pages} pages; the limit is {limit})."
MESSAGE_TOO_SLOW = "The bundle took too long to produce. Try again later."
MESSAGE_FAILED = "The bundle could not be produced. Try again, or ask the service desk."
MESSAGE_NOT_ALLOWED = "Only an administrator may produce a subject access bundle."
MESSAGE_NOT_QUEUED = "The bundle could not be queued. Try again in a few minutes."


class ReleaseRefused(Exception):
    """The bundle may not be released yet (or again)."""


def subject_referrals(sar: SubjectAccessRequest) -> list[Referral]:
    """Every submitted referral about the request's person, oldest first: the live
    person record's (a merged record's now lives in another), else the one referral."""
    record = sar.person_record
    if record is None and sar.referral_id:
        record = person_records.record_of(sar.referral)
    if record is not None:
        return list(person_records.referrals_of_record(person_records.live(record)))
    return [sar.referral] if sar.referral_id else []


@transaction.atomic
def subject_access_request_record(
    *,
    user: User,
    requester: str,
    requester_name: str,
    received_on: dt.date,
    person_record: PersonRecord | None = None,
    referral: Referral | None = None,
    request: HttpRequest | None = None,
) -> SubjectAccessRequest:
    """Record a request and queue its first bundle (everything proposed redacted)."""
    sar = SubjectAccessRequest.objects.create(
        person_record=person_record,
        referral=referral,
        requester=requester,
        requester_name=requester_name.strip(),
        received_on=received_on,
        due_on=calendar_months_after(received_on, 1),
        recorded_by=user,
    )
    audit_record(
        action="subject_access.recorded",
        actor=user,
        request=request,
        obj=sar,
        detail={"received_on": received_on.isoformat(), "due_on": sar.due_on.isoformat()},
    )
    _bundle_request(sar, user)
    return sar


@transaction.atomic
def subject_access_extend(
    *, sar: SubjectAccessRequest, user: User, reason: str, request: HttpRequest | None = None
) -> SubjectAccessRequest:
    """Art. 12(3): two further months for a complex or numerous request; the person
    must be told, with the reason, within the first month."""
    sar.extension_reason = reason.strip()
    sar.extended_at = timezone.now()
    sar.extended_by = user
    sar.due_on = sar.due_date()
    sar.save(update_fields=["extension_reason", "extended_at", "extended_by", "due_on"])
    audit_record(
        action="subject_access.extended",
        actor=user,
        request=request,
        obj=sar,
        detail={"due_on": sar.due_on.isoformat()},
    )
    return sar


@transaction.atomic
def subject_access_review(
    *,
    sar: SubjectAccessRequest,
    user: User,
    unredacted: list[str],
    request: HttpRequest | None = None,
) -> SubjectAccessBundle:
    """Keep the administrator's choice of redactions to release and produce the bundle
    again with it."""
    sar.unredacted = sorted(set(unredacted))
    sar.save(update_fields=["unredacted"])
    audit_record(
        action="subject_access.reviewed",
        actor=user,
        request=request,
        obj=sar,
        detail={"unredacted": sar.unredacted},
    )
    return _bundle_request(sar, user)


def _bundle_request(sar: SubjectAccessRequest, user: User) -> SubjectAccessBundle:
    row = SubjectAccessBundle.objects.create(
        request=sar, requested_by=user, unredacted=list(sar.unredacted)
    )
    jobs.enqueue(
        "referrals.subject_access_bundle_render", row.pk, on_failure=lambda: _not_queued(row.pk)
    )
    return row


def _not_queued(bundle_id: int) -> None:
    logger.warning("broker unavailable; subject access bundle %s marked failed", bundle_id)
    SubjectAccessBundle.objects.filter(pk=bundle_id, state=ExportState.PENDING).update(
        state=ExportState.FAILED, error=MESSAGE_NOT_QUEUED, completed_at=timezone.now()
    )


@transaction.atomic
def subject_access_bundle_render(*, bundle_id: int) -> SubjectAccessBundle | None:
    """Render a pending bundle (the worker). Idempotent."""
    row = (
        SubjectAccessBundle.objects.select_for_update()
        .select_related("request", "requested_by")
        .filter(pk=bundle_id)
        .first()
    )
    if row is None or row.state != ExportState.PENDING:
        return row
    if not can_handle_subject_access(row.requested_by):
        return _fail(row, MESSAGE_NOT_ALLOWED)
    referrals = subject_referrals(row.request)
    try:
        html, redactor = documents.bundle_html(row.request, row, referrals)
        rendered = pdf.html_to_pdf(html, max_pages=settings.SUBJECT_ACCESS_MAX_PAGES)
    except pdf.TooLarge as exc:
        return _fail(row, MESSAGE_TOO_LARGE.format(pages=exc.pages, limit=exc.limit))
    except SoftTimeLimitExceeded:
        return _fail(row, MESSAGE_TOO_SLOW)
    except Exception as exc:
        # The exception may quote referral text: its type and the id only.
        logger.error("subject access bundle %s failed: %s", row.pk, type(exc).__name__)
        return _fail(row, MESSAGE_FAILED)
    row.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(rendered.content), save=False)
    row.state = ExportState.READY
    row.pages = rendered.pages
    row.proposed = len(redactor.proposals)
    row.redacted = redactor.applied
    row.completed_at = timezone.now()
    row.save(update_fields=["file", "state", "pages", "proposed", "redacted", "completed_at"])
    return row


def _fail(row: SubjectAccessBundle, message: str) -> SubjectAccessBundle:
    row.state = ExportState.FAILED
    row.error = message
    row.completed_at = timezone.now()
    row.save(update_fields=["state", "error", "completed_at"])
    return row


def latest_bundle(sar: SubjectAccessRequest) -> SubjectAccessBundle | None:
    return sar.bundles.order_by("-requested_at", "-pk").first()


def releasable(sar: SubjectAccessRequest) -> SubjectAccessBundle | None:
    """The bundle that may be released: the newest, ready, made with the review as it
    stands, on an open request."""
    row = latest_bundle(sar)
    if (
        sar.state != SubjectAccessRequest.State.OPEN
        or row is None
        or row.state != ExportState.READY
        or sorted(row.unredacted) != sorted(sar.unredacted)
    ):
        return None
    return row


@transaction.atomic
def subject_access_release(
    *,
    sar: SubjectAccessRequest,
    user: User,
    lawful_basis: str = LawfulBasis.SUBJECT_ACCESS,
    request: HttpRequest | None = None,
) -> SubjectAccessBundle:
    """Release the reviewed bundle: the request is answered, and each referral in it
    gets an entry in the information-sharing log (what, never the values)."""
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    row = releasable(sar)
    if row is None:
        raise ReleaseRefused("Produce the bundle with the review as it stands, then release it.")
    now = timezone.now()
    what = ["subject access bundle", "referral details, decisions, notes and messages"]
    if row.redacted:
        what.append(f"withheld: {row.redacted} third-party details")
    recipient = f"{sar.get_requester_display()} (subject access request {sar.pk})"
    for referral in subject_referrals(sar):
        disclosure_record(
            referral=referral,
            kind=Disclosure.Kind.SUBJECT_ACCESS,
            what=what,
            lawful_basis=lawful_basis,
            decided_by=user,
            recipient_name=recipient,
            request=request,
            idempotency_key=f"sar:{sar.pk}:{referral.pk}",
            now=now,
        )
    sar.state = SubjectAccessRequest.State.RELEASED
    sar.released_by, sar.released_at, sar.released_bundle = user, now, row
    sar.save(update_fields=["state", "released_by", "released_at", "released_bundle"])
    audit_record(
        action="subject_access.released",
        actor=user,
        request=request,
        obj=sar,
        detail={"bundle": row.pk, "redacted": row.redacted, "lawful_basis": lawful_basis},
    )
    return row
