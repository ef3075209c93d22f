"""The returns' actions: build one for a period, and audit its download."""

import datetime as dt

from accounts.models import User
from referrals.audit import audit_record
from referrals.returns.lists import BUILDERS, Return


def return_build(*, kind: str, start: dt.date, end: dt.date) -> Return:
    return BUILDERS[kind](start, end)


def return_downloaded(*, result: Return, user: User, file_format: str, request=None) -> None:
    """Audit a download: a return holds children's dates of birth and ethnicity."""
    audit_record(
        action="return.downloaded",
        actor=user,
        request=request,
        detail={
            "return": result.kind,
            "from": result.start.isoformat(),
            "to": result.end.isoformat(),
            "format": file_format,
            "rows": len(result.rows),
            "violations": len(result.violations),
        },
    )
