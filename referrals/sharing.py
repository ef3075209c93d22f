"""Writing the information-sharing log. Every disclosure outside the front door (an
information request, a partner's answer, a hand-off, a PDF sent outside, a message to
the referrer, a notice to another council) and every decision not to share goes
through `disclosure_record`, in the same transaction as the thing it records."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Organisation, User
from referrals.audit import audit_record
from referrals.models import Disclosure, LawfulBasis, Referral

# The basis most front-door sharing rests on; forms offer it first.
DEFAULT_LAWFUL_BASIS = LawfulBasis.PUBLIC_TASK_SAFEGUARDING


class RefusalNeedsReason(ValueError):
    """A decision not to share was recorded without its reason."""


@transaction.atomic
def disclosure_record(
    *,
    referral: Referral,
    kind: str,
    what: list[str],
    lawful_basis: str,
    decided_by: User | None,
    organisation: Organisation | None = None,
    recipient_name: str = "",
    shared: bool = True,
    reason: str = "",
    request: HttpRequest | None = None,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> Disclosure:
    """Log one disclosure (or, with shared=False, one decision not to share, which
    needs a reason). `what` names the kinds of information, never their values. A
    repeated `idempotency_key` returns the entry already written."""
    if not shared and not reason.strip():
        raise RefusalNeedsReason("Say why the information is not being shared.")
    if idempotency_key:
        existing = Disclosure.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    decision = Disclosure.Decision.SHARED if shared else Disclosure.Decision.NOT_SHARED
    try:
        with transaction.atomic():
            disclosure = Disclosure.objects.create(
                referral=referral,
                kind=kind,
                decision=decision,
                what=list(what),
                organisation=organisation,
                recipient_name=recipient_name[:200],
                lawful_basis=lawful_basis if shared else LawfulBasis.NOT_APPLICABLE,
                reason=reason.strip(),
                decided_by=decided_by,
                decided_at=now or timezone.now(),
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        return Disclosure.objects.get(idempotency_key=idempotency_key)
    audit_record(
        action="disclosure" if shared else "disclosure_refused",
        actor=decided_by,
        request=request,
        referral=referral,
        obj=disclosure,
        detail={"kind": kind, "what": list(what), "lawful_basis": disclosure.lawful_basis},
    )
    return disclosure


def disclosures_of(referral: Referral):
    """The log of one referral, oldest first, with who and to whom in the same query."""
    return referral.disclosures.select_related("organisation", "decided_by").order_by(
        "decided_at", "pk"
    )
