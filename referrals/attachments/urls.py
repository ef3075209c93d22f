from django.urls import path

from referrals.attachments import views

# By the referral's public id: drafts (no reference yet) and submitted referrals alike.
urlpatterns = [
    path(
        "referrals/files/<uuid:public_id>/",
        views.referral_attachments,
        name="referral_attachments",
    ),
    path(
        "referrals/files/<uuid:public_id>/<int:pk>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
]
