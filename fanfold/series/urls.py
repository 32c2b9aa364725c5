from django.urls import path

from . import views

urlpatterns = [
    path("series/new", views.series_new, name="series_new"),
    path("series/<int:series_id>", views.series_detail, name="series_detail"),
    path("series/<int:series_id>/edit", views.series_edit, name="series_edit"),
    path("series/<int:series_id>/delete", views.series_delete, name="series_delete"),
    path("series/<int:series_id>/manage", views.series_manage, name="series_manage"),
    path(
        "series/<int:series_id>/works/<int:work_id>/remove",
        views.series_remove_work,
        name="series_remove_work",
    ),
    path("works/<int:work_id>/series", views.work_add_to_series, name="work_add_to_series"),
    path("users/<str:username>/series", views.user_series, name="user_series"),
]
