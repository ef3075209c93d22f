from django.urls import path

from referrals.search import views

urlpatterns = [
    path("search/", views.referral_search, name="referral_search"),
    path("search/open/<str:reference>/", views.search_hit_open, name="search_hit_open"),
    path(
        "search/open/<str:reference>/person/",
        views.search_hit_open_person,
        name="search_hit_open_person",
    ),
    path(
        "search/break-glass/<uuid:public_id>/",
        views.search_break_glass,
        name="search_break_glass",
    ),
]
