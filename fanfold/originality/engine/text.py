"""Normalisation: the text every fingerprint and alignment is computed from.

A reposter changes what does not change the story: typography (curly quotes, dashes, accents),
contractions ("don't" / "do not") and, to move a story to another fandom, the characters' names.
`tokenize` folds all of these away so that fingerprints survive them, and keeps each token's
original spelling beside it so that reports can show the words the writer actually wrote.

Names are found the way a reader finds them: a word that is capitalised in the middle of a
sentence, is not a dictionary word, and occurs at least twice (once is more likely a place or a
typo). Every occurrence of such a word, sentence starts and possessives ("Anna's") included,
becomes the one placeholder NAME, so "Anna -> Mira" changes no token.

`loose=True` (source finding) also folds pronouns, forms of "be"/"have" and common verb endings,
so that a quotation retold in another person or tense still lines up with its source.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import chain, repeat

from .words import is_dictionary_word

NAME = "\u241fname"  # a token no text can contain: the symbol for "unit separator" + "name"

# Typography that means the same as plain ASCII. NFKC handles ligatures and full-width forms;
# this table handles what NFKC keeps. Applied with one precompiled regex (str.translate with a
# table that maps to strings runs a Python-level lookup per character: ten times slower on a
# 5,000-word work, and checking a work must take milliseconds).
_FOLD_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
}
_FOLD_RE = re.compile("[" + "".join(_FOLD_MAP) + "]")

# A word: letters and digits, with inner apostrophes or hyphens ("don't", "well-known").
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# A capitalised word (after folding, accented capitals are plain ones) and what precedes it.
_CAPITALISED = re.compile(r"(?<![\w'-])([A-Z][^\W_]*)('s)?(?![\w-])")
_SENTENCE_MARKS = frozenset('.!?:;"')

_CONTRACTIONS = {
    "can't": ["can", "not"],
    "cannot": ["can", "not"],
    "won't": ["will", "not"],
    "shan't": ["shall", "not"],
    "ain't": ["is", "not"],
    "let's": ["let", "us"],
    "y'all": ["you", "all"],
    "o'clock": ["oclock"],
}
_SUFFIXES = (
    ("n't", ["not"]),
    ("'re", ["are"]),
    ("'ve", ["have"]),
    ("'ll", ["will"]),
    ("'m", ["am"]),
    ("'d", ["would"]),
)
# "'s" is "is" after these words and a possessive (dropped) after anything else.
_S_IS = {"it", "he", "she", "that", "what", "there", "here", "who", "where", "how", "this"}

_PRONOUNS = {
    "i", "me", "my", "mine", "myself", "you", "your", "yours", "yourself", "he", "him",
    "his", "himself", "she", "her", "hers", "herself", "they", "them", "their", "theirs",
    "themselves", "we", "us", "our", "ours", "ourselves", "thou", "thee", "thy", "thine",
    "ye",
}  # fmt: skip
_LEMMAS = {
    "am": "be", "is": "be", "are": "be", "was": "be", "were": "be", "been": "be",
    "being": "be", "art": "be", "has": "have", "had": "have", "having": "have", "hath": "have",
    "hast": "have", "does": "do", "did": "do", "doth": "do", "dost": "do", "said": "say",
    "saith": "say", "says": "say", "went": "go", "goes": "go", "gone": "go", "came": "come",
    "comes": "come", "made": "make", "makes": "make", "saw": "see", "seen": "see",
    "sees": "see", "took": "take", "taken": "take", "gave": "give", "given": "give",
    "shall": "will", "would": "will", "should": "will", "could": "can", "spake": "speak",
    "spoke": "speak", "spoken": "speak",
}  # fmt: skip
# Function words that different translations and registers use for one another.
_FUNCTION_CLASSES = {
    "which": "that", "who": "that", "whom": "that", "unto": "to", "toward": "to",
    "towards": "to", "upon": "on", "thereof": "of", "therefore": "so", "wherefore": "so",
    "thus": "so", "yea": "yes", "nay": "no", "amongst": "among", "whilst": "while",
}  # fmt: skip


@dataclass
class Tokens:
    """A text as normalised tokens, each with the original word it came from (`surface`) and the
    offset of that word in the folded text (`starts`), plus the names that were masked."""

    words: list[str] = field(default_factory=list)
    surface: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)  # which original word a token came from
    names: set[str] = field(default_factory=set)

    def text(self, start: int, end: int) -> str:
        """The original words behind tokens start..end (an expanded "don't" shows once)."""
        out: list[str] = []
        last = -1
        for index in range(max(0, start), min(end, len(self.words))):
            if self.origin[index] != last:
                out.append(self.surface[index])
                last = self.origin[index]
        return " ".join(out)

    def __len__(self) -> int:
        return len(self.words)


def fold(text: str) -> str:
    """Unicode and punctuation folding: compatibility forms, accents, curly quotes, dashes."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text.replace("`", "'") if "`" in text else text
    text = _FOLD_RE.sub(lambda match: _FOLD_MAP[match.group()], text)
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@lru_cache(maxsize=100_000)
def _expand(word: str) -> tuple[str, ...]:
    """A lower-case word with its contraction expanded ("don't" -> ["do", "not"])."""
    if word in _CONTRACTIONS:
        parts = _CONTRACTIONS[word]
    elif "'" not in word:
        parts = [word]
    else:
        parts = [word.replace("'", "")]
        for suffix, expansion in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                parts = [word[: -len(suffix)], *expansion]
                break
        else:
            if word.endswith("'s") and len(word) > 2:
                stem = word[:-2]
                parts = [stem, "is"] if stem in _S_IS else [stem]
    return tuple(piece for part in parts for piece in part.split("-") if piece)


@lru_cache(maxsize=200_000)
def _pieces(word: str, loose: bool) -> tuple[str, ...]:
    """The tokens of one lower-case word (cached: a story repeats its words)."""
    pieces = _expand(word)
    return tuple(_loose(p) for p in pieces) if loose else pieces


def loose_word(word: str) -> str:
    """The loose token of one lower-case word (what `tokenize(..., loose=True)` makes of it)."""
    return _loose(word)


@lru_cache(maxsize=100_000)
def _loose(word: str) -> str:
    if word in _PRONOUNS:
        return "they"
    return _FUNCTION_CLASSES.get(word) or _stem(word)


@cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def _stem(word: str) -> str:
    """Tense, number and derivation folded for source finding, so that a passage retold in
    another tense or translation still lines up ("kept" / "keepeth" / "keeping" -> "keep",
    "blessing" / "blessed" -> "bless"): the archaic forms in _LEMMAS, then simplemma's
    dictionary lemma (irregular forms: "men", "took"), then the Snowball English stemmer (its
    derivations: "certainly" -> "certain"). Both are pinned, well-kept libraries; the archaic
    "-eth"/"-est" endings neither knows ("goeth", "sayest") are cut here from words that are
    not dictionary words."""
    import simplemma

    if word in _LEMMAS:
        return _LEMMAS[word]
    if not word.isalpha():
        return word
    lemma = simplemma.lemmatize(word, lang="en")
    if (
        lemma == word
        and word.endswith(("eth", "est"))
        and len(word) >= 5
        and not is_dictionary_word(word)  # "forest", "honest", "teeth" are words of their own
    ):
        root = word[:-3]
        lemma = root + "e" if is_dictionary_word(root + "e") else root
    return _stemmer().stemWord(lemma)


def find_names(text: str, *, min_count: int = 2) -> set[str]:
    """The words in a folded text that look like character names (see the module docstring).
    `min_count=1` (source finding) also takes names seen once: a quoted passage of a few lines
    names each character once."""
    mid_sentence: Counter[str] = Counter()
    everywhere: Counter[str] = Counter()
    for match in _CAPITALISED.finditer(text):
        base = match.group(1)
        if base.isupper() and len(base) > 1:
            continue  # shouting or an acronym, not a name
        everywhere[base] += 1
        # mid-sentence unless the (up to) three characters before it are only white space, or
        # end a sentence or open a quotation (punctuation, then only white space)
        start = match.start()
        before = text[max(0, start - 3) : start]
        trimmed = before.rstrip()
        if trimmed and trimmed[-1] not in _SENTENCE_MARKS and "\n" not in before[len(trimmed) :]:
            mid_sentence[base] += 1
    return {
        word
        for word, count in mid_sentence.items()
        if everywhere[word] >= min_count and not is_dictionary_word(word.lower())
    }


def tokenize(text: str, *, loose: bool = False, names: set[str] | None = None) -> Tokens:
    """The normalised tokens of a plain text (see the module docstring).

    Each distinct word is normalised once and the token lists are assembled with C-level
    map/chain calls: a 5,000-word work has about a thousand distinct words, so this is several
    times faster than a Python loop over every word."""
    text = fold(text)
    if names is None:
        names = find_names(text)
    raw = _WORD.findall(text)
    table: dict[str, tuple[str, ...]] = {}
    for word in dict.fromkeys(raw):
        if names and (word in names or (word.endswith("'s") and word[:-2] in names)):
            table[word] = (NAME,)
        else:
            table[word] = _pieces(word.lower(), loose)
    pieces = list(map(table.__getitem__, raw))
    lengths = list(map(len, pieces))
    words = list(chain.from_iterable(pieces))
    if len(words) == len(raw) and (not lengths or min(lengths) == 1):
        surface, origin = raw, list(range(len(raw)))
    else:
        surface = list(chain.from_iterable(map(repeat, raw, lengths)))
        origin = list(chain.from_iterable(map(repeat, range(len(raw)), lengths)))
    return Tokens(words=words, surface=surface, origin=origin, names=names)


_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"</?(p|br|div|h[1-6]|li|blockquote|tr)\b[^>]*>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """Plain text of (sanitized) HTML: block tags become line breaks, entities are decoded."""
    import html as html_module

    text = _BLOCK.sub("\n", html)
    text = _TAG.sub("", text)
    return html_module.unescape(text)
