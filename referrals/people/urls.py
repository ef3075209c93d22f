from django.urls import path

from referrals.people import views

urlpatterns = [
    path("people/duplicates/", views.duplicates_queue, name="duplicates_queue"),
    path(
        "people/duplicates/<str:pk>/decide/",
        views.duplicate_decide,
        name="duplicate_decide",
    ),
    path(
        "people/decisions/<str:pk>/undo/",
        views.person_decision_undo,
        name="person_decision_undo",
    ),
    path("people/<str:pk>/", views.person_detail, name="person_detail"),
    path("reports/mace/", views.mace_report, name="mace_report"),
    path(
        "referrals/<str:reference>/network/",
        views.referral_network,
        name="referral_network",
    ),
]
