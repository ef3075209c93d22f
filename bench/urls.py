"""The portal's URLs plus the baselines, for bench.settings only."""

from django.urls import path

from bench import views
from config.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("bench/layout/", views.layout, name="bench_layout"),
    path("bench/baseline/queue/", views.baseline_queue, name="bench_baseline_queue"),
    path("bench/baseline/insert/", views.baseline_insert, name="bench_baseline_insert"),
    path(
        "bench/baseline/referral/<str:reference>/",
        views.baseline_referral,
        name="bench_baseline_referral",
    ),
    *portal_urlpatterns,
]
