from django.urls import path

from referrals.subject_access import views

urlpatterns = [
    path("subject-access/", views.subject_access_list, name="subject_access_list"),
    path("subject-access/new/", views.subject_access_create, name="subject_access_create"),
    path("subject-access/<str:pk>/", views.subject_access_detail, name="subject_access_detail"),
    path(
        "subject-access/<str:pk>/extend/",
        views.subject_access_extend,
        name="subject_access_extend",
    ),
    path(
        "subject-access/<str:pk>/review/",
        views.subject_access_review,
        name="subject_access_review",
    ),
    path(
        "subject-access/<str:pk>/release/",
        views.subject_access_release,
        name="subject_access_release",
    ),
    path(
        "subject-access/<str:pk>/bundles/<str:bundle_id>/download/",
        views.subject_access_download,
        name="subject_access_download",
    ),
]
