"""The API's reads and writes. Each is audited with the calling client's identity."""

import uuid

from django.db import transaction
from django.http import Http404
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError

from indicators.models import CatalogueVersion
from referrals.addenda import services as addenda_services
from referrals.addenda.forms import InformationForm
from referrals.audit import audit_record
from referrals.models import Addendum, ApiClient, AuditEvent, Referral, Status


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


def _own_referral(*, client: ApiClient, reference: str, request, action: str) -> Referral:
    referral = (
        Referral.objects.exclude(status=Status.DRAFT)
        .filter(reference=reference, organisation=client.organisation)
        .first()
    )
    if referral is None:
        audit_record(
            action=action,
            request=request,
            actor=client.accountable_person,
            obj=client,
            outcome=AuditEvent.Outcome.DENIED,
            detail={"api_client": client.pk},
        )
        raise Http404
    return referral


def referral_information_add(
    *, client: ApiClient, reference: str, body: str, key: str, request=None
) -> Addendum:
    """Information added through referrals.addenda (the form's rule, the service's
    checks), as the client's accountable person. A valid UUID Idempotency-Key is the
    addendum's form token, so a retried POST returns the same addendum."""
    referral = _own_referral(
        client=client, reference=reference, request=request, action="api.information_added"
    )
    form = InformationForm(data={"body": body, "form_token": key or str(uuid.uuid4())})
    if not form.is_valid():
        raise ApiValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    try:
        addendum = addenda_services.addendum_add(
            referral=referral,
            user=client.accountable_person,
            body=form.cleaned_data["body"],
            form_token=form.cleaned_data["form_token"],
            request=request,
        )
    except addenda_services.AddendumRefused as refused:
        raise PermissionDenied(str(refused)) from refused
    audit_record(
        action="api.information_added",
        request=request,
        actor=client.accountable_person,
        referral=referral,
        obj=addendum,
        detail={"api_client": client.pk},
    )
    return addendum


# Not atomic: the refusal's audit row must survive the Http404 (one insert either way).
def referral_status_read(*, client: ApiClient, reference: str, request=None) -> dict:
    """A submitted referral of the client's own organisation (anything else: Http404, and
    the refusal audited), with what its referrer may know of the outcome."""
    referral = _own_referral(
        client=client, reference=reference, request=request, action="api.referral_read"
    )
    audit_record(
        action="api.referral_read",
        request=request,
        actor=client.accountable_person,
        referral=referral,
        detail={"api_client": client.pk},
    )
    decided = referral.status in (Status.DECIDED, Status.CLOSED)
    return {
        "reference": referral.reference,
        "status": referral.status,
        "submitted_at": referral.submitted_at,
        "decided_at": referral.decided_at,
        "outcome": referral.outcome_label if decided else "",
    }
