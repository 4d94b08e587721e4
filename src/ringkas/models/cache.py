"""The translation cache: every translated segment kept in SQLite, so no sentence is translated twice.

Re-runs of an archive and syndicated copies repeat most sentences; the model is where the time
goes. Each segment's English is stored under the exact identity of the model that made it (its
``id`` with the decoding, the backend, every resolved setting, a fingerprint of the files) and a
digest of the exact source segment, and a cached segment never reaches the model.

A run whose segments are all cached does not load the model, and so never imports torch: the
model's identity is known before loading from what an earlier load of the *same request* (model
folder and its files, backend, device and decoding options, the environment that picks the
device) recorded in the ``requests`` table. The model is loaded at the first miss.

One database file in WAL mode, shared by every process of a machine (batch workers, Ray actors on
one node): writers wait for each other (``busy_timeout``); a transaction is atomic, so ``kill -9``
in the middle of a write leaves the database as it was before the write. A database written by an
older ringkas is rebuilt; one that cannot be opened or written (read-only, full disk, corrupt) is
dropped with a warning, and the run goes on without it: the records are the same either way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path
from typing import Any

from ringkas.models.translate import ModelSegments
from ringkas.types import TextGenerator

log = logging.getLogger("ringkas.cache")

FILE_NAME = "translations.sqlite3"
# PRAGMA user_version of the layout below; a database with a lower one is rebuilt.
SCHEMA_VERSION = 1
# Bumped when ringkas's own code would translate the same segment with the same model differently.
KEY_FORMAT = 1
# SQLite's limit of bound parameters is 32,766 since 3.32; stay well under it per statement.
LOOKUP_BATCH = 900
BUSY_TIMEOUT_S = 60.0
_LAYOUT = (
    "CREATE TABLE models (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, model TEXT NOT NULL,"
    " hits INTEGER NOT NULL DEFAULT 0, misses INTEGER NOT NULL DEFAULT 0, used REAL)",
    "CREATE TABLE segments (model INTEGER NOT NULL, digest BLOB NOT NULL, english TEXT NOT NULL,"
    " PRIMARY KEY (model, digest)) WITHOUT ROWID",
    "CREATE TABLE requests (key TEXT PRIMARY KEY, model INTEGER NOT NULL) WITHOUT ROWID",
)
# Settings that do not change a model's output (threads only change the speed).
_NOT_IDENTITY = frozenset({"threads"})


def default_path() -> Path:
    """The cache file in the user's cache folder (``~/.cache/ringkas`` on Linux, via platformdirs)."""
    import platformdirs

    return platformdirs.user_cache_path("ringkas") / FILE_NAME


def digest(text: str) -> bytes:
    """The 128-bit key of a source segment (BLAKE2b, built into Python without OpenSSL)."""
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def files_fingerprint(folder: Path) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime in ns) of every file under a model folder: re-pulled or retrained
    weights under the same name and revision ("local") are another model."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            try:
                st = path.stat()
            except OSError:
                continue
            found.append((str(path.relative_to(folder)), st.st_size, st.st_mtime_ns))
    return found


def model_key(model: TextGenerator) -> str:
    """The exact identity of a loaded model: its id, backend class, every resolved setting but the
    thread count (device, float and compute type, caps, decoding) and its files."""
    from ringkas import __version__

    settings = getattr(model, "settings", None)
    ref = getattr(model, "ref", None)
    parts: dict[str, Any] = {
        "format": KEY_FORMAT,
        "ringkas": __version__,
        "id": model.id,
        "backend": f"{type(model).__module__}.{type(model).__qualname__}",
        "settings": ({k: v for k, v in dataclasses.asdict(settings).items() if k not in _NOT_IDENTITY}
                     if dataclasses.is_dataclass(settings) and not isinstance(settings, type) else None),
        "files": files_fingerprint(Path(ref.path)) if ref is not None else None,
    }
    return json.dumps(parts, sort_keys=True, default=repr)


@dataclass(frozen=True)
class ModelUse:
    """One model's share of the cache."""

    model: str
    segments: int
    hits: int
    misses: int


@dataclass(frozen=True)
class CacheInfo:
    """What ``ringkas cache info`` shows."""

    path: Path
    bytes: int  # the database with its WAL and shared-memory files
    segments: int
    models: tuple[ModelUse, ...]


class CacheUnavailable(Exception):
    """The cache cannot be used (read-only, full, corrupt, or from a newer ringkas)."""


def disk_bytes(path: Path) -> int:
    """Size of the database and its WAL and shared-memory files."""
    total = 0
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            total += os.path.getsize(f"{path}{suffix}")
    return total


def remove_files(path: str | os.PathLike[str]) -> None:
    """Delete the database and its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{os.fspath(path)}{suffix}")


class TranslationCache:
    """One SQLite database of translated segments; every method raises CacheUnavailable on failure."""

    @staticmethod
    def exists(path: str | os.PathLike[str]) -> bool:
        """Whether a cache file is there."""
        return os.path.isfile(path)

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = Path(path) if path is not None else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                       check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise CacheUnavailable(f"cannot open {self.path}: {exc}") from exc
        try:
            self._setup()
        except (OSError, sqlite3.Error) as exc:
            self._db.close()
            raise CacheUnavailable(f"cannot use {self.path}: {exc}") from exc

    def _setup(self) -> None:
        db = self._db
        # WAL: readers never wait for a writer, and a crash never leaves a half-written page.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: consistent after any crash
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise CacheUnavailable(f"{self.path} was written by a newer ringkas (layout {version}); "
                                   "pass --cache PATH to use another file")
        with self._transaction():
            version = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have built it
            if version == SCHEMA_VERSION:
                return
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
                db.execute(f'DROP TABLE "{name}"')  # an older layout: rebuilt, never read as this one
            for statement in _LAYOUT:
                db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    class _Tx:
        def __init__(self, db: sqlite3.Connection):
            self.db = db

        def __enter__(self) -> None:
            self.db.execute("BEGIN IMMEDIATE")  # the write lock now: no upgrade deadlock later

        def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
            if exc_type is None:
                self.db.execute("COMMIT")
            elif self.db.in_transaction:  # SQLITE_FULL and some I/O errors have rolled it back already
                self.db.execute("ROLLBACK")

    def _transaction(self) -> TranslationCache._Tx:
        return TranslationCache._Tx(self._db)

    def _guard(self, what: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except (OSError, sqlite3.Error) as exc:
            raise CacheUnavailable(f"cannot {what} {self.path}: {exc}") from exc

    # -- models and requests --

    def model_row(self, key: str, model: str) -> int:
        """The row id of a model identity, added when new."""
        def run() -> int:
            with self._transaction():
                self._db.execute("INSERT OR IGNORE INTO models (key, model, used) VALUES (?, ?, ?)",
                                 (key, model, time.time()))
                return int(self._db.execute("SELECT id FROM models WHERE key = ?", (key,)).fetchone()[0])
        return int(self._guard("write", run))

    def remember(self, request: str, key: str, model: str) -> int:
        """Record that ``request`` loads the model of identity ``key``; its row id."""
        row = self.model_row(key, model)
        self._guard("write", lambda: self._db.execute(
            "INSERT OR REPLACE INTO requests (key, model) VALUES (?, ?)", (request, row)))
        return row

    def recall(self, request: str) -> tuple[int, str, str] | None:
        """(row, identity key, model id) an earlier load of ``request`` recorded, or None."""
        found = self._guard("read", lambda: self._db.execute(
            "SELECT m.id, m.key, m.model FROM requests r JOIN models m ON m.id = r.model WHERE r.key = ?",
            (request,)).fetchone())
        return (int(found[0]), str(found[1]), str(found[2])) if found else None

    # -- segments --

    def lookup(self, row: int, segments: Sequence[str]) -> dict[str, str]:
        """The cached English of those ``segments`` the model ``row`` has translated before."""
        keys = {digest(s): s for s in segments}
        found: dict[str, str] = {}
        items = list(keys)

        def run() -> None:
            for start in range(0, len(items), LOOKUP_BATCH):
                part = items[start:start + LOOKUP_BATCH]
                marks = ",".join("?" * len(part))
                query = f"SELECT digest, english FROM segments WHERE model = ? AND digest IN ({marks})"
                for key, english in self._db.execute(query, (row, *part)):
                    found[keys[bytes(key)]] = english
        self._guard("read", run)
        return found

    def store(self, row: int, pairs: Iterable[tuple[str, str]], *, hits: int, misses: int) -> None:
        """Add translated segments of model ``row`` and count this call's hits and misses."""
        values = [(row, digest(source), english) for source, english in pairs]

        def run() -> None:
            with self._transaction():
                self._db.executemany("INSERT OR IGNORE INTO segments VALUES (?, ?, ?)", values)
                self._db.execute("UPDATE models SET hits = hits + ?, misses = misses + ?, used = ? WHERE id = ?",
                                 (hits, misses, time.time(), row))
        self._guard("write", run)

    # -- info and clear --

    def info(self) -> CacheInfo:
        """Size, segments and hit counts per model."""
        rows = self._guard("read", lambda: self._db.execute(
            "SELECT m.model, (SELECT COUNT(*) FROM segments s WHERE s.model = m.id), m.hits, m.misses "
            "FROM models m ORDER BY m.used DESC").fetchall())
        models = tuple(ModelUse(str(m), int(n), int(h), int(x)) for m, n, h, x in rows)
        return CacheInfo(self.path, disk_bytes(self.path), sum(m.segments for m in models), models)

    def clear(self) -> int:
        """Empty the cache (other processes may hold it open); the number of segments dropped."""
        def run() -> int:
            with self._transaction():
                count = int(self._db.execute("SELECT COUNT(*) FROM segments").fetchone()[0])
                for table in ("segments", "requests", "models"):
                    self._db.execute(f"DELETE FROM {table}")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.execute("VACUUM")
            return count
        return int(self._guard("clear", run))

    def close(self) -> None:
        """Close the connection (the last one to close checkpoints the WAL into the database)."""
        with contextlib.suppress(sqlite3.Error):
            self._db.close()


def open_cache(path: str | os.PathLike[str] | None = None) -> TranslationCache | None:
    """The cache at ``path`` (default: the user's cache folder), or None with a warning when unusable."""
    try:
        return TranslationCache(path)
    except CacheUnavailable as exc:
        log.warning("ringkas: translation cache off: %s; going on without it", exc)
        return None


class CachedSegments:
    """A SegmentTranslator that answers from the cache and sends only the misses to the model.

    ``load`` returns the model and is called at the first miss, never before, unless the model's
    identity is not known yet (no earlier load of this request): then it is called at once.
    """

    def __init__(self, cache: TranslationCache, request: str, load: Callable[[], TextGenerator]):
        self.cache: TranslationCache | None = cache
        self.request = request
        self._load = load
        self._model: TextGenerator | None = None
        known = self._use(lambda c: c.recall(request))
        if known is None:
            self._bind(load())
        else:
            self.row, self.key, self.model_id = known

    @property
    def id(self) -> str:
        """The model's id, as records name it (known without loading the model)."""
        return self.model_id if self._model is None else self._model.id

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded."""
        return self._model is not None

    def _bind(self, model: TextGenerator) -> None:
        """Use ``model``; its identity is what cached segments are looked up under from now on."""
        self._model = model
        self.key, self.model_id = model_key(model), model.id
        self.row = 0
        self.row = self._use(lambda c: c.remember(self.request, self.key, self.model_id)) or 0

    def _use(self, call: Callable[[TranslationCache], Any]) -> Any:
        """The call's result on the cache; on a failure, a warning, the cache dropped for the rest of
        the run, and None."""
        if self.cache is None:
            return None
        try:
            return call(self.cache)
        except CacheUnavailable as exc:
            log.warning("ringkas: translation cache off: %s; going on without it", exc)
            self.cache.close()
            self.cache = None
            return None

    def translate(self, segments: Sequence[str]) -> list[str]:
        """The English of each segment: cached ones from the cache, the rest from the model (then cached)."""
        found: dict[str, str] = self._use(lambda c: c.lookup(self.row, segments)) or {}
        missing = [s for s in dict.fromkeys(segments) if s not in found]
        hits = len(set(segments)) - len(missing)
        if missing and self._model is None:
            key = self.key
            self._bind(self._load())
            if self.key != key:  # the environment changed since the request was recorded: look again
                found = self._use(lambda c: c.lookup(self.row, segments)) or {}
                missing = [s for s in dict.fromkeys(segments) if s not in found]
                hits = len(set(segments)) - len(missing)
        if missing:
            assert self._model is not None
            english = ModelSegments(self._model).translate(missing)
            pairs = list(zip(missing, english, strict=True))
            found.update(pairs)
            self._use(lambda c: c.store(self.row, pairs, hits=hits, misses=len(missing)))
        elif hits:
            self._use(lambda c: c.store(self.row, (), hits=hits, misses=0))
        return [found[s] for s in segments]


def _gpu_visible() -> bool:
    """Whether an NVIDIA GPU is visible, asked of the driver's files (no torch, no CUDA context)."""
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    try:
        return any(os.scandir("/proc/driver/nvidia/gpus"))
    except OSError:
        return os.path.exists("/dev/nvidia0")


def request_key(ref: Any, options: dict[str, Any]) -> str:
    """What a load of ``ref`` with these run options depends on, known without loading (no torch):
    the folder and its files, the options, and what picks the device and compute type."""
    from ringkas import __version__

    device = options.get("device", "auto")
    parts = {
        "format": KEY_FORMAT,
        "ringkas": __version__,
        "model": ref.id, "path": str(Path(ref.path).resolve()), "task": ref.task,
        "catalog": dict(ref.settings),
        "files": files_fingerprint(Path(ref.path)),
        "options": options,
        "env": {name: os.environ.get(name) for name in ("RINGKAS_CT2_COMPUTE", "CUDA_VISIBLE_DEVICES")},
        "gpu": None if device == "cpu" else _gpu_visible(),
    }
    return json.dumps(parts, sort_keys=True, default=repr)
