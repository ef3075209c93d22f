"""Writing the audit trail. Every read of a referral, export, download, decision,
permission change and denied attempt goes through `audit_record`."""

import logging
import uuid

from django.conf import settings
from django.http import HttpRequest

from referrals.models import AuditEvent, Referral

logger = logging.getLogger(__name__)


def request_id(request: HttpRequest | None) -> str:
    """The request's id (from the proxy's X-Request-ID, else one made here)."""
    if request is None:
        return ""
    if not hasattr(request, "_audit_request_id"):
        header = request.META.get("HTTP_X_REQUEST_ID", "")[:64]
        request._audit_request_id = header or uuid.uuid4().hex
    return request._audit_request_id


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address behind at most one trusted proxy (settings.NUM_PROXIES)."""
    if request is None:
        return None
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor=None,
    request: HttpRequest | None = None,
    referral: Referral | None = None,
    obj=None,
    outcome: str = AuditEvent.Outcome.ALLOWED,
    detail: dict | None = None,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    event = AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_email=getattr(actor, "email", "") or "",
        referral=referral,
        object_type=obj._meta.label if obj is not None else ("referral" if referral else ""),
        object_id=str(obj.pk) if obj is not None else (str(referral.pk) if referral else ""),
        outcome=outcome,
        detail=detail or {},
        request_id=request_id(request),
        ip_address=client_ip(request),
    )
    # Ids only in the log: never names or free text.
    logger.info(
        "audit action=%s outcome=%s actor=%s referral=%s",
        action,
        outcome,
        event.actor_id,
        referral.pk if referral else "-",
    )
    return event
