"""The ``ringkas`` command: the Click group, its global options, the error policy and ``main()``.

Commands live one family to a module (records, batch, review, models, evaluate) and are imported
only when named, so a one-document ``ringkas summarize`` pays for no other command. The root
group maps what the library raises to exit statuses, in one place, for every command.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from ringkas import __version__
from ringkas.cli.options import quiet_option
from ringkas.cli.streams import TERMINATED, Terminated, reserve_closed_fds, stderr_text
from ringkas.errors import ExitStatus, RingkasError, RunError

INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a program stopped by Ctrl-C
# An unexpected exception is "something failed" (1); a traceback only with --debug.
INTERNAL_ERROR = ExitStatus.SOME_FAILED

# Command name -> "module:attribute"; the order is the order of `ringkas --help`.
COMMANDS = {
    "summarize": "ringkas.cli.records:summarize",
    "translate": "ringkas.cli.records:translate",
    "batch": "ringkas.cli.batch:batch",
    "render": "ringkas.cli.review:render",
    "models": "ringkas.cli.models:models",
    "cache": "ringkas.cli.cache:cache",
    "eval": "ringkas.cli.evaluate:evaluate",
}

EPILOG = """\b
Exit status:
  0    every record is good
  1    some records carry an error (they are still written), or a file could
       not be read or written, or a worker process died (rerun with --resume),
       or an internal error (a bug: --debug shows it)
  2    usage error: a bad option or argument, a model that cannot be loaded,
       an output that cannot be written, a closed stdout
  130  interrupted (Ctrl-C)
  143  terminated (SIGTERM)

\b
Examples:
  ringkas summarize samples/kabupaten-tulungagung-posyandu.txt
  ringkas summarize --help
  eval "$(_RINGKAS_COMPLETE=bash_source ringkas)"    # tab completion in bash

Run `ringkas COMMAND --help` for a command's options and examples.
"""


class RingkasGroup(click.Group):
    """The root group: commands imported when named; library errors mapped to exit statuses."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The command names, in the order of ``COMMANDS``."""
        return [*self.lazy_commands, *super().list_commands(ctx)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The named command, importing its module on first use."""
        target = self.lazy_commands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command), target
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; what it raises becomes one line on stderr and an exit status."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise  # Click's own: usage errors (2), --help, explicit exits
        except RunError as exc:  # the run failed midway (a worker died): what it wrote is kept
            click.echo(f"ringkas: error: {exc}", err=True)
            ctx.exit(ExitStatus.SOME_FAILED)
        except RingkasError as exc:  # a usage error, a model that cannot be loaded
            click.echo(f"ringkas: error: {exc}", err=True)
            ctx.exit(ExitStatus.USAGE)
        except Terminated:  # SIGTERM, turned into an exception by the commands that clean up after it
            click.echo("ringkas: terminated", err=True)
            ctx.exit(TERMINATED)
        except KeyboardInterrupt:
            click.echo("ringkas: interrupted", err=True)
            ctx.exit(INTERRUPTED)
        except BrokenPipeError:  # `ringkas summarize ... | head` closing the pipe early is not an error
            _silence_stdout()
            ctx.exit(ExitStatus.OK)
        except OSError as exc:  # a file that cannot be written (a full disk, a missing folder)
            if ctx.params.get("debug"):
                raise
            click.echo(f"ringkas: error: {exc}", err=True)
            ctx.exit(ExitStatus.SOME_FAILED)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(f"ringkas: internal error: {type(exc).__name__}: {exc} "
                       "(run with --debug for the traceback)", err=True)
            ctx.exit(INTERNAL_ERROR)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush meets no closed pipe."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (an in-process test): nothing reaches a pipe at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


@click.group(cls=RingkasGroup, lazy_commands=COMMANDS, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ringkas", message="%(prog)s %(version)s")
@quiet_option
@click.option("-v", "--verbose", is_flag=True, help="Debug logging on stderr.")
@click.option("--debug", is_flag=True, envvar="RINGKAS_DEBUG",
              help="Show the traceback of an internal error (also RINGKAS_DEBUG=1).")
def cli(verbose: bool, debug: bool) -> None:
    """Indonesian press releases to structured, bilingual JSON records.

    Records (one JSON object a line) go to stdout; warnings, errors and progress go to stderr.
    """
    if verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG, stream=stderr_text(),
                            format="ringkas: %(message)s")


def main(args: Sequence[str] | None = None) -> NoReturn:
    """Run the ``ringkas`` command on ``args`` (default: ``sys.argv[1:]``) and exit with its status."""
    reserve_closed_fds()  # `ringkas ... >&-`: no output file may become fd 1 or 2
    # prog_name is fixed so that `python -m ringkas` completes and reports as `ringkas` does.
    cli.main(args=args, prog_name="ringkas")
