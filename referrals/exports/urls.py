from django.urls import path

from referrals.exports import views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path(
        "reports/<str:month>/summary.pdf",
        views.summary_download_pdf,
        name="summary_download_pdf",
    ),
    path(
        "reports/<str:month>/summary.csv",
        views.summary_download_csv,
        name="summary_download_csv",
    ),
    path(
        "referrals/<str:reference>/exports/",
        views.export_create,
        name="export_create",
    ),
    path(
        "referrals/<str:reference>/exports/<int:export_id>/download/",
        views.export_download,
        name="export_download",
    ),
]
