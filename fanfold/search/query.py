"""The search box's language, parsed once and compiled for each backend.

    lighthouse keeper        works with both words (anywhere: title, creators, tags, text...)
    "lighthouse keeper"      the phrase
    -storm  -"sea monster"   leave out works with the word or phrase
    title:harbour  creator:alice  fandom:"Sea Songs"  tag:"slow burn"   one field only

Words are runs of letters and digits, compared without case (accents count), on both backends
(FTS5's unicode61 tokenizer; PostgreSQL's 'simple' configuration), so a query means the same on
SQLite and PostgreSQL. Words that are not terms (punctuation) are ignored; a hyphenated word is
its parts as a phrase. Hand-written rather than a parsing library because the grammar is four
rules and the error messages must speak the reader's language."""

import itertools
import re
from dataclasses import dataclass

MAX_QUERY_LENGTH = 500
MAX_TERMS = 30

FIELDS = {"title", "creator", "fandom", "tag"}
# A field prefix: letters then a colon, at the start of a term.
_FIELD_RE = re.compile(r"([A-Za-z]+):(.*)\Z", re.S)
_WORD_RE = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """A query the reader must fix; the message says how."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    field: str | None = None  # None: every column
    negated: bool = False


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.negated)


def _chunks(text: str) -> list[str]:
    """Split on spaces outside double quotes; a quote must be closed."""
    chunks, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
            current.append(char)
        elif char.isspace() and not quoted:
            if current:
                chunks.append("".join(current))
                current = []
        else:
            current.append(char)
    if quoted:
        raise QueryError(
            "A quotation mark is not closed. Put phrases between two quotation marks, "
            'like "slow burn".'
        )
    if current:
        chunks.append("".join(current))
    return chunks


def parse_query(text: str) -> SearchQuery:
    text = (text or "").strip()
    if not text:
        raise QueryError("Enter something to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Searches can be at most {MAX_QUERY_LENGTH} characters long.")
    terms: list[Term] = []
    for chunk in _chunks(text):
        negated = chunk.startswith("-")
        if negated:
            chunk = chunk[1:]
        field = None
        match = _FIELD_RE.match(chunk)
        if match:
            name = match.group(1).lower()
            if name not in FIELDS:
                raise QueryError(
                    f"There is no “{match.group(1)}:” to search in. Use title:, creator:, "
                    f"fandom: or tag:, or put the words in quotation marks to find them as "
                    f"they are."
                )
            field, chunk = name, match.group(2)
            if not chunk:
                raise QueryError(f"Say what to look for after “{name}:”, like {name}:sea.")
        words = tuple(word.lower() for word in _WORD_RE.findall(chunk))
        if words:
            terms.append(Term(words=words, field=field, negated=negated))
    if len(terms) > MAX_TERMS:
        raise QueryError(f"Use at most {MAX_TERMS} words or phrases in one search.")
    query = SearchQuery(tuple(terms))
    if not query.positive:
        if query.negative:
            raise QueryError(
                "Add at least one word to find: a word with a minus only leaves works out."
            )
        raise QueryError("Enter words to search for (letters or numbers).")
    return query


# --- SQLite FTS5 --------------------------------------------------------------------------

_FTS_COLUMNS = {
    "title": "title",
    "creator": "creators",
    "fandom": "fandoms",
    "tag": "{fandoms tags}",
}


def _fts_term(term: Term) -> str:
    phrase = '"' + " ".join(term.words) + '"'  # words are letters and digits: nothing to escape
    if term.field:
        return f"{_FTS_COLUMNS[term.field]} : {phrase}"
    return phrase


def to_fts5(query: SearchQuery) -> str:
    """The FTS5 MATCH expression: (all positive terms) NOT (any negative term)."""
    expression = "(" + " AND ".join(_fts_term(term) for term in query.positive) + ")"
    if query.negative:
        expression += " NOT (" + " OR ".join(_fts_term(term) for term in query.negative) + ")"
    return expression


# --- PostgreSQL tsquery -------------------------------------------------------------------

# The document's weights (see the migration): A title, B creators, C fandoms and tags.
_WEIGHTS = {"title": "A", "creator": "B", "fandom": "C", "tag": "C"}


def _ts_term(term: Term, *, weighted: bool = True) -> str:
    weight = f":{_WEIGHTS[term.field]}" if weighted and term.field else ""
    return "(" + " <-> ".join(f"'{word}'{weight}" for word in term.words) + ")"


def to_tsquery(query: SearchQuery, *, weighted: bool = True) -> str:
    """Text for to_tsquery('simple', ...) of the positive terms, ANDed: with weights for
    ranking the matches (a title: word counts in the title only), without for highlighting.
    Which works match is postgres_conditions' business."""
    return " & ".join(_ts_term(term, weighted=weighted) for term in query.positive)


# PostgreSQL: each field's own tsvector column (migration search 0003), which its GIN index
# answers exactly; a weight on the whole document made PostgreSQL re-read every document
# holding the word.
FIELD_COLUMNS = {
    "title": "title_document",
    "creator": "creators_document",
    "fandom": "fandoms_document",
    "tag": "tags_document",
}


# PostgreSQL: the column of adjacent word pairs that hold a common word (migration search
# 0005), and its words. GIN keeps no positions, so for a phrase of words found in most works
# ("the harbour") PostgreSQL re-read every document holding both words to find the few where
# they are adjacent (350-800 ms at a million works); the pair 'the harbour' is a rare lexeme
# that the pairs' GIN index finds by itself, the technique of Lucene's CommonGramsFilter.
# Only pairs with a common word are stored: a pair of two rarer words would multiply the
# index's size, and the rarer words' own entries already narrow a phrase well.
#
# The pairs are taken from the text (fanfold_text_pairs, migration search 0007), not from the
# document's positions, which stop at a word's 255th use.
#
# Kept here, in one place, because the migration built the column from this list: the stored
# pairs are those of the list as it was then. Removing a word is safe; adding one needs a
# migration that re-creates fanfold_text_pairs() and the column (rows keep their pairs),
# or phrases with the new word would find nothing.
PAIRS_COLUMN = "common_pairs"
_COMMON_WORDS_TEXT = """
    a about after all also am an and any are as at be because been before being both but by
    can could did do does down each every for from had has have he her here hers him his how i
    if in into is it its just me might mine more most must my no nor not now of off on once
    one only onto or our out over own same shall she should so some such than that the their
    them then there these they this those through to too under up us very was we were what
    when where which while who whom whose why will with would you your
"""
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())


def _common_pairs(term: Term) -> list[str]:
    """The phrase's adjacent word pairs that hold a common word, as fanfold_text_pairs()
    stores them ("the harbour"). Only words of ASCII letters and digits: PostgreSQL's parser
    and lowercasing agree with the query's for those, but may split or lowercase other words
    differently (İstanbul, x²), and a pair spelled unlike the stored one would find nothing."""
    words = term.words
    return [
        f"{first} {second}"
        for first, second in itertools.pairwise(words)
        if (first in COMMON_WORDS or second in COMMON_WORDS)
        and first.isascii()
        and second.isascii()
    ]


@dataclass(frozen=True)
class Condition:
    """One condition a PostgreSQL match meets: `column @@ tsquery`, or NOT that when negated.

    On the document, a tsquery with phrases also comes `loose` (its phrases as plain ANDs of
    their words, excluded phrases left out) with its phrases: `phrases` wanted, `unwanted`
    excluded. A tsvector keeps at most 255 positions of a word and clamps positions above
    16,383, so where a phrase's words lost positions (positions_clamped, saturated_words:
    migration search 0007) it is checked against the text itself (selectors._document_match
    says when the positions are asked first); elsewhere the positions decide. The loose
    tsquery is what the GIN index answers in any case: it holds no positions."""

    column: str
    tsquery: str
    negated: bool = False
    loose: str | None = None
    phrases: tuple[tuple[str, ...], ...] = ()
    unwanted: tuple[tuple[str, ...], ...] = ()


def phrase_tsquery(words: tuple[str, ...]) -> str:
    """to_tsquery('simple', ...) text of one phrase, as in the document's tsquery."""
    return _ts_term(Term(words=words), weighted=False)


def _loose_term(term: Term) -> str:
    return "(" + " & ".join(f"'{word}'" for word in term.words) + ")"


def phrase_pattern(words: tuple[str, ...]) -> str:
    """A PostgreSQL regular expression (for ~*) of the words one after the other, parted by
    anything but letters and digits, as PostgreSQL's parser parts words. Words are letters and
    digits (parse_query): nothing to escape."""
    return "(?<![[:alnum:]])" + "[^[:alnum:]]+".join(words) + "(?![[:alnum:]])"


def postgres_conditions(query: SearchQuery) -> list[Condition]:
    """The query as conditions, all of which a match meets: the words and phrases without a
    field together against the whole document, each field term against its field's column,
    and each excluded term on its own. The text is for to_tsquery('simple', ...), except on
    PAIRS_COLUMN, where it is a tsquery literal (to_tsquery would read 'the harbour' as a
    phrase of two lexemes).

    A wanted phrase without a field that holds common words also needs all its pairs in
    PAIRS_COLUMN, ANDed: the pairs come from the document's text, so every document holding
    the phrase has them, and the pairs' index narrows the documents PostgreSQL reads to check
    the phrase itself from thousands to those that are likely to hold it. A phrase of two
    words with a pair is its pair, exactly, so it is not checked against the document at all
    (wanted or excluded): reading the 4,000 documents holding "the harbour" to confirm what the
    pair already says took 170 ms a query at a million works."""
    in_document = [term for term in query.terms if not term.field and not _is_a_pair(term)]
    wanted = [term for term in in_document if not term.negated]
    unwanted = [term for term in in_document if term.negated]
    conditions = []
    if wanted:
        # Excluded words go into the same tsquery as the wanted ones: PostgreSQL then reads
        # each candidate's document once, not once per condition.
        exact = [_ts_term(term, weighted=False) for term in wanted]
        exact += ["!" + _ts_term(term) for term in unwanted]
        phrases = tuple(term.words for term in wanted if len(term.words) > 1)
        unwanted_phrases = tuple(term.words for term in unwanted if len(term.words) > 1)
        loose = None
        if phrases or unwanted_phrases:
            loose = " & ".join(
                [_loose_term(term) for term in wanted]
                + ["!" + _ts_term(term) for term in unwanted if len(term.words) == 1]
            )
        conditions.append(
            Condition("document", " & ".join(exact), False, loose, phrases, unwanted_phrases)
        )
    else:  # only excluded words in the document: no positive part to look up there
        for term in unwanted:
            if len(term.words) == 1:
                conditions.append(Condition("document", _ts_term(term), True))
            else:
                conditions.append(
                    Condition("document", _ts_term(term), True, _loose_term(term), (term.words,))
                )
    for term in query.terms:
        if term.field:
            conditions.append(
                Condition(FIELD_COLUMNS[term.field], _ts_term(term, weighted=False), term.negated)
            )
    pairs = [pair for term in query.positive if not term.field for pair in _common_pairs(term)]
    if pairs:  # the words are letters and digits: nothing to escape in a quoted lexeme
        conditions.append(
            Condition(PAIRS_COLUMN, " & ".join(f"'{pair}'" for pair in dict.fromkeys(pairs)))
        )
    for term in query.negative:
        if not term.field and _is_a_pair(term):
            conditions.append(Condition(PAIRS_COLUMN, f"'{_common_pairs(term)[0]}'", True))
    return conditions


def _is_a_pair(term: Term) -> bool:
    """A phrase of two words with a common word is its pair (PAIRS_COLUMN), exactly."""
    return len(term.words) == 2 and bool(_common_pairs(term))
