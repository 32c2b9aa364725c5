"""Background work: checking a work after it changes (enqueued on commit by changes.py)."""

from django.tasks import task

from . import services


@task
def work_originality_check_task(work_id: int) -> int:
    """Index and check one work; returns how many repost reports involve it."""
    return len(services.work_originality_check(work_id=work_id))
