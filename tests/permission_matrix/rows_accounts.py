"""Sign-in, second factor, sessions, passwords, account requests and administration."""

from tests.permission_matrix.base import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Row,
    expect,
    only,
)

# Signed-in users are sent on from the sign-in page (to their landing page).
ROWS = [
    Row("home", expect(REDIRECT)),
    Row("healthz", expect(OK, anonymous=OK)),
    Row("accessibility_statement", expect(OK, anonymous=OK), note="public, PSBAR 2018"),
    Row("login", expect(REDIRECT, anonymous=OK)),
    Row("logout", expect(NOT_ALLOWED, anonymous=NOT_ALLOWED), note="POST only"),
    Row("logout", expect(REDIRECT, anonymous=REDIRECT), method="post"),
    # Second factor: personas are already verified (as after the step), so the
    # verify page answers; practitioners have no device and are sent to set one up.
    Row("otp_verify", expect(OK, author=REDIRECT, colleague=REDIRECT, other_practitioner=REDIRECT)),
    Row("otp_setup", expect(OK)),
    Row("otp_backup_codes", expect(OK)),
    Row("account_security", expect(OK)),
    Row(
        "account_email_preferences",
        only(REDIRECT, "triager"),
        method="post",
        data=lambda w: {"daily_digest": "on"},
        note="Triage users choose the daily digest",
    ),
    Row("session_keep_alive", expect(NOT_ALLOWED), note="POST only"),
    Row("session_keep_alive", expect(REDIRECT), method="post"),
    Row("sign_out_everywhere", expect(OK)),
    Row("password_reset", expect(OK, anonymous=OK)),
    Row("password_reset_done", expect(OK, anonymous=OK)),
    Row(
        "password_reset_confirm",
        expect(OK, anonymous=OK),
        kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        note="an invalid link says so",
    ),
    Row("password_reset_complete", expect(OK, anonymous=OK)),
    Row("account_request", expect(OK, anonymous=OK)),
    Row("account_request_sent", expect(OK, anonymous=OK)),
    Row(
        "account_request_verify",
        expect(NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=lambda w: {"token": "not-a-token"},
    ),
    Row("user_list", only(OK, "admin")),
    Row("user_invite", only(OK, "admin")),
    Row("user_detail", only(OK, "admin"), kwargs=lambda w: {"pk": w.author.pk}),
    Row(
        "user_deactivate",
        only(REDIRECT, "admin"),
        kwargs=lambda w: {"pk": w.colleague.pk},
        method="post",
    ),
    Row(
        "user_organisation_wide_view",
        only(REDIRECT, "admin"),
        kwargs=lambda w: {"pk": w.colleague.pk},
        method="post",
        data=lambda w: {"granted": "yes"},
    ),
    Row(
        "user_daily_digest",
        only(REDIRECT, "admin"),
        kwargs=lambda w: {"pk": w.triager.pk},
        method="post",
        data=lambda w: {"daily_digest": "on"},
    ),
    Row("account_request_list", only(OK, "admin")),
    Row(
        "account_request_decide",
        only(OK, "admin"),
        kwargs=lambda w: {"pk": w.account_request().pk},
        note="the request with its approval form",
    ),
    Row(
        "account_request_decide",
        only(REDIRECT, "admin"),
        kwargs=lambda w: {"pk": w.account_request().pk},
        method="post",
        data=lambda w: {"decision": "decline"},
    ),
    Row("allowed_domain_list", only(OK, "admin")),
    Row(
        "allowed_domain_remove",
        only(REDIRECT, "admin"),
        kwargs=lambda w: {"pk": w.allowed_domain().pk},
        method="post",
    ),
    Row("audit_search", only(OK, "admin")),
]

# The Django admin: staff only (here the admin persona); everyone else is sent to the
# admin's sign-in, which sends them to the portal's (and answers 404 once signed in).
ROWS += [
    Row("admin:", expect(REDIRECT, admin=OK), prefix=True, note="checked on admin:index"),
]
