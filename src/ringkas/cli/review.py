"""``ringkas render``: records as one self-contained HTML review page for editors."""

from __future__ import annotations

import click

from ringkas.cli.options import is_quiet, quiet_option
from ringkas.cli.streams import stdin_bytes, stdout_text, terminate_on_sigterm

EPILOG = """\b
Examples:
  ringkas summarize samples/*.txt -o records.jsonl
  ringkas render records.jsonl -o review.html
  ringkas summarize release.txt | ringkas render - > review.html
"""


@click.command(short_help="An HTML review page of records, for editors.", epilog=EPILOG)
@click.argument("records", metavar="RECORDS.jsonl")
@click.option("-o", "--output", metavar="FILE", help="Write the page to FILE (atomically) instead of stdout.")
@click.option("--group", is_flag=True, help="Put syndicated copies right after the first record of their group.")
@quiet_option
def render(records: str, output: str | None, group: bool) -> None:
    """One self-contained HTML page (no scripts, no network) of the records in RECORDS.jsonl (- for stdin).

    Each record's metadata, summary, quotes highlighted by speaker, and the translation beside the
    original. Malformed lines show as error sections.
    """
    from contextlib import nullcontext
    from pathlib import Path

    from ringkas.io.destination import OutputFile, output_target
    from ringkas.review import render as page

    # the destination is checked (its temporary file made) before the records are read
    target = output_target(output) if output else None
    if target is not None:
        terminate_on_sigterm()
    with OutputFile(target) if target is not None else nullcontext(stdout_text()) as out:
        if records == "-":
            rows = page.parse_records(stdin_bytes().read(), "-")
        else:
            rows = page.read_records(Path(records))
        # Written as is: click.echo would strip escape characters that a record's text may hold.
        out.write(page.render_records(rows, group=group))
    if target is not None and not is_quiet():
        click.echo(f"ringkas: wrote {output} ({len(rows)} records)", err=True)
