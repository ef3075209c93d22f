from django.urls import path

from referrals.notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/failed/", views.notification_failed_list, name="notification_failed_list"),
    path(
        "notifications/failed/<int:pk>/retry/",
        views.notification_failed_retry,
        name="notification_failed_retry",
    ),
]
