"""The dictionary that tells names from words.

Fanfold ships its own list (data/words.txt.gz) rather than reading /usr/share/dict/words at run
time: fingerprints depend on which words count as names, so every machine that computes them
(web servers, workers, a Dask cluster, the command line on a laptop) must use the same list or
an index built on one machine would not match texts checked on another. The list is generated
from Debian's wamerican package by `python -m fanfold.originality.engine.words
/usr/share/dict/words`: only the entries it spells in lower case, so the proper nouns it also
lists ("Anna", "Paris") are not dictionary words here.
"""

import gzip
import sys
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).resolve().parent / "data" / "words.txt.gz"


@cache
def dictionary() -> frozenset[str]:
    with gzip.open(WORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def is_dictionary_word(word: str) -> bool:
    """Whether a lower-case word is an English dictionary word (plurals and -'s included)."""
    words = dictionary()
    return word in words or (word.endswith("s") and word[:-1] in words)


def generate(source: Path, target: Path = WORDS_FILE) -> int:
    """Write the shipped list from a dictionary file with one word a line; returns its size."""
    words = sorted(
        {
            line.strip()
            for line in source.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.strip().isalpha() and line.strip().islower()
        }
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(target, "wb", mtime=0) as handle:  # mtime=0: the same bytes every time
        handle.write(("\n".join(words) + "\n").encode("utf-8"))
    return len(words)


if __name__ == "__main__":
    count = generate(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/words"))
    print(f"{count} words written to {WORDS_FILE}")
