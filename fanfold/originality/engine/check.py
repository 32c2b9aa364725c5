"""Checking one text against a repost index: candidates from the index, verified by alignment."""

from collections.abc import Callable

from .fingerprint import Fingerprint, fingerprint
from .index import RepostIndex
from .repost import RepostFinding, verify
from .text import Tokens


def check_tokens(
    tokens: Tokens,
    index: RepostIndex,
    load: Callable[[int], Tokens | None],
    *,
    exclude: int | None = None,
    fp: Fingerprint | None = None,
) -> list[RepostFinding]:
    """Works in the index that this text copies, contains or is contained in, best first.
    `load(id)` gives an indexed work's tokens (None when it is gone)."""
    fp = fp or fingerprint(tokens.words)
    findings = []
    for candidate in index.candidates(fp, exclude=exclude):
        other = load(candidate.id)
        if other is None:
            continue
        finding = verify(tokens, other, other_id=candidate.id, exact=candidate.exact)
        if finding is not None:
            findings.append(finding)
    findings.sort(key=lambda f: (-f.alignment.matched, f.other_id))
    return findings
