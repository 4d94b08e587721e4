"""The command line. It only parses arguments, calls the library and maps errors to exit codes.

Each subcommand is a pair: ``_add_NAME(subparsers)`` declares it and sets ``handler``; the handler
takes the parsed arguments and an ``Env`` (the streams, injectable for tests) and returns an exit
status.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

from . import __version__
from .errors import ExitStatus, RingkasError, UsageError

EPILOG_SUMMARIZE = """examples:
  ringkas summarize samples/kabupaten-tulungagung-posyandu.txt
  ringkas summarize --no-translate --sentences 2 release.html -o out.jsonl
  cat archive.jsonl | ringkas summarize - > records.jsonl
  ringkas summarize --translator opus-mt-id-en --date 2023-02-15 release.txt
"""


@dataclass
class Env:
    """The process's streams; tests pass their own."""

    stdin: BinaryIO = field(default_factory=lambda: sys.stdin.buffer)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)


def _size(text: str) -> int:
    """A byte count with an optional k/M/G suffix ("2M", "500k")."""
    units = {"k": 10**3, "m": 10**6, "g": 10**9}
    try:
        if text[-1:].lower() in units:
            return int(float(text[:-1]) * units[text[-1].lower()])
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 2000000, 500k, 2M)") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _add_run_options(p: argparse.ArgumentParser, *, translate_flag: bool = True) -> None:
    """Options shared by summarize, translate and batch."""
    p.add_argument("--sentences", type=_positive, default=3, metavar="N", help="sentences in the extractive summary (3)")
    if translate_flag:
        p.add_argument("--no-translate", action="store_true", help="skip the English translation")
    p.add_argument("--translator", metavar="NAME|DIR", help="translation model: a catalog name or a local folder")
    p.add_argument("--summarizer", default="extractive", metavar="extractive|NAME|DIR",
                   help="summary method: extractive (default) or a seq2seq model")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"], help="where models run (auto)")
    p.add_argument("--backend", default="transformers", choices=["transformers", "ct2"],
                   help="inference backend for models (transformers)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date hint: gives the year to dates written without one")
    p.add_argument("--max-bytes", type=_size, default="2M", metavar="SIZE", help="skip larger documents (2M)")


def _options(args: argparse.Namespace, **overrides: object):
    from .pipeline import Options

    values = {
        "sentences": args.sentences, "translate": not getattr(args, "no_translate", False),
        "translator": args.translator, "summarizer": args.summarizer, "device": args.device,
        "backend": args.backend, "date": args.date, "max_bytes": args.max_bytes,
    }
    values.update(overrides)
    return Options(**values)


def _report(record: dict, env: Env, quiet: bool) -> None:
    """Warnings and errors of one record on stderr (stdout carries data only)."""
    where = record.get("source") or record.get("id")
    if record.get("error"):
        print(f"ringkas: {where}: error: {record['error']['message']}", file=env.stderr)
    elif not quiet:
        for warning in record.get("warnings") or ():
            print(f"ringkas: {where}: {warning}", file=env.stderr)


def _run_records(args: argparse.Namespace, env: Env, **overrides: object) -> int:
    from .pipeline import Pipeline
    from .sink import RecordWriter
    from .sources import read_inputs
    from .types import Hints

    options = _options(args, **overrides)
    pipeline = Pipeline(options)
    inputs = args.inputs or ["-"]
    sources = read_inputs(inputs, stdin=env.stdin, hints=Hints(date=options.date), max_bytes=options.max_bytes)
    with RecordWriter(args.output, env.stdout) as out:
        for record in pipeline.run(sources):
            out.write(record)
            _report(record, env, args.quiet)
    return ExitStatus.SOME_FAILED if out.failed else ExitStatus.OK


def _add_summarize(sub) -> None:
    p = sub.add_parser("summarize", help="process releases into records (the main job)",
                       description="Clean, date, quote-attribute, summarise and (with a model) translate "
                                   "Indonesian press releases; one JSON record per document on stdout.",
                       epilog=EPILOG_SUMMARIZE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="*", metavar="INPUT", help=".txt, .html or .jsonl files, or - for stdin (default)")
    p.add_argument("-o", "--output", metavar="FILE", help="write records to FILE (atomically) instead of stdout")
    _add_run_options(p)
    p.set_defaults(handler=lambda args, env: _run_records(args, env))


def _add_translate(sub) -> None:
    p = sub.add_parser("translate", help="like summarize, but a translator is required",
                       description="The same records as summarize, with the English translation required: "
                                   "exits 2 when no translator can be loaded.")
    p.add_argument("inputs", nargs="*", metavar="INPUT")
    p.add_argument("-o", "--output", metavar="FILE")
    _add_run_options(p, translate_flag=False)
    p.set_defaults(handler=lambda args, env: _run_records(args, env, translate=True, require_translation=True))


def _run_render(args: argparse.Namespace, env: Env) -> int:
    from . import render

    if args.records == "-":
        records = render.parse_records(env.stdin.read(), "-")
    else:
        from pathlib import Path

        records = render.read_records(Path(args.records))
    if args.output:
        from pathlib import Path

        render.write_page(Path(args.output), render.render_records(records))
        if not args.quiet:
            print(f"ringkas: wrote {args.output} ({len(records)} records)", file=env.stderr)
    else:
        env.stdout.write(render.render_records(records))
    return ExitStatus.OK


def _add_render(sub) -> None:
    p = sub.add_parser("render", help="an HTML review page of records, for editors",
                       description="One self-contained HTML page (no scripts, no network): each record's "
                                   "metadata, summary, quotes highlighted by speaker, and the translation "
                                   "beside the original. Malformed lines show as error sections.",
                       epilog="example:\n  ringkas summarize samples/*.txt -o records.jsonl\n"
                              "  ringkas render records.jsonl -o review.html",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("records", metavar="RECORDS.jsonl", help="records from ringkas summarize, or - for stdin")
    p.add_argument("-o", "--output", metavar="FILE", help="write the page to FILE (atomically) instead of stdout")
    p.set_defaults(handler=_run_render)


COMMANDS = [_add_summarize, _add_translate, _add_render]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="ringkas",
        description="Indonesian press releases to structured, bilingual JSON records.",
        epilog="Run `ringkas COMMAND --help` for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"ringkas {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no warnings on stderr, only errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None, env: Env | None = None) -> int:
    """Entry point of the ``ringkas`` command; returns the exit status."""
    env = env or Env()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on a usage error and 0 for --help/--version
        return int(exc.code or 0)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, stream=env.stderr,
                        format="ringkas: %(message)s")
    if args.command is None:
        parser.print_help(env.stderr)
        return ExitStatus.USAGE
    args.quiet = getattr(args, "quiet", False)
    try:
        return int(args.handler(args, env))
    except UsageError as exc:
        print(f"ringkas: error: {exc}", file=env.stderr)
        return ExitStatus.USAGE
    except RingkasError as exc:  # a model that cannot be loaded, a store that cannot be read
        print(f"ringkas: error: {exc}", file=env.stderr)
        return ExitStatus.USAGE
    except KeyboardInterrupt:
        print("ringkas: interrupted", file=env.stderr)
        return 130
    except BrokenPipeError:  # `ringkas summarize ... | head` closing the pipe early is not an error
        return ExitStatus.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
