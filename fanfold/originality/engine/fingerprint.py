"""Fingerprints of a token list: an exact hash, a MinHash signature of word shingles and its LSH
band keys, and winnowing fingerprints.

All hashing is deterministic (blake2b of the token, then numpy arithmetic with fixed constants),
so signatures computed on any machine, in any process, can be compared and stored together.
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SHINGLE = 3  # words per shingle for MinHash: short enough that 10% edited words leave most intact
PERMUTATIONS = 64  # MinHash values per signature (uint32 each: 256 bytes a work)
ROWS = 2  # signature values per LSH band
BANDS = PERMUTATIONS // ROWS
WINNOW_K = 6  # words per winnowing k-gram
WINNOW_W = 60  # window: every run of WINNOW_W + WINNOW_K - 1 shared words yields a fingerprint

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_rng = np.random.default_rng(20261130)  # fixed: signatures must never change between runs
_A = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_ROLL = np.uint64(0x9E3779B97F4A7C15)


@lru_cache(maxsize=200_000)
def token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def token_hashes(words: list[str]) -> np.ndarray:
    """The 64-bit hash of every token. Each distinct token is hashed once and the array is
    assembled by numpy indexing, not a Python call per token (a work repeats its words)."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    vocabulary = dict.fromkeys(words)
    number = dict(zip(vocabulary, range(len(vocabulary)), strict=True))
    table = np.fromiter(map(token_hash, vocabulary), dtype=np.uint64, count=len(vocabulary))
    return table[np.fromiter(map(number.__getitem__, words), dtype=np.intp, count=len(words))]


def gram_hashes(hashes: np.ndarray, k: int) -> np.ndarray:
    """A 64-bit hash of every run of k consecutive tokens (polynomial, wrapping arithmetic)."""
    n = len(hashes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    out = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            out = out * _ROLL + hashes[j : j + n]
        # final avalanche (splitmix64) so that nearby grams spread over the whole range
        out ^= out >> np.uint64(30)
        out *= np.uint64(0xBF58476D1CE4E5B9)
        out ^= out >> np.uint64(27)
        out *= np.uint64(0x94D049BB133111EB)
        out ^= out >> np.uint64(31)
    return out


def exact_hash(words: list[str]) -> str:
    """The hash of the whole normalised text: equal for copies that differ only in what
    normalisation folds away (typography, contractions, names)."""
    return hashlib.blake2b("\x1f".join(words).encode("utf-8"), digest_size=16).hexdigest()


def minhash(words: list[str], *, hashes: np.ndarray | None = None) -> np.ndarray:
    """MinHash signature (PERMUTATIONS uint32 values) of the text's SHINGLE-word shingles
    (`hashes`: the words' token_hashes, when the caller has them already)."""
    if hashes is None:
        hashes = token_hashes(words)
    shingles = np.unique(gram_hashes(hashes, SHINGLE))
    if len(shingles) == 0:
        return np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)
    signature = np.empty(PERMUTATIONS, dtype=np.uint32)
    with np.errstate(over="ignore"):
        # a few permutations at a time keeps the temporary array small for long works
        for start in range(0, PERMUTATIONS, 16):
            a = _A[start : start + 16, None]
            b = _B[start : start + 16, None]
            permuted = (a * shingles[None, :] + b) >> np.uint64(32)
            signature[start : start + 16] = permuted.min(axis=1).astype(np.uint32)
    return signature


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """LSH band keys: for signatures of shape (n, PERMUTATIONS), an (n, BANDS) uint32 array; two
    works share a key in band b when their signatures agree on all of that band's rows."""
    signatures = np.atleast_2d(signatures).astype(np.uint64)
    n = signatures.shape[0]
    rows = signatures.reshape(n, BANDS, ROWS)
    key = np.zeros((n, BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            key = key * _ROLL + rows[:, :, r]
        key += np.arange(BANDS, dtype=np.uint64)[None, :] * np.uint64(0x632BE59BD9B4E019)
        key ^= key >> np.uint64(29)
        key *= np.uint64(0xBF58476D1CE4E5B9)
        key ^= key >> np.uint64(32)
    return (key & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def winnow(
    words: list[str], *, k: int = WINNOW_K, w: int = WINNOW_W, hashes: np.ndarray | None = None
) -> np.ndarray:
    """Winnowing fingerprints (Schleimer, Wilkerson and Aiken, 2003): the smallest k-gram hash
    of every window of w consecutive k-grams, each kept once. Any shared run of w + k - 1 words
    is certain to share a fingerprint, however long the works around it are. Returned as sorted
    unique uint32 values (the low bits of the 64-bit hashes)."""
    grams = gram_hashes(token_hashes(words) if hashes is None else hashes, k)
    if len(grams) == 0:
        return np.zeros(0, dtype=np.uint32)
    if len(grams) <= w:
        return np.unique(np.array([grams.min()], dtype=np.uint64).astype(np.uint32))
    windows = np.lib.stride_tricks.sliding_window_view(grams, w)
    picked = windows.min(axis=1)
    return np.unique((picked & np.uint64(0xFFFFFFFF)).astype(np.uint32))


@dataclass(frozen=True)
class Fingerprint:
    """Everything the repost index stores about one text."""

    exact: str
    signature: np.ndarray  # uint32[PERMUTATIONS]
    winnowed: np.ndarray  # sorted unique uint32
    length: int  # tokens


def fingerprint(words: list[str]) -> Fingerprint:
    hashes = token_hashes(words)
    return Fingerprint(
        exact=exact_hash(words),
        signature=minhash(words, hashes=hashes),
        winnowed=winnow(words, hashes=hashes),
        length=len(words),
    )


def estimated_jaccard(signature: np.ndarray, others: np.ndarray) -> np.ndarray:
    """MinHash estimate of the shingle-set Jaccard similarity to each row of `others`."""
    return (np.atleast_2d(others) == signature[None, :]).mean(axis=1)
