"""``ringkas summarize`` and ``ringkas translate``: inputs in, one record per document out."""

from __future__ import annotations

from typing import Any

import click

from ringkas.cli.options import build_options, is_quiet, run_options
from ringkas.cli.streams import stdin_bytes, stdout_text, terminate_on_sigterm
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
    from ringkas.io.sources import file_identity, read_inputs
    from ringkas.io.writer import RecordWriter
    from ringkas.run.pipeline import Pipeline
    from ringkas.types import Hints

    options = build_options(params, **overrides)
    # the destination is checked before any model is loaded or document read: a bad -o costs nothing
    target = None
    if output and output != "-":
        from ringkas.io.destination import output_target  # only a run with -o pays for it

        target = output_target(output)
        terminate_on_sigterm()  # `kill` removes the temporary file as Ctrl-C does
    stream = stdout_text() if target is None else None
    pipeline = Pipeline(options)
    reads_stdin = not inputs or "-" in inputs  # a closed stdin matters only when it is read
    stdin = stdin_bytes() if reads_stdin else None
    if not inputs and stdin is not None and stdin.isatty():
        raise UsageError("no input: give .txt, .html or .jsonl files, or pipe a release into stdin "
                         "(see `ringkas summarize --help`)")
    # an earlier output in an input folder is not read back as an archive of documents
    own = file_identity(target.real) if target is not None and not target.stream else None
    sources = read_inputs(inputs or ["-"], stdin=stdin, hints=Hints(date=options.date),
                          max_bytes=options.max_bytes, exclude=frozenset({own}) if own else frozenset())
    quiet = is_quiet()
    with RecordWriter(target, stream) as out:
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
