from django.urls import path

from referrals.retention import views

urlpatterns = [
    path("retention/", views.retention_due_list, name="retention_due_list"),
    path("retention/dry-run/", views.retention_dry_run, name="retention_dry_run"),
    path("retention/batches/<int:pk>/", views.retention_batch, name="retention_batch"),
    path(
        "retention/batches/<int:pk>/approve/",
        views.retention_batch_approve,
        name="retention_batch_approve",
    ),
    path("retention/holds/", views.retention_holds, name="retention_holds"),
    path("retention/holds/<int:pk>/lift/", views.retention_hold_lift, name="retention_hold_lift"),
    path("retention/register/", views.retention_register, name="retention_register"),
    path("retention/classes/", views.retention_classes, name="retention_classes"),
]
