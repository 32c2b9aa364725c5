from django.urls import path

from . import views

urlpatterns = [
    path("users/<str:username>/stats", views.user_stats, name="user_stats"),
]
