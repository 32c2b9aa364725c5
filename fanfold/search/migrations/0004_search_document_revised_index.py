"""PostgreSQL's search rows get an index on the work's "Updated" date, so a search listed by
date whose count is already known can read its rows newest first and stop after a page
(search.pagination.CountedWithPagePaginator says when). SQLite's search lists from works."""

from django.db import migrations


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_document_revised "
            "ON search_document (revised_at, work_id)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_revised")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search_document_fields")]

    operations = [migrations.RunPython(add_index, drop_index)]
