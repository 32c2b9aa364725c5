from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import QuerySet

from .models import AbuseReport, AuditLogEntry, ReportStatus

ACTIVE_STATUSES = (ReportStatus.OPEN, ReportStatus.IN_REVIEW)


def report_queue(*, status: str | None) -> QuerySet:
    """Reports for the moderators' queue, oldest first (first come, first served); by default
    the ones still to handle."""
    reports = AbuseReport.objects.select_related(
        "reporter", "work", "reported_user", "handled_by", "comment__user", "comment__work"
    )
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    else:
        reports = reports.filter(status__in=ACTIVE_STATUSES)
    return reports.order_by("created_at", "pk")


def audit_log(*, limit: int = 500) -> list[dict[str, Any]]:
    """Moderators' actions and admins' changes in Django's admin, newest first, as one list."""
    entries: list[dict[str, Any]] = [
        {"when": e.created_at, "who": e.actor_name, "action": e.action, "target": e.target,
         "detail": e.detail}
        for e in AuditLogEntry.objects.all()[:limit]
    ]  # fmt: skip
    for e in LogEntry.objects.select_related("user", "content_type")[:limit]:
        entries.append(
            {"when": e.action_time, "who": e.user.get_username(),
             "action": f"admin: {e.get_action_flag_display().lower()} "
                       f"{e.content_type.name if e.content_type else ''}".strip(),
             "target": e.object_repr, "detail": e.get_change_message()}
        )  # fmt: skip
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:limit]
