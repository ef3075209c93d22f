from django.urls import path

from referrals.detail import views

# Included last (config/urls.py): /referrals/<reference>/ must not shadow fixed paths.
urlpatterns = [
    path("referrals/<str:reference>/", views.referral_detail, name="referral_detail"),
]
