"""The API's reads and writes. Each is audited with the calling client's identity."""

from django.db import transaction
from django.http import Http404

from indicators.models import CatalogueVersion
from referrals.audit import audit_record
from referrals.models import ApiClient, AuditEvent, Referral, Status


@transaction.atomic
def checklist_read(*, client: ApiClient, request=None) -> dict:
    version = CatalogueVersion.objects.current()
    audit_record(
        action="api.checklist_read",
        request=request,
        actor=client.accountable_person,
        obj=client,
        detail={"api_client": client.pk, "version": version.number if version else None},
    )
    if version is None:
        return {"version": 0, "indicators": []}
    indicators = version.indicators.filter(active=True).order_by("group", "order")
    return {
        "version": version.number,
        "indicators": [
            {"code": i.code, "wording": i.wording, "group": i.group, "audience": i.audience}
            for i in indicators
        ],
    }


# Not atomic: the refusal's audit row must survive the Http404 (one insert either way).
def referral_status_read(*, client: ApiClient, reference: str, request=None) -> dict:
    """A submitted referral of the client's own organisation (anything else: Http404, and
    the refusal audited), with what its referrer may know of the outcome."""
    referral = (
        Referral.objects.exclude(status=Status.DRAFT)
        .filter(reference=reference, organisation=client.organisation)
        .first()
    )
    detail = {"api_client": client.pk}
    if referral is None:
        audit_record(
            action="api.referral_read",
            request=request,
            actor=client.accountable_person,
            obj=client,
            outcome=AuditEvent.Outcome.DENIED,
            detail=detail,
        )
        raise Http404
    audit_record(
        action="api.referral_read",
        request=request,
        actor=client.accountable_person,
        referral=referral,
        detail=detail,
    )
    decided = referral.status in (Status.DECIDED, Status.CLOSED)
    return {
        "reference": referral.reference,
        "status": referral.status,
        "submitted_at": referral.submitted_at,
        "decided_at": referral.decided_at,
        "outcome": referral.outcome_label if decided else "",
    }
