from django.urls import path

from referrals.exports import views as views_exports

urlpatterns = [
    path("reports/", views_exports.report_list, name="report_list"),
    path(
        "reports/<str:month>/summary.pdf",
        views_exports.summary_download_pdf,
        name="summary_download_pdf",
    ),
    path(
        "reports/<str:month>/summary.csv",
        views_exports.summary_download_csv,
        name="summary_download_csv",
    ),
    path(
        "referrals/<str:reference>/exports/",
        views_exports.export_create,
        name="export_create",
    ),
    path(
        "referrals/<str:reference>/exports/<int:export_id>/download/",
        views_exports.export_download,
        name="export_download",
    ),
]
