from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from referrals.api import views

# The schema and its documentation page are public: they describe the API, hold no data.
urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/v1/docs/",
        # The split view serves Swagger UI's start-up script as a file of its own, so the
        # page runs under the portal's CSP (script-src 'self', no inline script).
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="api/swagger_ui.html"
        ),
        name="api_docs",
    ),
    path("api/v1/checklist/", views.checklist, name="api_checklist"),
    path("api/v1/referrals/", views.referral_create, name="api_referral_create"),
    path("api/v1/referrals/<str:reference>/", views.referral_status, name="api_referral_status"),
    path(
        "api/v1/referrals/<str:reference>/addenda/",
        views.referral_addendum,
        name="api_referral_addendum",
    ),
    path(
        "api/v1/referrals/<str:reference>/attachments/",
        views.referral_attachment,
        name="api_referral_attachment",
    ),
]
