"""``ringkas batch``: a whole archive into one JSONL file; resumable, parallel, or on Ray."""

from __future__ import annotations

from typing import Any

import click

from ringkas.cli.options import POSITIVE, build_options, is_quiet, run_options
from ringkas.cli.streams import stderr_text, terminate_on_sigterm

EPILOG = """\b
Examples:
  ringkas batch archive/ -o records.jsonl --no-translate
  ringkas batch archive/ -o records.jsonl --resume --workers 8
  RAY_ADDRESS=auto ringkas batch /shared/archive -o records.jsonl --engine ray --workers 16
"""


@click.command(short_help="A whole archive into one JSONL file: resumable, parallel, Ray.",
               epilog=EPILOG)
@click.argument("inputs", nargs=-1, required=True, metavar="SOURCE...")
@click.option("-o", "--output", required=True, metavar="OUT.jsonl",
              help="Where the records go; must not exist unless --resume.")
@click.option("--resume", is_flag=True,
              help="Continue OUT: skip documents whose id it holds, cut a torn last line (OUT may be absent).")
@click.option("--workers", type=POSITIVE, metavar="N",
              help="Parallel workers, one model each (default: the cores; 1 runs in this process).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Local processes, or Ray Data (a local instance, or the cluster at RAY_ADDRESS).")
@click.option("--progress", is_flag=True, help="Show the progress bar even when stderr is not a terminal.")
@run_options()
def batch(inputs: tuple[str, ...], output: str, resume: bool, workers: int | None, engine: str, progress: bool,
          **params: Any) -> None:
    """Process folders, globs and JSONL archives into OUT, one record per document in input order.

    SOURCEs are folders (walked for .txt, .html, .jsonl), globs, files and JSONL archives. OUT is
    appended to line by line, so an interrupted run keeps every whole record: run the same command
    with --resume to go on where it stopped. An existing OUT without --resume is an error (exit 2),
    never overwritten. Exit 1 when any record in OUT carries an error.
    """
    from ringkas.run.batch import BatchConfig, run_batch

    terminate_on_sigterm()  # `kill` stops it as Ctrl-C does: whole lines kept, the summary line printed
    config = BatchConfig(inputs=inputs, output=output, options=build_options(params), resume=resume,
                         workers=workers, engine=engine, progress=True if progress else None, quiet=is_quiet())
    click.get_current_context().exit(run_batch(config, stderr_text()))
