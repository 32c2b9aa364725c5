"""Batch jobs for a whole archive, written as plain functions over plain data so that a Dask
cluster (or anything else that maps functions over lists) can run them: the workers need the
engine, numpy and the texts, never Django or the database."""

import numpy as np

from .fingerprint import fingerprint
from .repost import verify
from .text import tokenize


def fingerprint_batch(
    items: list[tuple[int, str]],
) -> list[tuple[int, str, np.ndarray, np.ndarray, int]]:
    """(id, text) -> (id, exact hash, MinHash signature, winnowing fingerprints, length)."""
    out = []
    for work_id, text in items:
        fp = fingerprint(tokenize(text).words)
        out.append((work_id, fp.exact, fp.signature, fp.winnowed, fp.length))
    return out


def verify_batch(pairs: list[tuple[int, str, int, str]]) -> list[dict]:
    """(id a, text a, id b, text b) -> the verified repost findings, read as a against b."""
    out = []
    for a_id, a_text, b_id, b_text in pairs:
        finding = verify(tokenize(a_text), tokenize(b_text), other_id=b_id)
        if finding is not None:
            alignment = finding.alignment
            out.append(
                {
                    "work": a_id,
                    "other": b_id,
                    "kind": finding.kind,
                    "matched_words": alignment.matched,
                    "share_of_work": alignment.share_a,
                    "share_of_other": alignment.share_b,
                    "name_map": alignment.name_map,
                }
            )
    return out
