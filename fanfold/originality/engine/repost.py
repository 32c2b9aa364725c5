"""Repost verification: a candidate from the index is a repost only when a token alignment
shows that most of the smaller text lines up with the other."""

from dataclasses import dataclass

from .align import Alignment, align
from .text import Tokens

MIN_SHARE = 0.5  # of the smaller text's tokens aligned
MIN_MATCHED = 40  # tokens aligned, so that two short notes never make a "repost"
FULL_SHARE = 0.5  # both sides at least this much aligned: a copy of the whole work


@dataclass
class RepostFinding:
    other_id: int
    alignment: Alignment
    exact: bool

    @property
    def kind(self) -> str:
        if min(self.alignment.share_a, self.alignment.share_b) >= FULL_SHARE:
            return "full"
        return "partial"

    def as_dict(self) -> dict:
        return {
            "other": self.other_id,
            "kind": self.kind,
            "exact": self.exact,
            "matched_words": self.alignment.matched,
            "share_of_this": round(self.alignment.share_a, 4),
            "share_of_other": round(self.alignment.share_b, 4),
            "name_map": [
                {"from": right, "to": left, "count": count}
                for left, right, count in self.alignment.name_map
            ],
        }


def verify(new: Tokens, other: Tokens, *, other_id: int, exact: bool = False):
    """A RepostFinding when `new` and `other` share enough aligned text, else None. The name
    map reads new's names against other's: ("Mira", "Anna", 143) means other's Anna is Mira."""
    alignment = align(new, other)
    smaller = min(len(new), len(other))
    if smaller == 0 or alignment.matched < MIN_MATCHED:
        return None
    if alignment.matched / smaller < MIN_SHARE:
        return None
    return RepostFinding(other_id=other_id, alignment=alignment, exact=exact)
