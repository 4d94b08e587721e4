"""The standard streams as Click resolves them, so that ``click.testing.CliRunner`` can replace them.

Click 8.5 deprecates ``get_text_stream``/``get_binary_stream``; ``click.open_file("-")`` is the
supported way to the same streams (wrapped so that closing them is a no-op).
"""

from __future__ import annotations

import sys
from typing import BinaryIO, TextIO, cast

import click


def stdin_bytes() -> BinaryIO:
    """stdin as bytes (inputs are decoded by ``ringkas.io``, never by the locale)."""
    return cast(BinaryIO, click.open_file("-", "rb"))


def stdout_text() -> TextIO:
    """stdout as text: records and pages, nothing else."""
    return cast(TextIO, click.open_file("-", "w"))


def stderr_text() -> TextIO:
    """stderr as text: warnings, errors, progress."""
    # click.open_file has no name for stderr; CliRunner replaces sys.stderr itself.
    return sys.stderr
