"""``ringkas cache info|clear``: the translation cache's size and hit counts, and emptying it."""

from __future__ import annotations

import click

from ringkas.cli.options import cache_options, is_quiet, quiet_option

EPILOG = """\b
Examples:
  ringkas cache info
  ringkas cache info --cache /data/ringkas-cache.sqlite3
  ringkas cache clear
"""

_path_option = cache_options()[0]


def _open(cache_path: str | None):
    from ringkas.errors import UsageError
    from ringkas.models.cache import CacheUnavailable, TranslationCache

    try:
        return TranslationCache(cache_path)
    except CacheUnavailable as exc:
        raise UsageError(f"translation cache: {exc}") from None


@click.group(short_help="The translation cache: its size and hit counts, or empty it.", epilog=EPILOG)
def cache() -> None:
    """Translated segments are kept in one SQLite file per machine, so that no segment is translated
    twice by the same model; records are the same with or without it (--no-cache)."""


@cache.command(epilog=EPILOG)
@_path_option
@quiet_option
def info(cache_path: str | None) -> None:
    """Where the cache is, its size, and per model: segments, hits and misses."""
    from ringkas.models.cache import TranslationCache, default_path

    path = cache_path or str(default_path())
    if not cache_path and not TranslationCache.exists(path):
        click.echo(f"cache: {path} (empty: nothing translated yet)")
        return
    db = _open(path)
    try:
        found = db.info()
    finally:
        db.close()
    click.echo(f"cache: {found.path}")
    click.echo(f"size: {found.bytes / 2**20:.1f} MiB, {found.segments} segments")
    for use in found.models:
        asked = use.hits + use.misses
        rate = f"{100 * use.hits / asked:.0f}%" if asked else "-"
        click.echo(f"  {use.model}: {use.segments} segments, {use.hits} hits, {use.misses} misses (hit rate {rate})")


@cache.command(epilog=EPILOG)
@_path_option
@quiet_option
def clear(cache_path: str | None) -> None:
    """Empty the cache (other runs may keep using it; they start again from nothing)."""
    from ringkas.models.cache import TranslationCache, default_path

    path = cache_path or str(default_path())
    if not TranslationCache.exists(path):
        if not is_quiet():
            click.echo(f"ringkas: {path}: no cache to clear", err=True)
        return
    from ringkas.models.cache import CacheUnavailable, remove_files

    try:
        db = TranslationCache(path)
    except CacheUnavailable as exc:  # not a database (corrupt), or a newer ringkas's: the files go
        remove_files(path)
        if not is_quiet():
            click.echo(f"ringkas: removed {path} ({exc})", err=True)
        return
    try:
        dropped = db.clear()
    finally:
        db.close()
    if not is_quiet():
        click.echo(f"ringkas: cleared {dropped} segments from {path}", err=True)
