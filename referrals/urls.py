from django.urls import path

from accounts.urls import home_urlpatterns
from referrals import views

urlpatterns = [
    *home_urlpatterns,
    path("referrals/mine/", views.referral_mine, name="referral_mine"),
    path("triage/", views.triage_queue, name="triage_queue"),
    path("reports/", views.report_list, name="report_list"),
]
