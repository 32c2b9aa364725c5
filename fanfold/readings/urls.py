from django.urls import path

from . import views

urlpatterns = [
    path("users/<str:username>/readings", views.user_history, name="user_history"),
    path(
        "users/<str:username>/readings/later",
        views.user_marked_for_later,
        name="user_marked_for_later",
    ),
    path("users/<str:username>/readings/clear", views.history_clear, name="history_clear"),
    path("users/<str:username>/readings/settings", views.history_settings, name="history_settings"),
    path("works/<int:work_id>/mark_for_later", views.mark_for_later, name="mark_for_later"),
    path("works/<int:work_id>/mark_as_read", views.unmark_for_later, name="unmark_for_later"),
]
