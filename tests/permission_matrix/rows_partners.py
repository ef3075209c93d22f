"""Partner information requests and the sharing log (referrals/partners/urls.py, h19b).
Triage send, withdraw and record decisions not to share on a referral; the partner
(a police user) sees only the requests addressed to their agency, and a request to
another agency is a 404; administrators search the sharing log. Everyone else: 404."""

import datetime as dt
import uuid

from tests.permission_matrix.base import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, only


def _submitted(w):
    return {"reference": w.referral.reference}


def _request(w, organisation=None):
    from django.utils import timezone

    from referrals.models import InformationRequest

    info = InformationRequest.objects.create(
        referral=w.referral,
        organisation=organisation or w.partner.organisation,
        asked_by=w.triager,
        question="Is Zoë known to you?",
        shared_fields=["name"],
        shared_name="Zoë Testsubject",
        lawful_basis="public_task_safeguarding",
        due_at=timezone.now() + dt.timedelta(days=1),
        form_token=uuid.uuid4(),
    )
    return info


def _triage_request(w):
    return {"reference": w.referral.reference, "pk": _request(w).pk}


def _partner_request(w):
    return {"pk": _request(w).pk}


def _other_agency_request(w):
    from tests.factories import OrganisationFactory

    health = OrganisationFactory(name="Testshire Health Ødegård", kind="health")
    return {"pk": _request(w, health).pk}


def _answer(w):
    return {"answer": "Known to police: yes.", "form_token": str(uuid.uuid4())}


def _refusal(w):
    return {
        "kind": "information_request",
        "recipient_name": "Testshire Housing",
        "reason": "Not needed to find their records.",
        "form_token": str(uuid.uuid4()),
    }


ROWS = [
    Row("information_request_create", only(OK, "triager"), kwargs=_submitted),
    Row(
        "information_request_withdraw",
        only(NOT_ALLOWED, "triager"),
        kwargs=_triage_request,
        note="POST only",
    ),
    Row(
        "information_request_withdraw",
        only(REDIRECT, "triager"),
        kwargs=_triage_request,
        method="post",
    ),
    Row("sharing_refusal_create", only(OK, "triager"), kwargs=_submitted),
    Row(
        "sharing_refusal_create",
        only(REDIRECT, "triager"),
        kwargs=_submitted,
        method="post",
        data=_refusal,
    ),
    Row("partner_queue", only(OK, "partner")),
    Row("partner_request_detail", only(OK, "partner"), kwargs=_partner_request),
    Row(
        "partner_request_detail",
        only(REDIRECT, "partner"),
        kwargs=_partner_request,
        method="post",
        data=_answer,
    ),
    Row(
        "partner_request_detail",
        only(NOT_FOUND),
        kwargs=_other_agency_request,
        note="a request to another agency",
    ),
    Row("sharing_log_search", only(OK, "admin")),
    Row("sharing_log_search", only(OK, "admin"), query="reference=CL-2026-000001&kind=handoff"),
]
