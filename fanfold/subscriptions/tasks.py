from django.tasks import task


@task
def notify_subscribers(
    work_id: int, event: str, chapter_id: int | None = None, series_ids: list[int] | None = None
) -> int:
    """E-mail and inbox entries for a new work, chapter or series part (see services)."""
    from .services import subscriptions_notify

    return subscriptions_notify(
        work_id=work_id, event=event, chapter_id=chapter_id, series_ids=series_ids
    )
