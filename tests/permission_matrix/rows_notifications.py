"""In-portal notifications (Triage) and failed messages (administrators)
(referrals/urls_notifications.py)."""

from tests.permission_matrix.base import NOT_ALLOWED, OK, REDIRECT, Row, expect, only

ROWS = [
    Row("notification_list", only(OK, "triager")),
    Row(
        "notification_open",
        expect(NOT_ALLOWED, anonymous=NOT_ALLOWED),
        kwargs=lambda w: {"pk": w.notification_for("triager").pk},
        note="POST only (checked before sign-in)",
    ),
    # Opening marks it read and goes to the referral: only its recipient can.
    Row(
        "notification_open",
        only(REDIRECT, "triager"),
        kwargs=lambda w: {"pk": w.notification_for("triager").pk},
        method="post",
    ),
    Row(
        "notification_preferences",
        expect(NOT_ALLOWED, anonymous=NOT_ALLOWED),
        note="POST only (checked before sign-in)",
    ),
    Row(
        "notification_preferences",
        only(REDIRECT, "triager"),
        method="post",
        data=lambda w: {"notify_new_referrals": "on"},
    ),
    Row("notification_failed_list", only(OK, "admin")),
    Row(
        "notification_failed_retry",
        expect(NOT_ALLOWED, anonymous=NOT_ALLOWED),
        kwargs=lambda w: {"pk": w.failed_notification().pk},
        note="POST only (checked before sign-in)",
    ),
    Row(
        "notification_failed_retry",
        only(REDIRECT, "admin"),
        kwargs=lambda w: {"pk": w.failed_notification().pk},
        method="post",
    ),
]
