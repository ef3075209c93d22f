"""The statutory returns (referrals/returns/urls.py): managers only."""

from tests.permission_matrix.base import OK, Row, only

PERIOD = "kind=list-1&start_0=1&start_1=1&start_2=2026&end_0=31&end_1=3&end_2=2026"

ROWS = [
    Row("return_check", only(OK, "manager")),
    Row("return_check", only(OK, "manager"), query=PERIOD, note="with a period: the check"),
    Row(
        "return_download",
        only(OK, "manager"),
        kwargs=lambda w: {"file_format": "csv"},
        query=PERIOD,
    ),
]
