from django.urls import path

from . import views

urlpatterns = [
    path("works/<int:work_id>/comments", views.comment_create, name="comment_create"),
    path("works/<int:work_id>/comment_settings", views.comment_settings, name="comment_settings"),
    path("comments/<int:comment_id>", views.comment_detail, name="comment_detail"),
    path("comments/<int:comment_id>/permalink", views.comment_permalink, name="comment_permalink"),
    path("comments/<int:comment_id>/edit", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/freeze", views.comment_freeze, name="comment_freeze"),
    path("comments/<int:comment_id>/approve", views.comment_approve, name="comment_approve"),
    path("comments/held", views.comments_held, name="comments_held"),
    path(
        "admin_posts/<int:post_id>/comments",
        views.news_comment_create,
        name="news_comment_create",
    ),
]
