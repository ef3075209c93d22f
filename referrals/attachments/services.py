"""Attachments: add one (stored under a random name, queued for a scan), scan one with
clamd on the worker, rescan what waited for a scanner that was down, and open one.

A file is served only in state "clean". An infected file is quarantined: its state
says so, nobody can open it, the quarantine is audited and the uploader is told (a
content-free notification)."""

import logging
import uuid

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals import jobs
from referrals.attachments import scanner
from referrals.audit import audit_record
from referrals.models import Attachment, Referral
from referrals.notifications.outbox import outbox_file_quarantined

logger = logging.getLogger(__name__)

SCAN_TASK = "referrals.attachment_scan"


@transaction.atomic
def attachment_add(
    *,
    referral: Referral,
    user: User,
    upload,
    kind: str,
    request: HttpRequest | None = None,
) -> Attachment:
    attachment = Attachment(
        referral=referral,
        uploaded_by=user,
        name=(upload.name or "file")[-200:],
        kind=kind,
        size=upload.size,
    )
    upload.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}.bin", upload, save=False)
    attachment.save()
    audit_record(
        action="attachment.added",
        actor=user,
        request=request,
        referral=referral,
        obj=attachment,
        detail={"kind": kind, "size": attachment.size},
    )
    if scanner.configured():
        jobs.enqueue(SCAN_TASK, attachment.pk)
    return attachment


@transaction.atomic
def referral_record_indecent_imagery(
    *, referral: Referral, user: User, description: str, request: HttpRequest | None = None
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    referral.indecent_imagery_exists = True
    referral.indecent_imagery_description = description
    referral.save(update_fields=["indecent_imagery_exists", "indecent_imagery_description"])
    audit_record(
        action="referral.indecent_imagery_recorded", actor=user, request=request, referral=referral
    )
    return referral


def attachment_scan(*, attachment_id: int) -> Attachment | None:
    """Scan one pending file. The scan runs outside a transaction (it may take seconds);
    its result is written under a row lock. Scanner down: the file stays pending and the
    rescan job tries again later (ScannerUnavailable is raised for the caller to log)."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.state != Attachment.State.PENDING:
        return attachment
    Attachment.objects.filter(pk=attachment_id).update(scan_attempts=attachment.scan_attempts + 1)
    with attachment.file.open("rb") as stream:
        result = scanner.scan(stream)
    return _scanned(attachment_id=attachment_id, result=result)


@transaction.atomic
def _scanned(*, attachment_id: int, result: scanner.ScanResult) -> Attachment:
    attachment = (
        Attachment.objects.select_for_update().select_related("referral").get(pk=attachment_id)
    )
    if attachment.state != Attachment.State.PENDING:
        return attachment
    attachment.scanned_at = timezone.now()
    if result.clean:
        attachment.state = Attachment.State.CLEAN
    else:
        attachment.state = Attachment.State.INFECTED
        attachment.signature = result.signature
    attachment.save(update_fields=["state", "signature", "scanned_at"])
    audit_record(
        action="attachment.scanned" if result.clean else "attachment.quarantined",
        referral=attachment.referral,
        obj=attachment,
        detail={"signature": attachment.signature} if not result.clean else {},
    )
    if not result.clean:
        outbox_file_quarantined(attachment)
    return attachment


def attachments_rescan_pending() -> int:
    """Beat: queue a scan of every pending file once clamd answers again."""
    if not scanner.configured() or not scanner.ping():
        return 0
    ids = list(
        Attachment.objects.filter(state=Attachment.State.PENDING).values_list("pk", flat=True)
    )
    for pk in ids:
        jobs.publish(SCAN_TASK, pk)
    return len(ids)


def attachment_opened(
    *, attachment: Attachment, user: User, request: HttpRequest | None = None
) -> None:
    audit_record(
        action="attachment.downloaded",
        actor=user,
        request=request,
        referral=attachment.referral,
        obj=attachment,
    )
