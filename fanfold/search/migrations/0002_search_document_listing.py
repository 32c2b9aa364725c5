"""PostgreSQL's search rows get a copy of the work's "Updated" date and visibility
(fanfold.search.models.SearchDocument says why); SQLite's FTS5 index is unchanged. Existing
rows are filled from works_work here; fanfold.search.index keeps them from then on."""

from django.db import migrations, models

ADD_COLUMNS = """
ALTER TABLE search_document
    ADD COLUMN revised_at timestamp with time zone,
    ADD COLUMN listed smallint NOT NULL DEFAULT 0
"""

# Listed: 0 nobody (hidden), 1 everyone, 2 logged-in users (restricted); only posted works are
# indexed.
FILL_COLUMNS = """
UPDATE search_document d
SET revised_at = w.revised_at,
    listed = CASE WHEN w.is_hidden THEN 0 WHEN w.is_restricted THEN 2 ELSE 1 END
FROM works_work w
WHERE w.id = d.work_id
"""


def add_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_COLUMNS)
        schema_editor.execute(FILL_COLUMNS)


def drop_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_document DROP COLUMN revised_at, DROP COLUMN listed"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("works", "0003_work_hidden"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "work",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="works.work",
                    ),
                ),
                ("revised_at", models.DateTimeField(null=True)),
                (
                    "listed",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "Not listed (a draft or hidden by a moderator)"),
                            (1, "Everyone"),
                            (2, "Logged-in users only (restricted)"),
                        ],
                        default=0,
                    ),
                ),
            ],
            options={"db_table": "search_document", "managed": False},
        ),
        migrations.RunPython(add_columns, drop_columns),
    ]
