from django.urls import path

from referrals.returns import views

urlpatterns = [
    path("reports/returns/", views.return_check, name="return_check"),
    path(
        "reports/returns/download.<str:file_format>",
        views.return_download,
        name="return_download",
    ),
]
