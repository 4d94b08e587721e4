"""Extractive summary: the k sentences that best cover a release, in document order.

Each sentence is scored by its TF-IDF cosine to the whole release (over PySastrawi stems, so
"menghadiri", "hadir" and "kehadiran" count as one word) plus a lead bonus, because a release
puts its news first. Fragments and near-duplicates are never picked. No text is invented: the
summary is a list of sentence spans of ``Article.text``.

Written by hand rather than with sumy or scikit-learn: both cost more to import than the whole
pipeline takes on a release, and neither stems Indonesian.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ringkas.lexicon import load_set
from ringkas.types import Article, Span, Summary

METHOD = "extractive-tfidf-lead"
DEFAULT_SENTENCES = 3
_MIN_WORDS, _MAX_WORDS = 6, 70
_LEAD_WEIGHT = 0.45  # share of the score that comes from position
_QUOTE_PENALTY = 0.85  # a summary reads better in the reporter's voice than in a quote
_DUPLICATE_COSINE = 0.6
_WORD = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z]+)*")
_STOPWORDS = load_set("summary_stopwords", lower=True)
# Term of each token as written ("Menghadiri" -> "hadir"), "" for a stopword; shared by all
# documents of a process, because stemming is the slow part and a vocabulary repeats.
_TERMS: dict[str, str] = {}
_CACHE_LIMIT = 200_000
_stemmer = None


def _term(token: str) -> str:
    """The Sastrawi stem of a token, or "" for a stopword; cached across documents."""
    term = _TERMS.get(token)
    if term is None:
        word = token.lower()
        if word in _STOPWORDS:
            term = ""
        else:
            global _stemmer
            if _stemmer is None:
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                _stemmer = StemmerFactory().create_stemmer()
            # Reduplication ("pengrajin-pengrajin") stems to its base.
            term = _stemmer.stem(word.split("-")[0]) or word
        if len(_TERMS) < _CACHE_LIMIT:
            _TERMS[token] = term
    return term


def _terms(sentence: str) -> list[str]:
    return [t for t in map(_term, _WORD.findall(sentence)) if t]


_DOUBLE_MARKS = re.compile(r"[“”\"«»„]")


def _is_candidate(sentence: str) -> bool:
    """A whole sentence of reasonable length: no fragment, no heading, no list item, and no
    sentence that starts or ends inside a quote (its quote marks pair up)."""
    words = len(sentence.split())
    return (
        _MIN_WORDS <= words <= _MAX_WORDS
        and len(_DOUBLE_MARKS.findall(sentence)) % 2 == 0
        and sentence.rstrip("”\"’') ").endswith((".", "!", "?"))
        and (sentence[0].isupper() or sentence[0].isdigit() or sentence[0] in "“\"”‘'")
    )


def _norm(v: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in v.values()))


def _cosine(a: dict[str, float], na: float, b: dict[str, float], nb: float) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    return dot / (na * nb) if na and nb else 0.0


def summarize_extractive(article: Article, k: int = DEFAULT_SENTENCES) -> Summary:
    """Pick ``k`` sentences of ``article`` by centrality and position; spans in document order."""
    spans = list(article.sentences)
    texts = [article.text[s:e] for s, e in spans]
    terms = [_terms(t) for t in texts]
    n = len(spans)
    df = Counter(t for ts in terms for t in set(ts))
    idf = {t: math.log(1 + n / c) for t, c in df.items()}
    vectors = [{t: c * idf[t] for t, c in Counter(ts).items()} for ts in terms]
    centroid: Counter[str] = Counter()
    for v in vectors:
        centroid.update(v)
    norms = [_norm(v) for v in vectors]
    centroid_norm = _norm(centroid)

    scored = []
    for i, (text, vec) in enumerate(zip(texts, vectors)):
        if not _is_candidate(text) or not vec:
            continue
        score = (1 - _LEAD_WEIGHT) * _cosine(vec, norms[i], centroid, centroid_norm) + _LEAD_WEIGHT / (1 + 0.5 * i)
        if text[0] in "“\"”‘'":
            score *= _QUOTE_PENALTY
        scored.append((score, i))
    scored.sort(key=lambda x: (-x[0], x[1]))

    chosen: list[int] = []
    for _, i in scored:
        if len(chosen) == k:
            break
        if all(_cosine(vectors[i], norms[i], vectors[j], norms[j]) < _DUPLICATE_COSINE for j in chosen):
            chosen.append(i)
    chosen.sort()
    picked: tuple[Span, ...] = tuple(spans[i] for i in chosen)
    return Summary(method=METHOD, text=" ".join(article.text[s:e] for s, e in picked), sentences=picked)
