from django.urls import path

from . import views

urlpatterns = [
    path("originality/reports", views.repost_queue, name="originality_queue"),
    path("originality/reports/<int:report_id>", views.repost_report, name="originality_report"),
    path(
        "originality/reports/<int:report_id>/dismiss",
        views.repost_report_dismiss,
        name="originality_report_dismiss",
    ),
    path(
        "originality/reports/<int:report_id>/hide",
        views.repost_report_hide,
        name="originality_report_hide",
    ),
    path("originality/library", views.reference_library, name="originality_library"),
    path(
        "originality/library/<int:source_id>/delete",
        views.reference_source_delete,
        name="originality_source_delete",
    ),
    path("works/<int:work_id>/sources", views.work_sources, name="originality_work_sources"),
    path(
        "works/<int:work_id>/sources/<int:match_id>/credit",
        views.source_match_credit,
        name="originality_source_credit",
    ),
]
