"""Subject access requests (issue 21, referrals/subject_access/urls.py): administrators
only; everyone else, triage and managers included, gets 404."""

import datetime as dt

from tests.permission_matrix.base import NOT_ALLOWED, OK, REDIRECT, Row, only


def _sar(w):
    from referrals.subject_access import services

    return services.subject_access_request_record(
        user=w.admin,
        person_record=w.referral.person.record,
        requester="subject",
        requester_name="Matrix Requester",
        received_on=dt.date(2026, 1, 31),
    )


def _pk(w):
    return {"pk": _sar(w).pk}


def _released(w):
    """A request whose bundle is ready and matches the review (so it may be released)."""
    from django.core.files.base import ContentFile

    from referrals.models.exports import ExportState

    sar = _sar(w)
    row = sar.bundles.get()
    row.file.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
    row.state = ExportState.READY
    row.save()
    return sar, row


def _ready_pk(w):
    return {"pk": _released(w)[0].pk}


def _download(w):
    sar, row = _released(w)
    return {"pk": sar.pk, "bundle_id": row.pk}


ROWS = [
    Row("subject_access_list", only(OK, "admin")),
    Row("subject_access_list", only(NOT_ALLOWED, "admin"), method="post", note="GET only"),
    Row("subject_access_create", only(OK, "admin")),
    Row(
        "subject_access_create",
        only(REDIRECT, "admin"),
        method="post",
        data=lambda w: {
            "reference": w.referral.reference,
            "requester": "subject",
            "requester_name": "Matrix Requester",
            "received_on_0": "31",
            "received_on_1": "1",
            "received_on_2": "2026",
        },
    ),
    Row("subject_access_detail", only(OK, "admin"), kwargs=_pk),
    Row("subject_access_extend", only(OK, "admin"), kwargs=_pk),
    Row(
        "subject_access_extend",
        only(REDIRECT, "admin"),
        kwargs=_pk,
        method="post",
        data=lambda w: {"reason": "Many records."},
    ),
    Row("subject_access_review", only(OK, "admin"), kwargs=_pk),
    Row("subject_access_review", only(REDIRECT, "admin"), kwargs=_pk, method="post"),
    Row("subject_access_release", only(NOT_ALLOWED, "admin"), kwargs=_pk, note="POST only"),
    Row(
        "subject_access_release",
        only(REDIRECT, "admin"),
        kwargs=_ready_pk,
        method="post",
        data=lambda w: {"lawful_basis": "subject_access", "reviewed": "on"},
    ),
    Row("subject_access_download", only(OK, "admin"), kwargs=_download),
]
