from django.urls import path

from . import views

urlpatterns = [
    path("subscriptions", views.subscription_create, name="subscription_create"),
    path(
        "subscriptions/<int:subscription_id>/delete",
        views.subscription_delete,
        name="subscription_delete",
    ),
    path(
        "users/<str:username>/subscriptions",
        views.user_subscriptions,
        name="user_subscriptions",
    ),
]
