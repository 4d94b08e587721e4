"""``ringkas summarize`` and ``ringkas translate``: inputs in, one record per document out."""

from __future__ import annotations

from typing import Any

import click

from ringkas.cli.options import build_options, is_quiet, run_options
from ringkas.cli.streams import stdin_bytes, stdout_text
from ringkas.errors import ExitStatus, UsageError

SUMMARIZE_EPILOG = """\b
Examples:
  ringkas summarize samples/kabupaten-tulungagung-posyandu.txt
  ringkas summarize --no-translate --sentences 2 release.html -o out.jsonl
  cat archive.jsonl | ringkas summarize - > records.jsonl
  ringkas summarize --translator opus-mt-id-en --date 2023-02-15 release.txt
"""

TRANSLATE_EPILOG = """\b
Examples:
  ringkas translate samples/kabupaten-tulungagung-posyandu.txt
  ringkas translate --translator nllb-200-distilled-600M release.txt -o out.jsonl
  ringkas translate --translator ./my-marian-folder --backend ct2 --device cuda release.txt
  cat archive.jsonl | ringkas translate - > records.jsonl
"""

_inputs = click.argument("inputs", nargs=-1, metavar="[INPUT]...")
_output = click.option("-o", "--output", metavar="FILE",
                       help="Write records to FILE (atomically) instead of stdout.")


@click.command(short_help="Process releases into records (the main job).", epilog=SUMMARIZE_EPILOG)
@_inputs
@_output
@run_options()
def summarize(inputs: tuple[str, ...], output: str | None, **params: Any) -> None:
    """Clean, date, quote-attribute, summarise and (with a model) translate Indonesian press releases.

    INPUTs are .txt, .html or .jsonl files, or - for stdin (the default); one JSON record per
    document goes to stdout. Exit 1 when some records carry an error (they are still written).
    """
    click.get_current_context().exit(run_records(inputs, output, params))


@click.command(short_help="Like summarize, but a translator is required.", epilog=TRANSLATE_EPILOG)
@_inputs
@_output
@run_options(translate_flag=False)
def translate(inputs: tuple[str, ...], output: str | None, **params: Any) -> None:
    """The same records as summarize, with the English translation required.

    Exits 2 when no translator can be loaded (none installed, or --translator names a broken one).
    """
    click.get_current_context().exit(run_records(inputs, output, params, translate=True,
                                                 require_translation=True))


def run_records(inputs: tuple[str, ...], output: str | None, params: dict[str, Any], **overrides: Any) -> int:
    """Run the pipeline over the inputs into stdout or ``output``; returns the exit status."""
    from ringkas.io.sources import read_inputs
    from ringkas.io.writer import RecordWriter
    from ringkas.run.pipeline import Pipeline
    from ringkas.types import Hints

    options = build_options(params, **overrides)
    pipeline = Pipeline(options)
    stdin = stdin_bytes()
    if not inputs and stdin.isatty():
        raise UsageError("no input: give .txt, .html or .jsonl files, or pipe a release into stdin "
                         "(see `ringkas summarize --help`)")
    sources = read_inputs(inputs or ["-"], stdin=stdin, hints=Hints(date=options.date),
                          max_bytes=options.max_bytes)
    quiet = is_quiet()
    with RecordWriter(output, stdout_text()) as out:
        for record in pipeline.run(sources):
            out.write(record)
            report(record, quiet)
    return ExitStatus.SOME_FAILED if out.failed else ExitStatus.OK


def report(record: dict, quiet: bool) -> None:
    """Warnings and errors of one record on stderr (stdout carries data only)."""
    where = record.get("source") or record.get("id")
    if record.get("error"):
        click.echo(f"ringkas: {where}: error: {record['error']['message']}", err=True)
    elif not quiet:
        for warning in record.get("warnings") or ():
            click.echo(f"ringkas: {where}: {warning}", err=True)
