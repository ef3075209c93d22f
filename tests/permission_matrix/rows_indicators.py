"""The indicator catalogue (indicators/urls.py): managers and administrators."""

from tests.permission_matrix.base import OK, Row, only

EDITORS = ("manager", "admin")

ROWS = [
    Row("catalogue_list", only(OK, *EDITORS)),
    Row("indicator_add", only(OK, *EDITORS)),
    Row("indicator_edit", only(OK, *EDITORS), kwargs=lambda w: {"code": w.indicator_code}),
]
