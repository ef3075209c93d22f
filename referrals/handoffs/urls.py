from django.urls import path

from referrals.handoffs import views

# Included before referrals.intake.urls, so these fixed paths win over /referrals/<reference>/.
urlpatterns = [
    path("receiving-teams/", views.receiving_team_list, name="receiving_team_list"),
    path("receiving-teams/add/", views.receiving_team_add, name="receiving_team_add"),
    path("receiving-teams/<int:pk>/", views.receiving_team_edit, name="receiving_team_edit"),
    path(
        "referrals/<str:reference>/handoffs/<int:pk>/route/",
        views.referral_handoff_route,
        name="referral_handoff_route",
    ),
    path("handoffs/", views.handoff_list, name="handoff_list"),
    path("handoffs/<int:pk>/acknowledge/", views.handoff_acknowledge, name="handoff_acknowledge"),
    path(
        "handoffs/acknowledge/<str:token>/",
        views.handoff_acknowledge_link,
        name="handoff_acknowledge_link",
    ),
]
