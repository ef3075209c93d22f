from django.urls import path

from referrals import views_triage

urlpatterns = [
    path("triage/", views_triage.triage_queue, name="triage_queue"),
]
