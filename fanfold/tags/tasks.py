"""Background work for tags: filter rebuilds after large wrangling changes, and work counts."""

from django.tasks import task

from .counts import tag_counts_refresh
from .filters import filters_rebuild_for_tags


@task
def filters_rebuild_task(tag_ids: list[int]) -> int:
    """Rebuild the filter sets of every work affected by a wrangling change to these tags."""
    return filters_rebuild_for_tags(tag_ids)


@task
def tag_counts_refresh_task(tag_ids: list[int]) -> None:
    tag_counts_refresh(tag_ids)
