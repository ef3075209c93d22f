from django.urls import path

from referrals import views_exports

urlpatterns = [
    path("reports/", views_exports.report_list, name="report_list"),
]
