from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import admin_views, views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    # Second factor
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/set-up/", views.otp_setup, name="otp_setup"),
    path("two-factor/backup-codes/", views.otp_backup_codes, name="otp_backup_codes"),
    # Sessions
    path("security/", views.account_security, name="account_security"),
    path("email-preferences/", views.account_email_preferences, name="account_email_preferences"),
    path("session/keep-alive/", views.session_keep_alive, name="session_keep_alive"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    # Passwords (an invitation is a first password reset)
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "set-password/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "set-password/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/set_password_done.html"
        ),
        name="password_reset_complete",
    ),
    # Asking for an account
    path("request/", views.account_request, name="account_request"),
    path("request/sent/", views.account_request_sent, name="account_request_sent"),
    path(
        "request/confirm/<str:token>/", views.account_request_verify, name="account_request_verify"
    ),
    # Administration
    path("users/", admin_views.user_list, name="user_list"),
    path("users/invite/", admin_views.user_invite, name="user_invite"),
    path("users/<int:pk>/", admin_views.user_detail, name="user_detail"),
    path("users/<int:pk>/deactivate/", admin_views.user_deactivate, name="user_deactivate"),
    path(
        "users/<int:pk>/organisation-wide-view/",
        admin_views.user_organisation_wide_view,
        name="user_organisation_wide_view",
    ),
    path("users/<int:pk>/daily-digest/", admin_views.user_daily_digest, name="user_daily_digest"),
    path("requests/", admin_views.account_request_list, name="account_request_list"),
    path(
        "requests/<int:pk>/decide/",
        admin_views.account_request_decide,
        name="account_request_decide",
    ),
    path("domains/", admin_views.allowed_domain_list, name="allowed_domain_list"),
    path(
        "domains/<int:pk>/remove/", admin_views.allowed_domain_remove, name="allowed_domain_remove"
    ),
    path("audit/", admin_views.audit_search, name="audit_search"),
]
