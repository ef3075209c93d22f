"""In-portal notifications (Triage) and failed messages (administrators)
(referrals/notifications/urls.py). As on every page, the role is checked first: a
wrong role gets 404 whatever the method, the right role 405 for a GET of a POST-only URL."""

from tests.permission_matrix.base import NOT_ALLOWED, OK, REDIRECT, Row, only

ROWS = [
    Row("notification_list", only(OK, "triager")),
    Row(
        "notification_open",
        only(NOT_ALLOWED, "triager"),
        kwargs=lambda w: {"pk": w.notification_for("triager").pk},
        note="POST only",
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
        only(NOT_ALLOWED, "triager"),
        note="POST only",
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
        only(NOT_ALLOWED, "admin"),
        kwargs=lambda w: {"pk": w.failed_notification().pk},
        note="POST only",
    ),
    Row(
        "notification_failed_retry",
        only(REDIRECT, "admin"),
        kwargs=lambda w: {"pk": w.failed_notification().pk},
        method="post",
    ),
]
