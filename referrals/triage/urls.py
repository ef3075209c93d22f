from django.urls import path

from referrals.triage import views as views_triage

# Included before referrals.intake.urls, so these fixed paths win over /referrals/<reference>/.
urlpatterns = [
    path("triage/", views_triage.triage_queue, name="triage_queue"),
    path("triage/mine/", views_triage.triage_mine, name="triage_mine"),
    path("referrals/<str:reference>/claim/", views_triage.referral_claim, name="referral_claim"),
    path("referrals/<str:reference>/assign/", views_triage.referral_assign, name="referral_assign"),
    path("referrals/<str:reference>/decide/", views_triage.referral_decide, name="referral_decide"),
    path("referrals/<str:reference>/reopen/", views_triage.referral_reopen, name="referral_reopen"),
    path("referrals/<str:reference>/close/", views_triage.referral_close, name="referral_close"),
    path("referrals/<str:reference>/notes/", views_triage.referral_note, name="referral_note"),
    path(
        "referrals/<str:reference>/message/", views_triage.referral_message, name="referral_message"
    ),
]
