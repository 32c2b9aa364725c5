from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def drop_rows_of_missing_works(sender, using="default", **kwargs) -> None:
    """PostgreSQL: remove search index rows whose work is gone. The works services remove a
    deleted work's row, but `search_document` is not a table Django manages: a flush (every
    transactional test ends with one) empties works_work and leaves the rows, and a search
    listed by date reads these rows without works (fanfold.search.models), so leftovers would
    be counted. Django sends post_migrate after every migrate and every such flush."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('search_document')")
        if cursor.fetchone()[0] is None:
            return
        cursor.execute(
            "DELETE FROM search_document d"
            " WHERE NOT EXISTS (SELECT 1 FROM works_work w WHERE w.id = d.work_id)"
        )


class SearchConfig(AppConfig):
    name = "fanfold.search"
    label = "search"

    def ready(self) -> None:
        post_migrate.connect(drop_rows_of_missing_works, sender=self)
