"""PostgreSQL's search rows get a tsvector of the document's adjacent word pairs that hold a
common word ('the harbour'), with a GIN index, for phrases of common words (the technique of
Lucene's CommonGramsFilter; fanfold.search.query.COMMON_WORDS says why and which words).
SQLite's FTS5 index keeps word positions and needs nothing.

Adding a stored generated column rewrites the table and computes the pairs of every work:
docs/finding-works.md gives how long that takes on a large archive."""

from django.db import migrations

from fanfold.search.query import COMMON_WORDS, PAIRS_COLUMN

# The pairs come from the document tsvector itself, so they have the very positions the
# phrase operator (<->) reads: every document a phrase matches holds all the phrase's pairs.
# That stays true where PostgreSQL clamps positions above 16383 (and keeps at most 256 of a
# word's positions): the operator and the pairs see the same clamped positions. A pair is the
# two lexemes joined by a space, which no lexeme of the 'simple' parser holds.
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION fanfold_common_pairs(document tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH words AS (
        SELECT word.lexeme, place.position
        FROM unnest(document) AS word, unnest(word.positions) AS place(position)
    )
    SELECT array_to_tsvector(
        coalesce(array_agg(DISTINCT first.lexeme || ' ' || second.lexeme), '{}')
    )
    FROM words first JOIN words second ON second.position = first.position + 1
    WHERE first.lexeme = ANY(%(common)s) OR second.lexeme = ANY(%(common)s)
$$
"""

# A generated column cannot read another generated column, so this is the document column's
# expression again (migrations search 0001), word for word: the same text gives the same
# positions.
DOCUMENT = """
    setweight(to_tsvector('simple', title), 'A')
    || setweight(to_tsvector('simple', creators), 'B')
    || setweight(to_tsvector('simple', fandoms || ' ' || tags), 'C')
    || setweight(to_tsvector('simple', summary || ' ' || notes || ' ' || body), 'D')
"""

ADD_COLUMN = f"""
ALTER TABLE search_document ADD COLUMN {PAIRS_COLUMN} tsvector
    GENERATED ALWAYS AS (fanfold_common_pairs({DOCUMENT})) STORED
"""

CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS search_document_pairs_gin "
    f"ON search_document USING gin ({PAIRS_COLUMN})"
)


def _common_array() -> str:
    # The words are lowercase ASCII letters: nothing to escape in an array literal.
    return "'{" + ",".join(sorted(COMMON_WORDS)) + "}'::text[]"


def add_pairs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION.replace("%(common)s", _common_array()))
        schema_editor.execute(ADD_COLUMN)
        schema_editor.execute(CREATE_INDEX)
        # The planner's estimate of a pair's frequency, for choosing the pairs' index.
        schema_editor.execute(f"ANALYZE search_document ({PAIRS_COLUMN})")


def drop_pairs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE search_document DROP COLUMN {PAIRS_COLUMN}")
        schema_editor.execute("DROP FUNCTION IF EXISTS fanfold_common_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search_document_revised_index")]

    operations = [migrations.RunPython(add_pairs, drop_pairs)]
