"""PDF exports of a referral and the monthly summaries (referrals/exports/urls.py)."""

from tests.permission_matrix.base import NOT_FOUND, OK, REDIRECT, Row, expect, only


def _submitted(w):
    return {"reference": w.referral.reference}


ROWS = [
    Row("report_list", only(OK, "manager")),
    Row("summary_download_pdf", only(OK, "manager"), kwargs=lambda w: {"month": w.summary_ready()}),
    Row("summary_download_csv", only(OK, "manager"), kwargs=lambda w: {"month": w.summary_ready()}),
    # The page of what to withhold (issue 17): whoever may export the referral.
    Row("export_create", expect(NOT_FOUND, author=OK, triager=OK), kwargs=_submitted),
    # Whoever may read the referral may export what they may read.
    Row(
        "export_create",
        expect(NOT_FOUND, author=REDIRECT, triager=REDIRECT),
        kwargs=_submitted,
        method="post",
    ),
    # An export belongs to whoever asked for it (here the author): nobody else downloads it.
    Row(
        "export_download",
        expect(NOT_FOUND, author=OK),
        kwargs=lambda w: {"reference": w.referral.reference, "export_id": w.export_ready().pk},
    ),
]
