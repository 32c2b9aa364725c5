from django.urls import path

from . import views

urlpatterns = [
    path("users/<str:username>/blocked", views.blocking_manage, name="blocking_manage"),
    path("users/<str:username>/block", views.user_block_action, name="user_block"),
]
