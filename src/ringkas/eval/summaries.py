"""``ringkas eval summaries``: ROUGE-1/2/L of ringkas's summaries and of lead-N on reference summaries.

DATA is JSONL, one article a line: ``text`` and ``summary`` (the reference) required, ``id`` and
``category`` optional. Each text goes through the pipeline as any release does (with translation
off), so the summary scored is the one a user gets, from whichever summarizer the options choose.
Lead-N, the first N sentences of the same cleaned text, is scored beside it as the baseline.

Scored as IndoNLG scores IndoSum: Google's ``rouge-score``, default tokenizer, no stemming, F1
averaged over articles. rouge-score comes with the eval extra and is imported only here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ringkas.errors import UsageError
from ringkas.io.jsonl import read_objects
from ringkas.text.sentences import split_paragraphs, split_sentences

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
EXTRA_HINT = "pip install 'ringkas[eval]' (or `make install`)"


@dataclass(frozen=True)
class Pair:
    """One article of the data: its text, its reference summary, and its category if any."""

    id: str
    text: str
    reference: str
    category: str | None = None


@dataclass(frozen=True)
class Scores:
    """Mean F1 (0-100) of ROUGE-1, -2 and -L over ``n`` articles."""

    rouge1: float
    rouge2: float
    rougeL: float  # noqa: N815 - rouge-score's own name for it
    n: int


@dataclass(frozen=True)
class Report:
    """Scores of each system, overall and per category, and what made ringkas's summaries."""

    systems: tuple[str, ...]  # ("ringkas", "lead-3")
    overall: dict[str, Scores]
    by_category: dict[str, dict[str, Scores]]
    methods: dict[str, int]  # summary.method -> articles
    errors: int  # articles whose record carries an error (scored as an empty summary)


def read_pairs(path: str | Path, *, max_bytes: int = 10_000_000) -> list[Pair]:
    """The articles of a JSONL file; a line without a string ``text`` and ``summary`` is a UsageError."""
    pairs = []
    with open(path, "rb") as fh:
        for line in read_objects(fh, max_bytes=max_bytes):
            where = f"{path}:{line.number}"
            if line.error is not None:
                raise UsageError(f"{where}: {line.error.message}")
            obj = line.value or {}
            text, reference = obj.get("text"), obj.get("summary")
            if not isinstance(text, str) or not isinstance(reference, str):
                raise UsageError(f"{where}: a line needs string fields 'text' and 'summary'")
            category = obj.get("category")
            pairs.append(Pair(str(obj.get("id") or line.number), text, reference,
                              str(category) if category is not None else None))
    if not pairs:
        raise UsageError(f"{path}: no articles")
    return pairs


def lead(text: str, n: int) -> str:
    """The first ``n`` sentences of a cleaned text, as ringkas splits it."""
    spans = split_sentences(text, split_paragraphs(text))
    return " ".join(text[s:e] for s, e in spans[:n])


def rouge() -> Any:
    """rouge-score's scorer as IndoNLG sets it up; a UsageError naming the extra when it is missing."""
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        raise UsageError(f"`ringkas eval summaries` needs rouge-score: {EXTRA_HINT}") from None
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=False)


def _mean(rows: Sequence[tuple[float, float, float]]) -> Scores:
    n = len(rows)
    r1, r2, rl = (100 * sum(r[j] for r in rows) / n for j in range(3))
    return Scores(r1, r2, rl, n=n)


def score(pairs: Sequence[Pair], records: Iterable[dict], *, sentences: int) -> Report:
    """Score the records made from ``pairs`` (same order) and lead-N of their texts."""
    scorer = rouge()
    systems = ("ringkas", f"lead-{sentences}")
    rows: dict[str, dict[str, list[tuple[float, float, float]]]] = defaultdict(lambda: defaultdict(list))
    methods: dict[str, int] = defaultdict(int)
    errors = 0
    for pair, record in zip(pairs, records, strict=True):
        if record.get("error"):
            errors += 1
        summary = record.get("summary") or {}
        methods[summary.get("method") or "none"] += 1
        outputs = (summary.get("id") or "", lead(record.get("text") or "", sentences))
        for system, output in zip(systems, outputs, strict=True):
            result = scorer.score(pair.reference, output)
            f1 = (result["rouge1"].fmeasure, result["rouge2"].fmeasure, result["rougeL"].fmeasure)
            rows[system][""].append(f1)
            if pair.category is not None:
                rows[system][pair.category].append(f1)
    overall = {s: _mean(rows[s][""]) for s in systems}
    categories = sorted({c for s in systems for c in rows[s] if c})
    by_category = {c: {s: _mean(rows[s][c]) for s in systems} for c in categories}
    return Report(systems, overall, by_category, dict(methods), errors)


def sources(pairs: Sequence[Pair], max_bytes: int) -> Iterator[Any]:
    """The articles as pipeline Sources, ids kept."""
    from ringkas.io.sources import source_from_text

    for pair in pairs:
        yield source_from_text(pair.text, pair.id, doc_id=pair.id, max_bytes=max_bytes)


def report_lines(report: Report) -> list[str]:
    """The report as an aligned table: overall first, then one block per category."""
    lines = [f"{'':16}{'system':<10}{'R-1':>7}{'R-2':>7}{'R-L':>7}{'articles':>10}"]
    blocks = [("all", report.overall), *report.by_category.items()]
    for name, scores in blocks:
        for system in report.systems:
            s = scores[system]
            lines.append(f"{name:<16}{system:<10}{s.rouge1:7.2f}{s.rouge2:7.2f}{s.rougeL:7.2f}{s.n:10d}")
    made = ", ".join(f"{m} ({n})" for m, n in sorted(report.methods.items()))
    lines.append(f"summaries by: {made}" + (f"; {report.errors} articles failed" if report.errors else ""))
    return lines


def report_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    def as_dict(scores: dict[str, Scores]) -> dict[str, Any]:
        return {s: {"rouge1": v.rouge1, "rouge2": v.rouge2, "rougeL": v.rougeL, "n": v.n} for s, v in scores.items()}

    return {"overall": as_dict(report.overall),
            "by_category": {c: as_dict(v) for c, v in report.by_category.items()},
            "methods": report.methods, "errors": report.errors}
