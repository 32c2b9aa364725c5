from django.urls import path

from . import views

urlpatterns = [
    path("inbox", views.inbox, name="inbox"),
    path("inbox/update", views.inbox_update, name="inbox_update"),
    path("users/<str:username>/preferences", views.user_preferences, name="user_preferences"),
]
