from django.urls import path

from . import views

urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("login", views.login, name="login"),
    path("logout", views.logout, name="logout"),
    path("password_reset", views.password_reset, name="password_reset"),
    path("password_reset/sent", views.password_reset_sent, name="password_reset_done"),
    path(
        "password_reset/<uidb64>/<token>",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password_reset/complete", views.password_reset_complete, name="password_reset_complete"),
    path("invite_requests", views.invitation_request, name="invitation_request"),
    path("users/<str:username>", views.user_detail, name="user_detail"),
    path("users/<str:username>/invitations", views.user_invitations, name="user_invitations"),
    path("users/<str:username>/password", views.password_change, name="password_change"),
    path("users/<str:username>/delete", views.user_delete, name="user_delete"),
    path("users/<str:username>/pseuds", views.pseud_index, name="pseud_index"),
    path("users/<str:username>/pseuds/new", views.pseud_new, name="pseud_new"),
    path("users/<str:username>/pseuds/<str:pseud_name>", views.pseud_detail, name="pseud_detail"),
    path("users/<str:username>/pseuds/<str:pseud_name>/edit", views.pseud_edit, name="pseud_edit"),
    path(
        "users/<str:username>/pseuds/<str:pseud_name>/delete",
        views.pseud_delete,
        name="pseud_delete",
    ),
]
