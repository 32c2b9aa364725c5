"""The originality app's part in fanfold.works.changes.work_changed."""

from functools import partial

from django.db import transaction


def originality_work_changed(work, change) -> None:
    """Check a posted work again after any change (and forget a deleted or unposted one), in a
    background task once the change is committed, so nobody waits for the check."""
    from .tasks import work_originality_check_task

    if change == "deleted" or work.is_posted:
        transaction.on_commit(partial(work_originality_check_task.enqueue, work.pk))
