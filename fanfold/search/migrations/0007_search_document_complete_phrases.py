"""PostgreSQL finds a phrase anywhere in a work, however long, as SQLite's FTS5 does.

A tsvector keeps at most 255 positions of a word and clamps positions above 16,383, so the
phrase operator (<->) missed phrases past a word's 255th use ("the harbour" after the 255th
"the": a work of a few thousand words) or past the 16,383rd word. Two columns mend it:

- common_pairs (search 0005) is computed again from the text itself, through the same parser
  and in the same order as the document's words, so a work holds the pair "the harbour"
  wherever in it the phrase is. A phrase of two words with a common word is answered by its
  pair alone, so it is now found everywhere.
- positions_clamped says whether some word lies past the 16,383rd (every later word is kept
  at 16,383), and saturated_words lists the words used 255 times or more (later uses are not
  kept). A phrase can be missing from a document's positions only where one of these is so
  for it: there search checks the phrase against the text (fanfold.search.selectors says how);
  elsewhere the positions decide, as before.

They are stored generated columns: adding them rewrites the table and parses every work's text
again (docs/finding-works.md gives how long on a large archive)."""

from django.db import migrations

from fanfold.search.query import COMMON_WORDS, PAIRS_COLUMN

# The document's text in the document's order (search 0001): title, creators, fandoms and
# tags, summary, notes and text. A space between the columns, as tsvector concatenation
# continues the positions from one column to the next.
TEXT = "title || ' ' || creators || ' ' || fandoms || ' ' || tags || ' ' || summary || ' ' || notes || ' ' || body"

# The document column's expression (search 0001), word for word: a generated column cannot
# read another generated column.
DOCUMENT = """
    setweight(to_tsvector('simple', title), 'A')
    || setweight(to_tsvector('simple', creators), 'B')
    || setweight(to_tsvector('simple', fandoms || ' ' || tags), 'C')
    || setweight(to_tsvector('simple', summary || ' ' || notes || ' ' || body), 'D')
"""

# to_tsvector('simple', ...) numbers every token of the default parser but spaces (12), XML
# tags (13), protocol heads (14) and entities (23), lowercased: the same tokens in the same
# order give the same neighbours, without the tsvector's limits. Tokens over 1,000 bytes are
# left out of pairs: a lexeme may not exceed 2 KB (to_tsvector skips such words too), and no
# search word is that long. A pair is the two words joined by a space, which no lexeme of the
# parser holds.
CREATE_PAIRS_FUNCTION = """
CREATE OR REPLACE FUNCTION fanfold_text_pairs(content text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH words AS (
        SELECT lower(token) AS word, lead(lower(token)) OVER (ORDER BY place) AS next
        FROM ts_parse('default', content) WITH ORDINALITY AS part(tokid, token, place)
        WHERE tokid <> ALL ('{12,13,14,23}')
    )
    SELECT array_to_tsvector(coalesce(array_agg(DISTINCT word || ' ' || next), '{}'))
    FROM words
    WHERE next IS NOT NULL
        AND (word = ANY(%(common)s) OR next = ANY(%(common)s))
        AND octet_length(word) <= 1000 AND octet_length(next) <= 1000
$$
"""

# A tsvector keeps 255 positions of a word (a word used exactly 255 times counts as cut off:
# no harm, its text is read); positions are sorted, so a word's last is its highest.
CREATE_CUT_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION fanfold_positions_clamped(document tsvector) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT EXISTS (
            SELECT 1 FROM unnest(document) AS word
            WHERE word.positions[cardinality(word.positions)] >= 16383
        )
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION fanfold_saturated_words(document tsvector) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(word.lexeme ORDER BY word.lexeme), '{}')
        FROM unnest(document) AS word
        WHERE cardinality(word.positions) >= 255
    $$
    """,
]

# One ALTER TABLE: one rewrite of the table for both columns.
REPLACE_COLUMNS = f"""
ALTER TABLE search_document
    DROP COLUMN {PAIRS_COLUMN},
    ADD COLUMN {PAIRS_COLUMN} tsvector GENERATED ALWAYS AS (fanfold_text_pairs({TEXT})) STORED,
    ADD COLUMN positions_clamped boolean
        GENERATED ALWAYS AS (fanfold_positions_clamped({DOCUMENT})) STORED,
    ADD COLUMN saturated_words text[]
        GENERATED ALWAYS AS (fanfold_saturated_words({DOCUMENT})) STORED
"""

CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS search_document_pairs_gin "
    f"ON search_document USING gin ({PAIRS_COLUMN})"
)

# Back to search 0005's pairs, from the document's positions.
RESTORE_COLUMNS = f"""
ALTER TABLE search_document
    DROP COLUMN positions_clamped,
    DROP COLUMN saturated_words,
    DROP COLUMN {PAIRS_COLUMN},
    ADD COLUMN {PAIRS_COLUMN} tsvector
        GENERATED ALWAYS AS (fanfold_common_pairs({DOCUMENT})) STORED
"""


def _common_array() -> str:
    # The words are lowercase ASCII letters: nothing to escape in an array literal.
    return "'{" + ",".join(sorted(COMMON_WORDS)) + "}'::text[]"


def complete_phrases(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_PAIRS_FUNCTION.replace("%(common)s", _common_array()))
        for function in CREATE_CUT_FUNCTIONS:
            schema_editor.execute(function)
        schema_editor.execute(REPLACE_COLUMNS)
        schema_editor.execute(CREATE_INDEX)
        schema_editor.execute(f"ANALYZE search_document ({PAIRS_COLUMN}, positions_clamped)")


def positions_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE_COLUMNS)
        schema_editor.execute(CREATE_INDEX)
        schema_editor.execute("DROP FUNCTION IF EXISTS fanfold_positions_clamped(tsvector)")
        schema_editor.execute("DROP FUNCTION IF EXISTS fanfold_saturated_words(tsvector)")
        schema_editor.execute("DROP FUNCTION IF EXISTS fanfold_text_pairs(text)")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_search_document_filter_ids")]

    operations = [migrations.RunPython(complete_phrases, positions_only)]
