"""``ringkas models list|pull|verify|convert``: the local store of translation and summary models."""

from __future__ import annotations

import click

from ringkas.cli.options import is_quiet, quiet_option
from ringkas.errors import ExitStatus

EPILOG = """\b
Examples:
  ringkas models list
  ringkas models pull opus-mt-id-en
  ringkas models verify opus-mt-id-en ./my-model-folder
  ringkas models convert opus-mt-id-en
"""


@click.group(short_help="List, pull, verify and convert the local models.", epilog=EPILOG)
def models() -> None:
    """The model store: models/ of the checkout, or $RINGKAS_MODELS.

    `pull` is the only ringkas command that uses the network.
    """


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB" if size else "-"


@models.command("list", epilog="\b\nExamples:\n  ringkas models list\n  ringkas models list --json | jq .name\n")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per model on stdout.")
def list_models(as_json: bool) -> None:
    """Catalog models, installed or not, with size and licence."""
    import json

    from ringkas.models import catalog

    statuses = catalog.list_models()
    if as_json:
        for s in statuses:
            e = s.entry
            click.echo(json.dumps({"name": e.name, "task": e.task, "installed": s.installed,
                                   "size_bytes": s.size_bytes, "licence": e.licence, "repo": e.repo,
                                   "revision": s.commit or e.commit or e.revision, "default": e.default,
                                   "path": str(s.path)}))
        return
    click.echo(f"store: {catalog.store_root()}", err=True)
    rows = [("NAME", "TASK", "INSTALLED", "SIZE", "LICENCE", "REPOSITORY")]
    for s in statuses:
        e = s.entry
        name = e.name + (" *" if e.default else "")
        size = _megabytes(s.size_bytes) if s.installed else f"~{e.size_mb or '?'} MB"
        rows.append((name, e.task, "yes" if s.installed else "no", size, e.licence,
                     f"{e.repo}@{(s.commit or e.commit or e.revision)[:12]}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1])
    click.echo("* default for its task. Read each model's licence before use; `ringkas models pull NAME` "
               "fetches one.", err=True)


@models.command(short_help="Download catalog models at their pinned revision.",
                epilog="\b\nExamples:\n  ringkas models pull opus-mt-id-en\n"
                       "  RINGKAS_MODELS=/shared/models ringkas models pull nllb-200-distilled-600M\n")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@quiet_option
def pull(names: tuple[str, ...]) -> None:
    """Download catalog models at their pinned revision (safetensors only)."""
    from ringkas.models import catalog

    quiet = is_quiet()
    for name in names:
        ref = catalog.pull(name, progress=not quiet,
                           log=lambda msg: None if quiet else click.echo(f"ringkas: {msg}", err=True))
        click.echo(f"{ref.name}\t{ref.revision}\t{ref.path}")


@models.command(short_help="Check models or model folders (exit 1 when broken).",
                epilog="\b\nExamples:\n  ringkas models verify opus-mt-id-en\n"
                       "  ringkas models verify ./my-model-folder\n")
@click.argument("refs", nargs=-1, required=True, metavar="NAME|DIR...")
def verify(refs: tuple[str, ...]) -> None:
    """Check installed models or model folders (exit 1 when one is broken)."""
    from ringkas.models import catalog

    status = ExitStatus.OK
    for ref in refs:
        report = catalog.verify(ref)
        click.echo(f"{report.path}: {'ok' if report.ok else 'BROKEN'} ({report.checked_files} checksums checked)")
        for problem in report.problems:
            click.echo(f"ringkas: {ref}: {problem}", err=True)
        if not report.ok:
            status = ExitStatus.SOME_FAILED
    click.get_current_context().exit(status)


@models.command(short_help="Convert models for --backend ct2 (CTranslate2).",
                epilog="\b\nExamples:\n  ringkas models convert opus-mt-id-en\n"
                       "  ringkas models convert ./my-marian-folder --quantization int8_float16 --force\n")
@click.argument("refs", nargs=-1, required=True, metavar="NAME|DIR...")
@click.option("--quantization", default="int8", show_default=True, metavar="TYPE",
              help="int8, int8_float16, float16, bfloat16, float32, ...")
@click.option("--force", is_flag=True, help="Convert again even when a conversion exists.")
def convert(refs: tuple[str, ...], quantization: str, force: bool) -> None:
    """Convert models for --backend ct2 (CTranslate2, int8 by default).

    Writes <model folder>/ct2-QUANTIZATION/ with CTranslate2's converter.
    """
    from ringkas.models.ct2 import convert as convert_model

    for ref in refs:
        click.echo(str(convert_model(ref, quantization=quantization, force=force)))
