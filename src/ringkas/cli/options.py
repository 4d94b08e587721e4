"""Options shared by several commands: sizes, quiet, the run options and the ``Options`` they build.

The run options (``--sentences``, ``--translator``, ...) are declared once, in ``run_options``,
and used by summarize, translate and batch; ``build_options`` turns their values into the
library's ``ringkas.Options``. Nothing here imports the pipeline until a command runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ringkas.run.pipeline import Options

F = TypeVar("F", bound=Callable[..., Any])

# ringkas.run.duplicates.DEFAULT_THRESHOLD, without importing the run layer at start-up (a test checks they agree).
DUPLICATE_THRESHOLD = 0.5

_QUIET = "ringkas.quiet"  # key in ctx.meta, which every context of one invocation shares
_UNITS = {"k": 10**3, "m": 10**6, "g": 10**9}


class Size(click.ParamType):
    """A byte count with an optional k/M/G suffix ("2000000", "500k", "2M")."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """The number of bytes ``value`` names; a usage error when it names none, or less than one byte."""
        if isinstance(value, int):
            size = value
        else:
            text = str(value).strip()
            try:
                if text[-1:].lower() in _UNITS:
                    size = int(float(text[:-1]) * _UNITS[text[-1].lower()])
                else:
                    size = int(text)
            except (ValueError, OverflowError):  # OverflowError: "infk"
                self.fail(f"not a size: {text!r} (e.g. 2000000, 500k, 2M)", param, ctx)
        if size < 1:  # 0 or less would turn every document into a "too large" error record
            self.fail(f"must be at least 1 byte, not {value!r}", param, ctx)
        return size


SIZE = Size()
POSITIVE = click.IntRange(min=1)


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_QUIET] = True


def quiet_option(func: F) -> F:
    """``-q/--quiet``; the group and the commands share it, so it works before or after the command."""
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_quiet,
                        help="No warnings on stderr, only errors.")(func)


def is_quiet() -> bool:
    """Whether ``-q`` was given anywhere on the command line."""
    return bool(click.get_current_context().meta.get(_QUIET))


def run_options(*, translate_flag: bool = True) -> Callable[[F], F]:
    """The options of a run (summarize, translate, batch), as one decorator."""
    declared = [
        quiet_option,
        click.option("--sentences", type=POSITIVE, default=3, show_default=True, metavar="N",
                     help="Sentences in the extractive summary."),
        *([click.option("--no-translate", is_flag=True, help="Skip the English translation.")]
          if translate_flag else []),
        click.option("--translator", metavar="NAME|DIR", help="Translation model: a catalog name or a local folder."),
        click.option("--summarizer", default="auto", show_default=True, metavar="auto|extractive|NAME|DIR",
                     help="Summary method: auto (an installed summarization model, else extractive), "
                          "extractive, or a seq2seq model (catalog name or folder)."),
        click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
                     help="Where models run."),
        click.option("--backend", type=click.Choice(["transformers", "ct2"]), default="transformers",
                     show_default=True, help="Inference backend for models."),
        click.option("--beams", type=POSITIVE, metavar="N",
                     help="Beam count of the models (1: greedy, fastest). Default: each model's own settings."),
        click.option("--date", metavar="YYYY-MM-DD", help="Date hint: gives the year to dates written without one."),
        click.option("--max-bytes", type=SIZE, default="2M", show_default=True, metavar="SIZE",
                     help="Skip larger documents (an error record)."),
        *cache_options(),
        click.option("--duplicate-threshold", type=click.FloatRange(0, 1), default=DUPLICATE_THRESHOLD,
                     show_default=True, metavar="J",
                     help="Least estimated Jaccard similarity of a syndicated copy (duplicate_of); 0: off."),
    ]
    def decorate(func: F) -> F:
        # click.option decorators apply bottom-up; reversed keeps --help in the order declared.
        for option in reversed(declared):
            func = option(func)
        return func

    return decorate


def cache_options() -> list[Callable[[F], F]]:
    """``--cache PATH`` and ``--no-cache``: where translated segments are kept across runs."""
    return [
        click.option("--cache", "cache_path", metavar="PATH",
                     help="Translation cache file (default: translations.sqlite3 in the user's cache folder)."),
        click.option("--no-cache", is_flag=True, help="Translate every segment; read and write no cache."),
    ]


def build_options(params: dict[str, Any], **overrides: Any) -> Options:
    """The library's ``Options`` from a command's run options (``run_options``) and overrides."""
    from ringkas.run.pipeline import Options

    values: dict[str, Any] = {
        "sentences": params["sentences"], "translate": not params.get("no_translate", False),
        "translator": params["translator"], "summarizer": params["summarizer"], "device": params["device"],
        "backend": params["backend"], "beams": params.get("beams"), "date": params["date"],
        "max_bytes": params["max_bytes"], "cache": not params.get("no_cache", False),
        "cache_path": params.get("cache_path"), "duplicate_threshold": params.get("duplicate_threshold") or None,
    }
    values.update(overrides)
    return Options(**values)
