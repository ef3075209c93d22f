"""The partner API (referrals/api/urls.py). The schema and its documentation page are
public; every endpoint wants a client token, so a portal session (any persona) gets a
401, never a page. Token holders are covered in tests/referrals/api/."""

from tests.permission_matrix.base import OK, Row, expect

UNAUTHORISED = 401

ROWS = [
    Row("api_schema", expect(OK, anonymous=OK)),
    Row("api_docs", expect(OK, anonymous=OK)),
    Row("api_checklist", expect(UNAUTHORISED, anonymous=UNAUTHORISED)),
    Row(
        "api_referral_create",
        expect(UNAUTHORISED, anonymous=UNAUTHORISED),
        method="post",
        data=lambda w: {"danger": {"immediate_danger": "no"}},
    ),
    Row(
        "api_referral_status",
        expect(UNAUTHORISED, anonymous=UNAUTHORISED),
        kwargs=lambda w: {"reference": w.referral.reference},
    ),
    Row(
        "api_referral_addendum",
        expect(UNAUTHORISED, anonymous=UNAUTHORISED),
        kwargs=lambda w: {"reference": w.referral.reference},
        method="post",
        data=lambda w: {"body": "Seen again by Zoë"},
    ),
    Row(
        "api_referral_attachment",
        expect(UNAUTHORISED, anonymous=UNAUTHORISED),
        kwargs=lambda w: {"reference": w.referral.reference},
        method="post",
    ),
]
