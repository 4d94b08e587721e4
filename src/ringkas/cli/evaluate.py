"""``ringkas eval``: quality on annotated data (quotes on PFSA-ID, summaries with ROUGE, translation with chrF/BLEU)."""

from __future__ import annotations

import click

from ringkas.cli.options import POSITIVE

EPILOG = """\b
Examples:
  ringkas eval pfsa ../shared/data/pfsa-id/dev.txt
  ringkas eval summaries ../shared/data/indosum/dev.jsonl
  ringkas eval translation flores/devtest.ind_Latn flores/devtest.eng_Latn --translator nllb-200-distilled-600M
"""

PFSA_EPILOG = """\b
Examples:
  ringkas eval pfsa ../shared/data/pfsa-id/dev.txt
  ringkas eval pfsa dev.txt --errors 20      # the first 20 mistakes, then the scores
"""

SUMMARIES_EPILOG = """\b
Examples:
  ringkas eval summaries ../shared/data/indosum/dev.jsonl
  ringkas eval summaries articles.jsonl --summarizer indonanot5-indosum --device cuda
  ringkas eval summaries articles.jsonl --summarizer extractive --limit 200 --json
"""

TRANSLATION_EPILOG = """\b
Examples:
  ringkas eval translation devtest.ind_Latn devtest.eng_Latn
  ringkas eval translation devtest.ind_Latn devtest.eng_Latn --translator nllb-200-distilled-600M
  ringkas eval translation src.txt ref.txt --translator opus-mt-id-en --backend ct2 --json
"""

_device = click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
                       help="Where models run.")
_backend = click.option("--backend", type=click.Choice(["transformers", "ct2"]), default="transformers",
                        show_default=True, help="Inference backend for models.")
_limit = click.option("--limit", type=POSITIVE, metavar="N", help="Score only the first N articles or lines.")
_json = click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout instead of a table.")


def _echo_json(obj: object) -> None:
    import json

    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


@click.group("eval", short_help="Measure quality on annotated data.", epilog=EPILOG)
def evaluate() -> None:
    """Score quotes, summaries and translations on annotated data (summaries and translation need
    the eval extra: pip install 'ringkas[eval]')."""


@evaluate.command(short_help="PFSA-ID: direct-quote P/R/F1 and speaker accuracy.", epilog=PFSA_EPILOG)
@click.argument("path", metavar="PATH", type=click.Path(exists=True, dir_okay=False))
@click.option("--errors", type=click.IntRange(min=0), default=0, metavar="N", help="Print up to N mistakes first.")
def pfsa(path: str, errors: int) -> None:
    """Score quotes and speakers on PATH, a PFSA-ID file (Indonesian quote attribution).

    Direct-quote precision, recall and F1, and speaker accuracy, against the corpus's gold labels.
    """
    from ringkas.eval.pfsa import report

    for line in report(path, max_errors=errors):
        click.echo(line)


@evaluate.command(short_help="ROUGE-1/2/L of ringkas's summaries and of lead-N.", epilog=SUMMARIES_EPILOG)
@click.argument("data", metavar="DATA.jsonl", type=click.Path(exists=True, dir_okay=False))
@click.option("--summarizer", default="auto", show_default=True, metavar="auto|extractive|NAME|DIR",
              help="Summary method, as for `ringkas summarize`.")
@click.option("--sentences", type=POSITIVE, default=3, show_default=True, metavar="N",
              help="Sentences of the extractive summary and of the lead baseline.")
@_device
@_backend
@_limit
@_json
def summaries(data: str, summarizer: str, sentences: int, device: str, backend: str, limit: int | None,
              as_json: bool) -> None:
    """Score summaries on DATA.jsonl: one article a line, "text" and "summary" (the reference), with
    "category" optional (then the scores are given per category too).

    Each text goes through the pipeline as a release does, translation off. ROUGE F1 by Google's
    rouge-score (default tokenizer, no stemming), averaged over articles, for ringkas and for the
    first N sentences of the same cleaned text (lead-N).
    """
    from ringkas.eval import summaries as evaluation
    from ringkas.run.pipeline import Options, Pipeline

    pairs = evaluation.read_pairs(data)[:limit]
    evaluation.rouge()  # without rouge-score, fail before any model loads
    options = Options(sentences=sentences, translate=False, summarizer=summarizer, device=device, backend=backend)
    records = Pipeline(options).run(evaluation.sources(pairs, options.max_bytes))
    report = evaluation.score(pairs, records, sentences=sentences)
    if as_json:
        _echo_json(evaluation.report_json(report))
    else:
        for line in evaluation.report_lines(report):
            click.echo(line)


@evaluate.command(short_help="chrF and BLEU of a translator on a parallel pair of files.", epilog=TRANSLATION_EPILOG)
@click.argument("sources", metavar="SOURCES", type=click.Path(exists=True, dir_okay=False))
@click.argument("references", metavar="REFERENCES", type=click.Path(exists=True, dir_okay=False))
@click.option("--translator", metavar="NAME|DIR", help="Translation model: a catalog name or a folder "
              "(default: the catalog's default translator, when installed).")
@_device
@_backend
@_limit
@_json
def translation(sources: str, references: str, translator: str | None, device: str, backend: str,
                limit: int | None, as_json: bool) -> None:
    """Score a translator on SOURCES (Indonesian, one segment a line) against REFERENCES (English,
    line by line), e.g. FLORES-200 devtest ind_Latn and eng_Latn.

    Corpus chrF and BLEU by sacrebleu (default settings); the signatures are printed with them.
    """
    from ringkas.errors import ModelError
    from ringkas.eval import translation as evaluation
    from ringkas.models.catalog import default_translator

    src, ref = evaluation.read_parallel(sources, references, limit=limit)
    evaluation.sacrebleu_module()  # without sacrebleu, fail before the model loads
    target = translator or default_translator()
    if target is None:
        raise ModelError("no translator is installed: run `ringkas models pull opus-mt-id-en`, or pass --translator DIR")
    from ringkas.models.loader import load_model

    model = load_model(target, task="translation", device=device, backend=backend)
    scores = evaluation.score(evaluation.translate_lines(src, model), ref, model.id)
    if as_json:
        _echo_json(evaluation.report_json(scores))
    else:
        for line in evaluation.report_lines(scores):
            click.echo(line)
