"""The partner journey on the referral page (templates/referrals/partners/panel.html):
for triage, each information request with its state and answer, the form to send one
and the link to record a decision not to share; for triage and managers, the
information-sharing log. Also the rows of the partners' own pages. Keys start with
`partners_`."""

from django.urls import reverse
from django.utils import timezone

from referrals.models import InformationRequest, LawfulBasis, Referral, ReferralEvent, SharedField
from referrals.permissions import Action, can, can_see_sharing_log
from referrals.sharing import disclosures_of

TAGS = {
    "Overdue": "govuk-tag--red",
    "Waiting for an answer": "govuk-tag--yellow",
    "Answered": "govuk-tag--green",
    "Withdrawn": "govuk-tag--grey",
}


def _request_row(info: InformationRequest, now, reference: str) -> dict:
    state = info.state_label(now)
    return {
        "pk": info.pk,
        "organisation": info.organisation.name,
        "question": info.question,
        "shared": ", ".join(_labels(info.shared_fields)) or "Nothing about the subject",
        "asked_by": info.asked_by.full_name,
        "sent_at": info.sent_at,
        "due_at": info.due_at,
        "state": state,
        "tag_class": TAGS[state],
        "is_open": info.is_open,
        "answer": info.answer,
        "nothing_known": info.nothing_known,
        "answered_at": info.answered_at,
        "answered_by": info.answered_by.full_name if info.answered_by_id else "",
        "withdrawn_at": info.withdrawn_at,
        "withdraw_url": reverse("information_request_withdraw", args=[reference, info.pk]),
    }


def _labels(fields) -> list[str]:
    labels = dict(SharedField.choices)
    return [str(labels[f]) for f in SharedField.values if f in fields]


def _log_rows(referral: Referral) -> list[dict]:
    bases = dict(LawfulBasis.choices)
    return [
        {
            "at": d.decided_at,
            "kind": d.get_kind_display(),
            "what": ", ".join(d.what) or "Not recorded",
            "with_whom": d.recipient or "Not recorded",
            "basis": bases.get(d.lawful_basis, d.lawful_basis),
            "decided_by": d.decided_by.full_name if d.decided_by_id else "The portal",
            "shared": d.decision == d.Decision.SHARED,
            "decision": d.get_decision_display(),
            "reason": d.reason,
        }
        for d in disclosures_of(referral)
    ]


def partners_panel_context(request, referral: Referral, chronology: list | None = None) -> dict:
    """`chronology`: the referral's events when the page has read them already (the
    triage panel does): without a request among them there is none to look up."""
    user = request.user
    context = {}
    if can(user, Action.TRIAGE, referral):
        now = timezone.now()
        asked = chronology is None or any(
            e.kind == ReferralEvent.Kind.PARTNER_REQUEST for e in chronology
        )
        requests = (
            referral.information_requests.select_related(
                "organisation", "asked_by", "answered_by"
            ).order_by("sent_at", "pk")
            if asked
            else []
        )
        reference = referral.reference
        context.update(
            {
                "partners_for_triage": True,
                "partners_requests": [_request_row(i, now, reference) for i in requests],
                "partners_form_url": reverse("information_request_create", args=[reference]),
                "partners_refusal_url": reverse("sharing_refusal_create", args=[reference]),
            }
        )
    if can_see_sharing_log(user, referral):
        context["partners_log"] = _log_rows(referral)
        context["partners_log_shown"] = True
    return context


# --- The partners' own pages -------------------------------------------------------


def partner_queue_rows(requests, now) -> list[dict]:
    rows = []
    for info in requests.order_by("state", "due_at", "pk"):
        state = info.state_label(now)
        rows.append(
            {
                "pk": info.pk,
                "url": reverse("partner_request_detail", args=[info.pk]),
                "sent_at": info.sent_at,
                "due_at": info.due_at,
                "state": state,
                "tag_class": TAGS[state],
            }
        )
    return rows


def partner_request_page_context(info: InformationRequest, form) -> dict:
    """Only what the request shares: never the referral, never the referrer unless the
    worker chose to share them."""
    chosen = info.shared_fields
    shared = []
    if SharedField.NAME in chosen:
        shared.append(("Name", info.shared_name or "Not known"))
    if SharedField.DATE_OF_BIRTH in chosen:
        dob = info.shared_date_of_birth
        shared.append(("Date of birth", f"{dob:%-d %B %Y}" if dob else "Not known"))
    if SharedField.ADDRESS in chosen:
        shared.append(("Address", info.shared_address or "Not known"))
    if SharedField.REFERRER in chosen:
        shared.append(("Who made the referral", info.shared_referrer or "Not known"))
    now = timezone.now()
    state = info.state_label(now)
    return {
        "info": info,
        "question": info.question,
        "shared": shared,
        "state": state,
        "tag_class": TAGS[state],
        "form": form,
        "basis": dict(LawfulBasis.choices).get(info.lawful_basis, ""),
    }
