from django.contrib import admin
from django.urls import include, path

from accounts.views import home
from config.views import accessibility_statement, healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accessibility/", accessibility_statement, name="accessibility_statement"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("referrals.api.urls")),
    path("", include("referrals.triage.urls")),
    path("", include("referrals.addenda.urls")),
    path("", include("referrals.partners.urls")),
    path("", include("referrals.attachments.urls")),
    path("", include("referrals.exports.urls")),
    path("", include("referrals.returns.urls")),
    path("", include("referrals.notifications.urls")),
    path("", include("referrals.areas.urls")),
    path("", include("referrals.corrections.urls")),
    path("", include("referrals.handoffs.urls")),
    path("", include("referrals.search.urls")),
    path("", include("indicators.urls")),
    path("", include("referrals.people.urls")),
    path("", include("referrals.retention.urls")),
    path("", include("referrals.subject_access.urls")),
    # Last: /referrals/<reference>/ must not shadow the fixed paths above.
    path("", include("referrals.intake.urls")),
    path("", include("referrals.detail.urls")),
]
