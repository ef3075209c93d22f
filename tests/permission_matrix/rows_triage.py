"""The triage queue and the decisions on a referral (referrals/triage/urls.py)."""

from tests.permission_matrix.base import NOT_ALLOWED, OK, REDIRECT, Row, only


def _submitted(w):
    return {"reference": w.referral.reference}


ROWS = [
    Row("triage_queue", only(OK, "triager")),
    Row("triage_mine", only(OK, "triager")),
    Row("referral_claim", only(NOT_ALLOWED, "triager"), kwargs=_submitted, note="POST only"),
    Row("referral_claim", only(REDIRECT, "triager"), kwargs=_submitted, method="post"),
    Row("referral_assign", only(NOT_ALLOWED, "triager"), kwargs=_submitted, note="POST only"),
    Row("referral_close", only(NOT_ALLOWED, "triager"), kwargs=_submitted, note="POST only"),
    Row("referral_decide", only(OK, "triager"), kwargs=_submitted),
    Row("referral_reopen", only(OK, "triager"), kwargs=_submitted),
    Row("referral_contact_record", only(OK, "triager"), kwargs=_submitted),
    Row("referral_note", only(OK, "triager"), kwargs=_submitted),
    Row("referral_message", only(OK, "triager"), kwargs=_submitted),
    Row("referral_rate", only(OK, "triager"), kwargs=_submitted),
]
