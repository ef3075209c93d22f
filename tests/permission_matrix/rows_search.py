"""The search (referrals/search/urls.py): triage and managers; everyone else 404."""

from tests.permission_matrix.base import OK, REDIRECT, Row, only

ROWS = [
    Row("referral_search", only(OK, "triager", "manager")),
    Row("referral_search", only(OK, "triager", "manager"), query="q=test", note="a search"),
    # A manager sees no individual referral: the hop answers 404 (break-glass is not
    # built yet); triage are sent on to the referral page.
    Row(
        "search_hit_open",
        only(REDIRECT, "triager"),
        kwargs=lambda w: {"reference": w.referral.reference},
    ),
]
ROWS += [
    # Break-glass: managers only, on a submitted referral they cannot already see.
    Row(
        "search_break_glass",
        only(OK, "manager"),
        kwargs=lambda w: {"public_id": w.referral.public_id},
    ),
    Row(
        "search_break_glass",
        only(OK, "manager"),
        kwargs=lambda w: {"public_id": w.referral.public_id},
        method="post",
        data=lambda w: {"reason": ""},
        note="without a reason: the form again, with its message",
    ),
]
ROWS += [
    # h20c: a hit opened at its person record; triage only (a manager sees no hit).
    Row(
        "search_hit_open_person",
        only(REDIRECT, "triager"),
        kwargs=lambda w: {"reference": w.referral.reference},
    ),
]
