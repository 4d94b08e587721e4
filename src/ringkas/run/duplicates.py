"""Syndicated copies: releases that are one release, found with MinHash LSH over word shingles.

Regional portals republish a government release nearly word for word, under another dateline and
outlet, with a paragraph added, cut or reworded. Each record's cleaned text becomes a set of
``SHINGLE_WORDS``-word shingles, sketched by a MinHash (datasketch) of ``NUM_PERM`` permutations;
records are compared in input order, and a record whose estimated Jaccard similarity with an
earlier group's first record reaches the threshold gets ``duplicate_of`` (that record's id) and
``duplicate_similarity`` (percent; records hold no floats). Different releases of the same office
on the same event share names and phrases but few five-word runs, and stay apart
(``python benchmarks/bench_duplicates.py`` measures both and sets ``DEFAULT_THRESHOLD``).

Only a group's first record is indexed, in the banded LSH tables that datasketch's ``MinHashLSH``
parameters (bands x rows) call for, held as one small int per band and the signature's 512 bytes:
memory grows by a fixed amount per release, never with its text. datasketch's own in-memory
storage keeps a set per bucket (7 KB per release), which an archive of millions cannot afford.

numpy and datasketch (scipy) are imported only when a second document is compared: a one-document
`ringkas summarize` never pays for them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1  # the permutations; fixed, so that every worker and every run sketches a text alike
# The least estimated Jaccard similarity of a copy, measured by benchmarks/bench_duplicates.py: copies
# with another dateline, outlet, or a paragraph changed, added or cut score 0.60-1.00; other
# releases of the same office on the same event at most 0.10.
DEFAULT_THRESHOLD = 0.5
# Record fields, last in a record so that the batch parent can set them on a serialised line.
FIELDS = ("duplicate_of", "duplicate_similarity")
NULL_TAIL = ',"duplicate_of":null,"duplicate_similarity":null}'
_WORD = re.compile(r"\w+")
_CHUNK = 4096  # signatures per block: the store grows by blocks, never copying what it holds


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The word ``size``-grams of a text, case-folded; a text of fewer words is one shingle."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8", "surrogatepass")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8", "surrogatepass") for i in range(len(words) - size + 1)}


def signature(text: str | None) -> bytes | None:
    """The MinHash of a text's shingles as NUM_PERM little-endian uint32s, or None for no words."""
    grams = shingles(text) if text else set()
    if not grams:
        return None
    sketch = _empty_sketch().copy()  # a copy shares the permutations: making them is 0.2 ms a text
    sketch.update_batch(list(grams))
    return bytes(sketch.hashvalues.astype("<u4").tobytes())


@functools.lru_cache(maxsize=1)
def _empty_sketch() -> Any:
    import zlib

    from datasketch import MinHash

    # CRC-32 hashes a shingle 3x faster than datasketch's SHA-1 (0.13 against 0.32 ms a release with the
    # permutations); its output is mixed again before the permutations, and it is the same in every process.
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)


# Candidates are banded for at most this similarity: above it datasketch's optimum has too few bands
# (one, at 0.99) to find near-exact copies reliably; the signature check applies the real threshold.
BANDING_CEILING = 0.9


@functools.lru_cache(maxsize=8)
def lsh_params(threshold: float) -> tuple[int, int]:
    """(bands, rows) that datasketch's MinHashLSH picks for the threshold (least weighted FP + FN)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=min(threshold, BANDING_CEILING), num_perm=NUM_PERM)
    return lsh.b, lsh.r


@dataclass(frozen=True)
class Match:
    """A record's group: the id of the group's first record, and the estimated similarity in percent."""

    of: str
    similarity: int


class DuplicateIndex:
    """The first records of the groups seen so far, banded for LSH candidates, checked by signature."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD):
        import numpy as np

        self.threshold = threshold
        self.bands, self.rows = lsh_params(threshold)
        self._np = np
        self._tables: list[dict[int, Any]] = [{} for _ in range(self.bands)]
        self._ids: list[str] = []
        self._blocks: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self._ids)

    def _keys(self, values: np.ndarray) -> list[int]:
        # Python's hash of the band's bytes: a collision only adds a candidate, which the signature
        # check turns away, so the per-process hash seed cannot change a result.
        r = self.rows
        return [hash(values[b * r:(b + 1) * r].tobytes()) for b in range(self.bands)]

    def _signature(self, n: int) -> np.ndarray:
        return self._blocks[n // _CHUNK][n % _CHUNK]

    def match(self, sig: bytes) -> Match | None:
        """The most similar group at or above the threshold (the earliest on a tie), or None."""
        np = self._np
        values = np.frombuffer(sig, dtype="<u4")
        candidates: set[int] = set()
        for table, key in zip(self._tables, self._keys(values), strict=True):
            found = table.get(key)
            if found is not None:
                candidates.update(found if isinstance(found, list) else (found,))
        best: tuple[float, int] | None = None
        for n in sorted(candidates):
            score = float(np.count_nonzero(self._signature(n) == values)) / NUM_PERM
            if score >= self.threshold and (best is None or score > best[0]):
                best = (score, n)
        return Match(self._ids[best[1]], round(best[0] * 100)) if best else None

    def add_first(self, record_id: str, sig: bytes) -> None:
        """Index a record as the first of its group."""
        np = self._np
        n = len(self._ids)
        if n % _CHUNK == 0:
            self._blocks.append(np.empty((_CHUNK, NUM_PERM), dtype="<u4"))
        values = np.frombuffer(sig, dtype="<u4")
        self._blocks[-1][n % _CHUNK] = values
        self._ids.append(record_id)
        for table, key in zip(self._tables, self._keys(values), strict=True):
            found = table.get(key)
            if found is None:
                table[key] = n  # one int in the common case: a list only where a band collides
            elif isinstance(found, list):
                found.append(n)
            else:
                table[key] = [found, n]

    def add(self, record_id: str, sig: bytes | None) -> Match | None:
        """The group of a record in input order; a record that matches none starts a group."""
        if sig is None:
            return None
        found = self.match(sig)
        if found is None:
            self.add_first(record_id, sig)
        return found


def record_text(record: dict) -> str | None:
    """The cleaned text a record is compared by (None for an error record)."""
    text = record.get("text")
    return text if record.get("error") is None and isinstance(text, str) and text else None


def mark_line(line: str, found: Match | None) -> str:
    """A serialised record (ending in NULL_TAIL) with the duplicate fields set."""
    if found is None:
        return line
    from ringkas.io.jsonl import dumps

    if not line.endswith(NULL_TAIL):
        raise ValueError("a record line must end with the duplicate fields")
    return line[:-len(NULL_TAIL)] + "," + dumps({FIELDS[0]: found.of, FIELDS[1]: found.similarity})[1:]


class DuplicateMarker:
    """Marks a stream of records in order, in place; nothing is imported until a second text comes."""

    def __init__(self, threshold: float | None = DEFAULT_THRESHOLD):
        self.threshold = threshold
        self.index: DuplicateIndex | None = None
        self._first: tuple[str, str] | None = None

    def mark(self, record: dict) -> dict:
        """The record, with ``duplicate_of`` and ``duplicate_similarity`` set when it is a copy."""
        text = record_text(record)
        if not self.threshold or text is None:
            return record
        if self.index is None:
            if self._first is None:
                self._first = (record["id"], text)  # a one-document run stops here
                return record
            self.index = DuplicateIndex(self.threshold)
            self.index.add(self._first[0], signature(self._first[1]))
            self._first = None
        found = self.index.add(record["id"], signature(text))
        if found is not None:
            record[FIELDS[0]], record[FIELDS[1]] = found.of, found.similarity
        return record


__all__ = ["DEFAULT_THRESHOLD", "DuplicateIndex", "DuplicateMarker", "Match", "mark_line", "record_text",
           "shingles", "signature"]
