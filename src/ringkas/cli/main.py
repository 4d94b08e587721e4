"""The command line. It only parses arguments, calls the library and maps errors to exit codes.

Each subcommand is a pair: ``_add_NAME(subparsers)`` declares it and sets ``handler``; the handler
takes the parsed arguments and an ``Env`` (the streams, injectable for tests) and returns an exit
status.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

from ringkas import __version__
from ringkas.errors import ExitStatus, RingkasError, UsageError

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
    # Also accepted after the subcommand; SUPPRESS keeps a -q given before it from being reset.
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="no warnings on stderr, only errors")
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
    from ringkas.run.pipeline import Options

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
    from ringkas.run.pipeline import Pipeline
    from ringkas.io.writer import RecordWriter
    from ringkas.io.sources import read_inputs
    from ringkas.types import Hints

    options = _options(args, **overrides)
    pipeline = Pipeline(options)
    inputs = args.inputs or ["-"]
    if not args.inputs and getattr(env.stdin, "isatty", lambda: False)():
        raise UsageError("no input: give .txt, .html or .jsonl files, or pipe a release into stdin "
                         "(see `ringkas summarize --help`)")
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
    from ringkas.review import render

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


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB" if size else "-"


def _run_models_list(args: argparse.Namespace, env: Env) -> int:
    import json

    from ringkas.models import catalog

    statuses = catalog.list_models()
    if args.json:
        for s in statuses:
            e = s.entry
            print(json.dumps({"name": e.name, "task": e.task, "installed": s.installed, "size_bytes": s.size_bytes,
                              "licence": e.licence, "repo": e.repo, "revision": s.commit or e.commit or e.revision,
                              "default": e.default, "path": str(s.path)}), file=env.stdout)
        return ExitStatus.OK
    print(f"store: {catalog.store_root()}", file=env.stderr)
    rows = [("NAME", "TASK", "INSTALLED", "SIZE", "LICENCE", "REPOSITORY")]
    for s in statuses:
        e = s.entry
        name = e.name + (" *" if e.default else "")
        size = _megabytes(s.size_bytes) if s.installed else f"~{e.size_mb or '?'} MB"
        rows.append((name, e.task, "yes" if s.installed else "no", size, e.licence,
                     f"{e.repo}@{(s.commit or e.commit or e.revision)[:12]}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1], file=env.stdout)
    print("* default for its task. Read each model's licence before use; `ringkas models pull NAME` "
          "fetches one.", file=env.stderr)
    return ExitStatus.OK


def _run_models_pull(args: argparse.Namespace, env: Env) -> int:
    from ringkas.models import catalog

    for name in args.names:
        ref = catalog.pull(name, progress=not args.quiet,
                           log=lambda msg: None if args.quiet else print(f"ringkas: {msg}", file=env.stderr))
        print(f"{ref.name}\t{ref.revision}\t{ref.path}", file=env.stdout)
    return ExitStatus.OK


def _run_models_verify(args: argparse.Namespace, env: Env) -> int:
    from ringkas.models import catalog

    status = ExitStatus.OK
    for ref in args.refs:
        report = catalog.verify(ref)
        print(f"{report.path}: {'ok' if report.ok else 'BROKEN'} ({report.checked_files} checksums checked)",
              file=env.stdout)
        for problem in report.problems:
            print(f"ringkas: {ref}: {problem}", file=env.stderr)
        if not report.ok:
            status = ExitStatus.SOME_FAILED
    return status


def _add_models(sub) -> None:
    p = sub.add_parser("models", help="list, pull and verify the local translation/summary models",
                       description="The model store: models/ of the checkout, or $RINGKAS_MODELS. `pull` is the "
                                   "only ringkas command that uses the network.",
                       epilog="examples:\n  ringkas models list\n  ringkas models pull opus-mt-id-en\n"
                              "  ringkas models verify opus-mt-id-en ./my-model-folder",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    msub = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    ls = msub.add_parser("list", help="catalog models, installed or not, size and licence")
    ls.add_argument("--json", action="store_true", help="one JSON object per model on stdout")
    ls.set_defaults(handler=_run_models_list)
    pull = msub.add_parser("pull", help="download catalog models at their pinned revision (safetensors only)")
    pull.add_argument("names", nargs="+", metavar="NAME")
    pull.set_defaults(handler=_run_models_pull)
    verify = msub.add_parser("verify", help="check installed models or model folders (exit 1 when broken)")
    verify.add_argument("refs", nargs="+", metavar="NAME|DIR")
    verify.set_defaults(handler=_run_models_verify)
    convert = msub.add_parser("convert", help="convert models for --backend ct2 (CTranslate2, int8 by default)",
                              description="Writes <model folder>/ct2-QUANTIZATION/ with CTranslate2's converter.")
    convert.add_argument("refs", nargs="+", metavar="NAME|DIR")
    convert.add_argument("--quantization", default="int8", metavar="TYPE",
                         help="int8 (default), int8_float16, float16, bfloat16, float32, ...")
    convert.add_argument("--force", action="store_true", help="convert again even when a conversion exists")
    convert.set_defaults(handler=_run_models_convert)


def _run_models_convert(args: argparse.Namespace, env: Env) -> int:
    from ringkas.models.ct2 import convert

    for ref in args.refs:
        print(convert(ref, quantization=args.quantization, force=args.force), file=env.stdout)
    return ExitStatus.OK


def _add_batch(sub) -> None:
    p = sub.add_parser(
        "batch", help="process a whole archive into one JSONL file: resumable, parallel, or on Ray",
        description="Process folders, globs and JSONL archives into OUT, one record per document in input\n"
                    "order. OUT is appended to line by line, so an interrupted run keeps every whole record:\n"
                    "run the same command with --resume to go on where it stopped. An existing OUT without\n"
                    "--resume is an error (exit 2), never overwritten. Exit 1 when any record in OUT carries\n"
                    "an error.",
        epilog="examples:\n  ringkas batch archive/ -o records.jsonl --no-translate\n"
               "  ringkas batch archive/ -o records.jsonl --resume --workers 8\n"
               "  RAY_ADDRESS=auto ringkas batch /shared/archive -o records.jsonl --engine ray --workers 16\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="SOURCE",
                   help="folders (walked for .txt, .html, .jsonl), globs, files, JSONL archives")
    p.add_argument("-o", "--output", required=True, metavar="OUT.jsonl",
                   help="where the records go; must not exist unless --resume")
    p.add_argument("--resume", action="store_true",
                   help="continue OUT: skip documents whose id it holds, cut a torn last line (OUT may be absent)")
    p.add_argument("--workers", type=_positive, metavar="N",
                   help="parallel workers, one model each (default: the cores; 1 runs in this process)")
    p.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="local processes (default) or Ray Data (local instance, or the cluster at RAY_ADDRESS)")
    p.add_argument("--progress", action="store_true", help="show the progress bar even when stderr is not a terminal")
    _add_run_options(p)

    def handler(args: argparse.Namespace, env: Env) -> int:
        from ringkas.run.batch import BatchConfig, run_batch

        config = BatchConfig(inputs=tuple(args.inputs), output=args.output, options=_options(args),
                             resume=args.resume, workers=args.workers, engine=args.engine,
                             progress=True if args.progress else None, quiet=args.quiet)
        return run_batch(config, env.stderr)

    p.set_defaults(handler=handler)


def _default_pfsa() -> str:
    from pathlib import Path

    # ../shared next to the checkout holds the team's copy of the corpus (never the project's).
    return str(Path(__file__).resolve().parents[3] / "shared" / "data" / "pfsa-id" / "dev.txt")


def _run_eval(args: argparse.Namespace, env: Env) -> int:
    import os

    from ringkas.eval.pfsa import report

    if not os.path.exists(args.path):
        raise UsageError(f"no PFSA-ID file at {args.path}")
    for line in report(args.path, max_errors=args.errors):
        print(line, file=env.stdout)
    return ExitStatus.OK


def _add_eval(sub) -> None:
    p = sub.add_parser("eval", help="measure quality on an annotated corpus",
                       description="Score the quote extractor on an annotated corpus.")
    corpora = p.add_subparsers(dest="corpus", metavar="CORPUS", required=True)
    pfsa = corpora.add_parser("pfsa", help="PFSA-ID (Indonesian quote attribution): direct-quote P/R/F1 "
                                           "and speaker accuracy")
    pfsa.add_argument("path", nargs="?", default=_default_pfsa(), metavar="PATH",
                      help="a PFSA-ID file (default: ../shared/data/pfsa-id/dev.txt)")
    pfsa.add_argument("--errors", type=int, default=0, metavar="N", help="print up to N mistakes first")
    pfsa.set_defaults(handler=_run_eval)


COMMANDS = {"summarize": _add_summarize, "translate": _add_translate, "render": _add_render,
            "models": _add_models, "batch": _add_batch, "eval": _add_eval}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand, or with just ``only`` (start-up time counts)."""
    parser = argparse.ArgumentParser(
        prog="ringkas",
        description="Indonesian press releases to structured, bilingual JSON records.",
        epilog="Run `ringkas COMMAND --help` for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"ringkas {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no warnings on stderr, only errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in COMMANDS.items():
        if only is None or name == only:
            add(sub)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (its first word that is not an option), if it is one."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in COMMANDS else None


def main(argv: list[str] | None = None, env: Env | None = None) -> int:
    """Entry point of the ``ringkas`` command; returns the exit status."""
    env = env or Env()
    argv = sys.argv[1:] if argv is None else argv
    # Declaring one subcommand instead of all saves a noticeable share of a one-document run.
    parser = build_parser(_command_in(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on a usage error and 0 for --help/--version
        return int(exc.code or 0)
    if args.verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG, stream=env.stderr, format="ringkas: %(message)s")
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
