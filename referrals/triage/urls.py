from django.urls import path

from referrals.triage import views

# Included before referrals.intake.urls, so these fixed paths win over /referrals/<reference>/.
urlpatterns = [
    path("triage/", views.triage_queue, name="triage_queue"),
    path("triage/mine/", views.triage_mine, name="triage_mine"),
    path("referrals/<str:reference>/claim/", views.referral_claim, name="referral_claim"),
    path("referrals/<str:reference>/assign/", views.referral_assign, name="referral_assign"),
    path("referrals/<str:reference>/decide/", views.referral_decide, name="referral_decide"),
    path("referrals/<str:reference>/reopen/", views.referral_reopen, name="referral_reopen"),
    path(
        "referrals/<str:reference>/contact-record/",
        views.referral_contact_record,
        name="referral_contact_record",
    ),
    path("referrals/<str:reference>/close/", views.referral_close, name="referral_close"),
    path("referrals/<str:reference>/notes/", views.referral_note, name="referral_note"),
    path("referrals/<str:reference>/message/", views.referral_message, name="referral_message"),
    path("referrals/<str:reference>/rate/", views.referral_rate, name="referral_rate"),
]
