"""The PostgreSQL search index's rows, as Django sees them (fanfold.search.index owns the table).

Only PostgreSQL has this table (SQLite's index is an FTS5 virtual table with its own query
path): a search that lists works by date reads the matched rows' copy of each work's "Updated"
date and visibility and loads only the page's works, like a tag's filter rows
(works.selectors.listing_rows_for_tag). Without the copy, a search matching 30,000 works of a
million probed works_work for each of them (600 ms)."""

from django.db import models

from fanfold.tags.models import Listed


class SearchDocument(models.Model):
    work = models.OneToOneField(
        "works.Work",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    revised_at = models.DateTimeField(null=True)
    listed = models.PositiveSmallIntegerField(choices=Listed.choices, default=Listed.NOBODY)

    class Meta:
        managed = False  # created and kept by fanfold.search migrations and index
        db_table = "search_document"

    def __str__(self) -> str:
        return f"search entry of work {self.work_id}"
