"""The standard streams as Click resolves them, so that ``click.testing.CliRunner`` can replace them.

Click 8.5 deprecates ``get_text_stream``/``get_binary_stream``; ``click.open_file("-")`` is the
supported way to the same streams (wrapped so that closing them is a no-op).

A stream the shell closed (``>&-``, ``<&-``) is None in ``sys``: asking for it is a usage error,
and only a command that uses it asks. ``reserve_closed_fds`` keeps files opened later off the
closed descriptors, where a library writing to "fd 2" would write into the output file.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, BinaryIO, NoReturn, TextIO, cast

import click

from ringkas.errors import UsageError

TERMINATED = 143  # 128 + SIGTERM: what a shell reports for a program stopped by `kill`


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwinds like Ctrl-C (temporary files removed, whole lines kept), exit 143."""


def stdin_bytes() -> BinaryIO:
    """stdin as bytes (inputs are decoded by ``ringkas.io``, never by the locale)."""
    if sys.stdin is None:
        raise UsageError("stdin is closed: give the inputs as files, or pipe a release into stdin")
    return cast(BinaryIO, click.open_file("-", "rb"))


def stdout_text() -> TextIO:
    """stdout as text: records and pages, nothing else."""
    if sys.stdout is None:
        raise UsageError("stdout is closed: write to a file with -o FILE, or give stdout a place to go")
    return cast(TextIO, click.open_file("-", "w"))


def stderr_text() -> TextIO:
    """stderr as text: warnings, errors, progress (nowhere, when the shell closed it)."""
    # click.open_file has no name for stderr; CliRunner replaces sys.stderr itself.
    if sys.stderr is None:
        # print(file=None) would write to stdout; a closed stderr swallows what is meant for it
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 -- held for the life of the process
    return sys.stderr


def reserve_closed_fds() -> None:
    """Open /dev/null on each standard descriptor (0, 1, 2) the shell closed, so nothing else lands there."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            # the lowest free descriptor is the closed one (0, 1, 2 are tried in order)
            os.open(os.devnull, os.O_RDWR)


def terminate_on_sigterm() -> None:
    """Turn SIGTERM into ``Terminated`` in this process, so that a run stopped by `kill` cleans up."""
    import signal  # only for the runs that have something to clean up (-o, batch)

    def handler(signum: int, frame: Any) -> NoReturn:
        raise Terminated

    # ValueError: not the main thread (an embedding program), whose own handling stays
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGTERM, handler)
