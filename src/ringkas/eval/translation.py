"""``ringkas eval translation``: chrF and BLEU of a translator on a parallel pair of files.

SOURCES and REFERENCES are plain text, one segment a line, line N of one the translation of line N
of the other (FLORES-200 devtest ``ind_Latn`` and ``eng_Latn``, for example). Each source line is
translated as the translation stage translates a sentence: cut at clause boundaries when it is
longer than the model's input, every piece translated once, all lines in one batched call.

Scored with ``sacrebleu`` (corpus chrF and BLEU, its default settings), which comes with the eval
extra and is imported only here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ringkas.errors import UsageError
from ringkas.eval.summaries import EXTRA_HINT


@dataclass(frozen=True)
class TranslationScores:
    """Corpus chrF and BLEU of one translator over ``n`` segments, with sacrebleu's signatures."""

    model: str
    chrf: float
    bleu: float
    n: int
    chrf_signature: str
    bleu_signature: str


def _lines(path: str | Path) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return text.splitlines()


def read_parallel(sources: str | Path, references: str | Path, *, limit: int | None = None) -> tuple[list[str], list[str]]:
    """The aligned lines of two files (the first ``limit`` only); a UsageError when they do not align."""
    src, ref = _lines(sources), _lines(references)
    if len(src) != len(ref):
        raise UsageError(f"{sources} has {len(src)} lines but {references} has {len(ref)}: they must align line by line")
    if not src:
        raise UsageError(f"{sources}: no lines")
    if limit is not None:
        src, ref = src[:limit], ref[:limit]
    return src, ref


def translate_lines(lines: Sequence[str], model: Any) -> list[str]:
    """The English of each line, through the model as the translation stage uses it (empty stays empty)."""
    from ringkas.models.translate import ModelSegments, SegmentTranslator

    translator = model if isinstance(model, SegmentTranslator) else ModelSegments(model)
    todo = [i for i, line in enumerate(lines) if line.strip()]
    english = translator.translate([lines[i].strip() for i in todo]) if todo else []
    out = [""] * len(lines)
    for i, text in zip(todo, english, strict=True):
        out[i] = text
    return out


def sacrebleu_module() -> Any:
    """The sacrebleu module; a UsageError naming the extra when it is missing."""
    try:
        import sacrebleu
    except ImportError:
        raise UsageError(f"`ringkas eval translation` needs sacrebleu: {EXTRA_HINT}") from None
    return sacrebleu


def score(hypotheses: Sequence[str], references: Sequence[str], model: str) -> TranslationScores:
    """Corpus chrF and BLEU of ``hypotheses`` against one reference each."""
    sacrebleu = sacrebleu_module()
    refs = [list(references)]
    chrf_metric, bleu_metric = sacrebleu.CHRF(), sacrebleu.BLEU()
    chrf = chrf_metric.corpus_score(list(hypotheses), refs)
    bleu = bleu_metric.corpus_score(list(hypotheses), refs)
    return TranslationScores(model, chrf.score, bleu.score, len(hypotheses),
                             str(chrf_metric.get_signature()), str(bleu_metric.get_signature()))


def report_lines(scores: TranslationScores) -> list[str]:
    """The scores as a few readable lines."""
    return [f"model    {scores.model}",
            f"segments {scores.n}",
            f"chrF     {scores.chrf:.2f}   ({scores.chrf_signature})",
            f"BLEU     {scores.bleu:.2f}   ({scores.bleu_signature})"]


def report_json(scores: TranslationScores) -> dict[str, Any]:
    """The scores as a JSON-ready dict."""
    return {"model": scores.model, "segments": scores.n, "chrf": scores.chrf, "bleu": scores.bleu,
            "chrf_signature": scores.chrf_signature, "bleu_signature": scores.bleu_signature}
