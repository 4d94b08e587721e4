"""``ringkas eval CORPUS PATH``: the quote extractor scored on an annotated corpus."""

from __future__ import annotations

import click

PFSA_EPILOG = """\b
Examples:
  ringkas eval pfsa ../shared/data/pfsa-id/dev.txt
  ringkas eval pfsa dev.txt --errors 20      # the first 20 mistakes, then the scores
"""


@click.group("eval", short_help="Measure quality on an annotated corpus.", epilog=PFSA_EPILOG)
def evaluate() -> None:
    """Score the quote extractor on an annotated corpus."""


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
