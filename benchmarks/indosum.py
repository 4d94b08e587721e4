"""IndoSum development articles for the summary scripts: reading, the fixed held-out split, the oracle.

Shared by benchmarks/train_summary.py and benchmarks/eval_summaries.py, so that both see the same
articles, the same split and the same oracle. Needs the eval extra (rouge-score) and numpy.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rouge_score import tokenize

from ringkas.text.document import build_article
from ringkas.types import Article, Source

# The team's copy of the data lives next to the checkout, never in the project.
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "indosum" / "dev.jsonl"
HELD_OUT_SHARE = 5  # one article in five (by a hash of its id) is held out


@dataclass(frozen=True)
class Doc:
    """One IndoSum article as ringkas reads it, with its reference summary."""

    id: str
    category: str
    reference: str
    article: Article
    held_out: bool


def is_held_out(doc_id: str) -> bool:
    """The fixed split: the same articles are held out on every machine and in every run."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % HELD_OUT_SHARE == 0


def read_docs(path: Path = DEFAULT) -> list[Doc]:
    """The articles of an IndoSum JSONL file, cleaned and split into sentences by ringkas."""
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            article = build_article(Source(id=row["id"], text=row["text"], origin=str(path)))
            docs.append(Doc(row["id"], row.get("category", ""), row["summary"], article, is_held_out(row["id"])))
    return docs


def tokens(text: str) -> list[str]:
    """rouge-score's default tokens (lower case, letters and digits), as the scorer sees them."""
    return tokenize.tokenize(text, None)


def oracle(doc: Doc, k: int = 3) -> tuple[int, ...]:
    """The k sentences whose summary has the best ROUGE-1 F1 against the reference (exact search)."""
    reference = Counter(tokens(doc.reference))
    vocab = {w: i for i, w in enumerate(reference)}
    sentences = [tokens(doc.article.text[s:e]) for s, e in doc.article.sentences]
    n = len(sentences)
    if n <= k:
        return tuple(range(n))
    counts = np.zeros((n, len(vocab) + 1))  # the last column: words the reference lacks
    for i, words in enumerate(sentences):
        for w in words:
            counts[i, vocab.get(w, len(vocab))] += 1
    limit = np.array([*(reference[w] for w in vocab), 0])
    lengths = counts.sum(1)
    ref_len = sum(reference.values())
    best, best_f = tuple(range(k)), -1.0
    combos = np.array(list(itertools.combinations(range(n), k)))
    for part in np.array_split(combos, len(combos) // 20_000 + 1):
        overlap = np.minimum(counts[part].sum(1), limit).sum(1)
        f = 2 * overlap / (lengths[part].sum(1) + ref_len)
        j = int(f.argmax())
        if f[j] > best_f:
            best, best_f = tuple(int(x) for x in part[j]), float(f[j])
    return best


def sentences_text(article: Article, indices: tuple[int, ...] | list[int]) -> str:
    """The text of the chosen sentences, in document order."""
    return " ".join(article.text[article.sentences[i][0]:article.sentences[i][1]] for i in sorted(indices))
