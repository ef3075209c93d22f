from django.urls import path

from indicators import views

urlpatterns = [
    path("catalogue/", views.catalogue_list, name="catalogue_list"),
    path("catalogue/new/", views.indicator_add, name="indicator_add"),
    path("catalogue/<slug:code>/", views.indicator_edit, name="indicator_edit"),
]
