from django.urls import path

from referrals.intake import views

urlpatterns = [
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/mine/", views.referral_mine, name="referral_mine"),
    path("referrals/drafts/<uuid:public_id>/", views.referral_tasks, name="referral_tasks"),
    path("referrals/drafts/<uuid:public_id>/check/", views.referral_check, name="referral_check"),
    path(
        "referrals/drafts/<uuid:public_id>/delete/", views.referral_discard, name="referral_discard"
    ),
    path(
        "referrals/drafts/<uuid:public_id>/<slug:section>/",
        views.referral_section,
        name="referral_section",
    ),
    path(
        "referrals/<str:reference>/confirmation/",
        views.referral_confirmation,
        name="referral_confirmation",
    ),
]
