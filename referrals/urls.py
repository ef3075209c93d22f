from django.urls import path

from referrals import views

urlpatterns = [
    path("referrals/mine/", views.referral_mine, name="referral_mine"),
]
