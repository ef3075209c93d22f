from django.urls import path

from referrals.partners import views

# Included before referrals.intake.urls and referrals.detail.urls (config/urls.py).
urlpatterns = [
    path(
        "referrals/<str:reference>/partner-requests/new/",
        views.information_request_create,
        name="information_request_create",
    ),
    path(
        "referrals/<str:reference>/partner-requests/<int:pk>/withdraw/",
        views.information_request_withdraw,
        name="information_request_withdraw",
    ),
    path(
        "referrals/<str:reference>/not-shared/new/",
        views.sharing_refusal_create,
        name="sharing_refusal_create",
    ),
    path("partners/", views.partner_queue, name="partner_queue"),
    path(
        "partners/requests/<int:pk>/", views.partner_request_detail, name="partner_request_detail"
    ),
    path("sharing-log/", views.sharing_log_search, name="sharing_log_search"),
]
