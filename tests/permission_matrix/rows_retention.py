"""Retention (referrals/retention/urls.py, issue 21): the due list, dry runs and
approvals, legal holds, the destruction register and the classes. Administrators only;
404 for every other signed-in persona."""

from tests.permission_matrix.base import NOT_ALLOWED, OK, REDIRECT, Row, only


def _due(w):
    from referrals.models import RetentionClass, RetentionDue
    from referrals.retention.services import retention_classes_ensure

    retention_classes_ensure()
    RetentionDue.objects.get_or_create(
        referral=w.referral,
        defaults={
            "retention_class": RetentionClass.objects.get(code="contact-nfa"),
            "due_on": "2020-01-01",
        },
    )
    return {"references": [w.referral.reference]}


def _batch(w):
    from referrals.models import DestructionBatch

    return {"pk": DestructionBatch.objects.create(referral_ids=[], created_by=w.admin).pk}


def _hold(w):
    from referrals.models import LegalHold

    hold = LegalHold.objects.create(referral=w.referral, reason="Matrix inquiry", placed_by=w.admin)
    return {"pk": hold.pk}


ROWS = [
    Row("retention_due_list", only(OK, "admin")),
    Row("retention_due_list", only(NOT_ALLOWED, "admin"), method="post", note="GET only"),
    Row("retention_dry_run", only(REDIRECT, "admin"), method="post", data=_due),
    Row("retention_dry_run", only(NOT_ALLOWED, "admin"), note="POST only"),
    Row("retention_batch", only(OK, "admin"), kwargs=_batch),
    Row("retention_batch_approve", only(REDIRECT, "admin"), kwargs=_batch, method="post"),
    Row("retention_holds", only(OK, "admin")),
    Row(
        "retention_holds",
        only(REDIRECT, "admin"),
        method="post",
        data=lambda w: {"references": w.referral.reference, "reason": "Matrix inquiry"},
    ),
    Row("retention_hold_lift", only(OK, "admin"), kwargs=_hold),
    Row(
        "retention_hold_lift",
        only(REDIRECT, "admin"),
        kwargs=_hold,
        method="post",
        data=lambda w: {"reason": "Matrix: lifted"},
    ),
    Row("retention_register", only(OK, "admin")),
    Row("retention_classes", only(OK, "admin")),
]
