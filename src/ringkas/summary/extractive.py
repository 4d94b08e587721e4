"""Extractive summary: the k sentences of a release that a learned scorer ranks highest, in document order.

Each sentence is described by cheap features (its position among the sentences, the candidates
and the paragraphs; its length; its TF-IDF cosine to the rest of the text over PySastrawi stems,
so "menghadiri", "hadir" and "kehadiran" count as one word; quote marks, speech verbs, dates, its
first word) and scored by a linear model whose weights ship in ``data/summary_weights.txt``. The
weights were fitted on IndoSum's development articles by ``benchmarks/train_summary.py``, to rank
the sentences the best three-sentence summary of each article is made of; the file says how.

A release with a dateline opens its summary with the dateline's sentence, its lead. Fragments,
headings, sentences that start or end inside a quote and near-duplicates are never picked. No text
is invented: the summary is a list of sentence spans of ``Article.text``.

Written by hand rather than with sumy or scikit-learn: both cost more to import than the whole
pipeline takes on a release, and neither stems Indonesian. Scoring needs only the standard library.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ringkas.lexicon import load_list, load_set
from ringkas.types import Article, Span, Summary

METHOD = "extractive-learned"
DEFAULT_SENTENCES = 3
_MIN_WORDS, _MAX_WORDS = 6, 70
_DUPLICATE_COSINE = 0.6
_WORD = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z]+)*")
_STOPWORDS = load_set("summary_stopwords", lower=True)
# Term of each token as written ("Menghadiri" -> "hadir"), "" for a stopword; shared by all
# documents of a process, because stemming is the slow part and a vocabulary repeats.
_TERMS: dict[str, str] = {}
_CACHE_LIMIT = 200_000
_stemmer = None


def _load_weights() -> dict[str, float]:
    """Feature weights from data/summary_weights.txt ("NAME WEIGHT" a line)."""
    weights = {}
    for entry in load_list("summary_weights"):
        name, value = entry.split()
        weights[name] = float(value)
    return weights


WEIGHTS: Mapping[str, float] = _load_weights()

# Bins: a feature NAME{j} is set for the first edge the value is below (j = len(edges) past the last).
_POSITION_EDGES = (1, 2, 3, 4, 5, 6, 7, 8, 10, 14)
_CANDIDATE_EDGES = (1, 2, 3, 4, 5, 6, 8, 11)
_LEAD_EDGES = (1, 2, 3, 5)
_PARAGRAPH_EDGES = (1, 2, 3, 4)
_IN_PARAGRAPH_EDGES = (1, 2)
_LENGTH_EDGES = (10, 15, 20, 25, 30, 40)
_RANK_EDGES = (1, 2, 3, 5, 8)
_SENTENCES_EDGES = (8, 12, 18, 25)

_OPENING_MARKS = "“\"”‘'"
_DOUBLE_MARKS = re.compile(r"[“”\"«»„]")
# ", kata X" / "ujarnya" near the end: the sentence closes a quote in someone's voice.
_SPEECH_VERBS = load_set("quote_verbs_after", lower=True)
_SPEECH_TAIL_WORDS = 6
_INDIRECT_SPEECH = re.compile(r"\b(?:mengatakan|menyatakan|menjelaskan|menyebutkan|mengungkapkan|menuturkan"
                              r"|menegaskan|menyampaikan)\b")
_WEEKDAY = re.compile(r"\b(?:" + "|".join(sorted({re.escape(e.split()[0]) for e in load_list("weekdays")}))
                      + r")\b", re.IGNORECASE)
_MONTH = re.compile(r"\b(?:" + "|".join(sorted({re.escape(e.split()[0]) for e in load_list("months")
                                                 if len(e.split()[0]) > 3}))
                    + r")\b", re.IGNORECASE)
_STRIP = ".,:;!?\"“”‘’'()"


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


def _is_candidate(sentence: str) -> bool:
    """A whole sentence of reasonable length: no fragment, no heading, no list item, and no
    sentence that starts or ends inside a quote (its quote marks pair up)."""
    words = len(sentence.split())
    return (
        _MIN_WORDS <= words <= _MAX_WORDS
        and len(_DOUBLE_MARKS.findall(sentence)) % 2 == 0
        and sentence.rstrip("”\"’') ").endswith((".", "!", "?"))
        and (sentence[0].isupper() or sentence[0].isdigit() or sentence[0] in _OPENING_MARKS)
    )


def _norm(v: Mapping[str, float]) -> float:
    return math.sqrt(sum(w * w for w in v.values()))


def _cosine(a: Mapping[str, float], na: float, b: Mapping[str, float], nb: float) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    return dot / (na * nb) if na and nb else 0.0


def _bin(value: float, edges: Sequence[float]) -> int:
    return next((j for j, edge in enumerate(edges) if value < edge), len(edges))


@dataclass(frozen=True)
class SentenceFeatures:
    """What the scorer knows of one sentence: whether it may be picked, and its feature values."""

    candidate: bool
    values: Mapping[str, float]
    vector: Mapping[str, float]  # TF-IDF over stems, for the near-duplicate check
    norm: float


def _paragraph_positions(article: Article) -> tuple[list[int], list[int]]:
    """For each sentence, the index of its paragraph and its index within that paragraph."""
    paragraph: list[int] = []
    in_paragraph: list[int] = []
    p = 0
    for start, _ in article.sentences:
        while p + 1 < len(article.paragraphs) and article.paragraphs[p][1] <= start:
            p += 1
        in_paragraph.append(in_paragraph[-1] + 1 if paragraph and paragraph[-1] == p else 0)
        paragraph.append(p)
    return paragraph, in_paragraph


def sentence_features(article: Article) -> list[SentenceFeatures]:
    """The features of every sentence of ``article``, in order (the training script uses them too)."""
    texts = [article.text[s:e] for s, e in article.sentences]
    n = len(texts)
    terms = [_terms(t) for t in texts]
    df = Counter(t for ts in terms for t in set(ts))
    idf = {t: math.log(1 + n / c) for t, c in df.items()}
    vectors = [{t: c * idf[t] for t, c in Counter(ts).items()} for ts in terms]
    norms = [_norm(v) for v in vectors]
    total: Counter[str] = Counter()
    for v in vectors:
        total.update(v)
    # Cosine to the rest of the text: a sentence's own words would make every long sentence central.
    central = []
    for v, nv in zip(vectors, norms, strict=True):
        rest = {t: w - v.get(t, 0.0) for t, w in total.items() if w - v.get(t, 0.0) > 1e-9}
        central.append(_cosine(v, nv, rest, _norm(rest)) if v and rest else 0.0)
    rank = {i: r for r, i in enumerate(sorted(range(n), key=lambda i: -central[i]))}
    paragraph, in_paragraph = _paragraph_positions(article)
    candidate = [bool(vectors[i]) and _is_candidate(t) for i, t in enumerate(texts)]
    dateline = article.lead_start > 0
    out = []
    seen_candidates = 0
    for i, text in enumerate(texts):
        words = text.split()
        lower = [w.lower().strip(_STRIP) for w in words]
        values = {
            f"pos{_bin(i, _POSITION_EDGES)}": 1.0,
            f"cpos{_bin(seen_candidates, _CANDIDATE_EDGES)}": 1.0,
            f"par{_bin(paragraph[i], _PARAGRAPH_EDGES)}": 1.0,
            f"inpar{_bin(in_paragraph[i], _IN_PARAGRAPH_EDGES)}": 1.0,
            f"len{_bin(len(words), _LENGTH_EDGES)}": 1.0,
            f"rank{_bin(rank[i], _RANK_EDGES)}": 1.0,
            f"doc{_bin(n, _SENTENCES_EDGES)}": 1.0,
            "relpos": i / max(n - 1, 1),
            "central": central[i],
            "lead_cos": _cosine(vectors[i], norms[i], vectors[0], norms[0]) if i else 0.0,
            "prev_cos": _cosine(vectors[i], norms[i], vectors[i - 1], norms[i - 1]) if i else 0.0,
            "quote_start": float(text[:1] in _OPENING_MARKS),
            "quote_marks": float(bool(_DOUBLE_MARKS.search(text))),
            "speech_tail": float(any(w.removesuffix("nya") in _SPEECH_VERBS for w in lower[-_SPEECH_TAIL_WORDS:])),
            "indirect_speech": float(bool(_INDIRECT_SPEECH.search(text))),
            "digit": float(any(c.isdigit() for c in text)),
            "weekday": float(bool(_WEEKDAY.search(text))),
            "month": float(bool(_MONTH.search(text))),
            "question": float(text.rstrip("”\"’' ").endswith("?")),
        }
        if dateline:
            values[f"dateline_pos{_bin(i, _LEAD_EDGES)}"] = 1.0
        if lower and lower[0]:
            values[f"first_{lower[0]}"] = 1.0  # only the first words the weights file lists count
        out.append(SentenceFeatures(candidate[i], values, vectors[i], norms[i]))
        seen_candidates += candidate[i]
    return out


def score(values: Mapping[str, float], weights: Mapping[str, float] = WEIGHTS) -> float:
    """The scorer's value for one sentence's features (higher: more likely in a summary)."""
    return sum(weights.get(name, 0.0) * v for name, v in values.items())


def _lead_index(article: Article) -> int | None:
    """The sentence that holds the dateline, when the release has one."""
    if article.lead_start <= 0:
        return None
    return next((i for i, (s, e) in enumerate(article.sentences) if s <= article.lead_start < e), None)


def summarize_extractive(article: Article, k: int = DEFAULT_SENTENCES,
                         weights: Mapping[str, float] = WEIGHTS) -> Summary:
    """Pick ``k`` sentences of ``article`` by the learned scorer; spans in document order."""
    feats = sentence_features(article)
    ranked = sorted((i for i, f in enumerate(feats) if f.candidate), key=lambda i: (-score(feats[i].values, weights), i))
    lead = _lead_index(article)
    if lead is not None and feats[lead].candidate:
        ranked.remove(lead)
        ranked.insert(0, lead)
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) == k:
            break
        fi = feats[i]
        if all(_cosine(fi.vector, fi.norm, feats[j].vector, feats[j].norm) < _DUPLICATE_COSINE for j in chosen):
            chosen.append(i)
    chosen.sort()
    picked: tuple[Span, ...] = tuple(article.sentences[i] for i in chosen)
    return Summary(method=METHOD, text=" ".join(article.text[s:e] for s, e in picked), sentences=picked)
