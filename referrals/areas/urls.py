from django.urls import path

from referrals.areas import views

# Included before referrals.intake.urls, so these fixed paths win over /referrals/<reference>/.
urlpatterns = [
    path("councils/", views.council_list, name="council_list"),
    path("councils/add/", views.council_add, name="council_add"),
    path("councils/<int:pk>/", views.council_edit, name="council_edit"),
    path(
        "referrals/<str:reference>/home-council/",
        views.referral_home_council,
        name="referral_home_council",
    ),
]
