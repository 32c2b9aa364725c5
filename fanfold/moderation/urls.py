from django.urls import path

from . import views

urlpatterns = [
    path("abuse/report", views.report_new, name="report_new"),
    path("moderation", views.queue, name="moderation_queue"),
    path("moderation/reports/<int:report_id>", views.report_detail, name="moderation_report"),
    path("moderation/users/<str:username>", views.user_moderation, name="moderation_user"),
    path("moderation/spam", views.spam, name="moderation_spam"),
    path("moderation/audit", views.audit, name="moderation_audit"),
    path(
        "moderation/comments/<int:comment_id>/hide",
        views.comment_visibility,
        {"action": "hide"},
        name="comment_hide",
    ),
    path(
        "moderation/comments/<int:comment_id>/unhide",
        views.comment_visibility,
        {"action": "unhide"},
        name="comment_unhide",
    ),
]
