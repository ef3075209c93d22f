from django.urls import path

from referrals.addenda import views

# Included before referrals.intake.urls and referrals.detail.urls (config/urls.py).
urlpatterns = [
    path(
        "referrals/<str:reference>/questions/new/",
        views.referral_question_ask,
        name="referral_question_ask",
    ),
    path(
        "referrals/<str:reference>/questions/<int:pk>/withdraw/",
        views.referral_question_withdraw,
        name="referral_question_withdraw",
    ),
    path(
        "referrals/<str:reference>/questions/<int:pk>/answer/",
        views.referral_question_answer,
        name="referral_question_answer",
    ),
    path(
        "referrals/<str:reference>/information/",
        views.referral_add_information,
        name="referral_add_information",
    ),
    path("referrals/<str:reference>/reply/", views.referral_reply, name="referral_reply"),
]
