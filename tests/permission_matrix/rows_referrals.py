"""Making referrals and reading them (referrals/intake/urls.py, referrals/detail/urls.py)."""

from tests.permission_matrix.base import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, only


def _draft(w):
    return {"public_id": w.draft.public_id}


def _submitted(w):
    return {"reference": w.referral.reference}


PRACTITIONERS = ("author", "colleague", "other_practitioner")

ROWS = [
    Row("referral_create", only(OK, *PRACTITIONERS)),
    Row("referral_mine", only(OK, *PRACTITIONERS)),
    # A draft is its author's alone: colleagues, other organisations and triage get 404.
    Row("referral_tasks", only(OK, "author"), kwargs=_draft),
    Row("referral_check", only(OK, "author"), kwargs=_draft),
    Row(
        "referral_section",
        only(OK, "author"),
        kwargs=lambda w: {"public_id": w.draft.public_id, "section": w.first_section},
    ),
    Row(
        "referral_discard",
        only(NOT_ALLOWED, *PRACTITIONERS, otherwise=NOT_FOUND),
        kwargs=_draft,
        note="POST only; role checked first",
    ),
    Row("referral_discard", only(REDIRECT, "author"), kwargs=_draft, method="post"),
    Row("referral_confirmation", only(OK, "author"), kwargs=_submitted),
    # A submitted referral: its author and triage; a colleague only with
    # organisation-wide view (not given here); managers and admins never.
    Row("referral_detail", only(OK, "author", "triager"), kwargs=_submitted),
]
