"""The full-text index: one table, shaped per database (fanfold.search.index explains why).

SQLite gets an FTS5 virtual table keyed by the work's id (its rowid); PostgreSQL gets a plain
table with the same text columns plus a generated tsvector column and a GIN index on it. The
index holds posted works only; who may see which of them is decided at query time."""

from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, creators, fandoms, tags, summary, notes, body,
    tokenize = 'unicode61 remove_diacritics 0'
)
"""

# 'simple': no stemming and no stop words, so both backends find the same words (FTS5's
# unicode61 tokenizer does not stem either) and a phrase in quotes means exactly that phrase.
POSTGRES_CREATE = [
    """
    CREATE TABLE search_document (
        -- No foreign key: the table is unknown to Django, whose flush (TRUNCATE works_work)
        -- would refuse a reference. Deleting a work removes its row (work_changed), and
        -- searches join works, so a leftover row can never be shown.
        work_id integer PRIMARY KEY,
        title text NOT NULL DEFAULT '',
        creators text NOT NULL DEFAULT '',
        fandoms text NOT NULL DEFAULT '',
        tags text NOT NULL DEFAULT '',
        summary text NOT NULL DEFAULT '',
        notes text NOT NULL DEFAULT '',
        body text NOT NULL DEFAULT '',
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title), 'A')
            || setweight(to_tsvector('simple', creators), 'B')
            || setweight(to_tsvector('simple', fandoms || ' ' || tags), 'C')
            || setweight(to_tsvector('simple', summary || ' ' || notes || ' ' || body), 'D')
        ) STORED
    )
    """,
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Full-text search has no backend for {vendor}.")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0003_work_hidden"),
        ("tags", "0003_wrangling"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
