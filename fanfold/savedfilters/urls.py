from django.urls import path

from . import views

urlpatterns = [
    path("preferences/filters", views.saved_filters, name="saved_filters"),
    path("preferences/filters/save", views.saved_filter_create, name="saved_filter_create"),
    path(
        "preferences/filters/<int:saved_filter_id>/delete",
        views.saved_filter_delete,
        name="saved_filter_delete",
    ),
    path("preferences/exclusions/add", views.exclusion_create, name="exclusion_create"),
    path(
        "preferences/exclusions/<int:exclusion_id>/delete",
        views.exclusion_delete,
        name="exclusion_delete",
    ),
]
