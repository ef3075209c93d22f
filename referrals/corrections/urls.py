from django.urls import path

from referrals.corrections import views

# Included before referrals.intake.urls, so these fixed paths win over /referrals/<reference>/.
urlpatterns = [
    path(
        "referrals/<str:reference>/correct/contact/",
        views.referral_correct_contact,
        name="referral_correct_contact",
    ),
    path(
        "referrals/<str:reference>/correct/decision/",
        views.referral_correct_decision,
        name="referral_correct_decision",
    ),
]
