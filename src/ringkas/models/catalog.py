"""The model catalog (models/catalog.toml) and the local model store it fills.

Cheap by design: listing, resolving and verifying read TOML, JSON and file headers only. Nothing
here imports torch or transformers, and huggingface_hub is imported inside ``pull`` alone, the one
function that uses the network.
"""

from __future__ import annotations

import json
import os
import struct
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ringkas.errors import ModelError, UsageError
from ringkas.models import store

CATALOG_FILE = store.CATALOG_FILE
MANIFEST_FILE = "ringkas-model.json"  # written by pull: repo, resolved commit, file checksums
TASKS = ("translation", "summarization")

# What pull fetches: weights as safetensors only (never pickles), plus config and tokenizer files.
PULL_PATTERNS = (
    "*.safetensors",
    "*.safetensors.index.json",
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.json",
    "*.spm",
    "spiece.model",
    "sentencepiece.bpe.model",
    "README.md",
)
TOKENIZER_FILES = ("tokenizer.json", "spiece.model", "source.spm", "sentencepiece.bpe.model", "vocab.json")


@dataclass(frozen=True)
class CatalogEntry:
    """One model the catalog knows: where it comes from, at which revision, under what licence."""

    name: str
    repo: str
    revision: str
    task: str
    licence: str
    commit: str | None = None
    default: bool = False
    languages: tuple[str, ...] = ()
    size_mb: int | None = None
    description: str = ""
    settings: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ModelRef:
    """A model resolved to a folder: its name, pinned revision, task, licence and settings."""

    name: str
    revision: str
    path: Path
    task: str
    licence: str | None = None
    entry: CatalogEntry | None = None  # None for a bare folder outside the catalog
    settings: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def id(self) -> str:
        """``NAME@REVISION``, as records name the model."""
        return f"{self.name}@{self.revision}"

    @property
    def pull_hint(self) -> str:
        """The command that (re)fetches this model, or the default one for its task."""
        name = self.entry.name if self.entry else _default_name(self.task)
        return f"ringkas models pull {name}"


@dataclass(frozen=True)
class ModelStatus:
    """A catalog entry with what the store holds of it."""

    entry: CatalogEntry
    path: Path
    installed: bool
    size_bytes: int
    commit: str | None  # resolved commit recorded by pull, if any


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of ``verify``: the folder checked and every problem found (none when ok)."""

    path: Path
    problems: tuple[str, ...]
    checked_files: int = 0

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


# -- locations -------------------------------------------------------------------------------


def _checkout_models_dir() -> Path | None:
    """models/ of the source checkout holding this package, when there is one (editable install)."""
    found = store.checkout_models_dir()
    return Path(found) if found else None


def store_root() -> Path:
    """Where models live: $RINGKAS_MODELS, else models/ of the checkout, else ~/.cache/ringkas/models."""
    return Path(store.store_root())


def catalog_path() -> Path:
    """The catalog file: the checkout's models/catalog.toml, else one in the store root."""
    checkout = _checkout_models_dir()
    return checkout / CATALOG_FILE if checkout else store_root() / CATALOG_FILE


# -- the catalog -----------------------------------------------------------------------------

_ENTRY_KEYS = {"repo", "revision", "commit", "task", "licence", "default", "languages", "size_mb", "description"}


def parse_catalog(text: str) -> dict[str, CatalogEntry]:
    """Catalog entries by name from the TOML text of a catalog; raises ModelError when malformed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"model catalog is not valid TOML: {exc}") from exc
    entries = {}
    for name, table in data.get("models", {}).items():
        missing = [k for k in ("repo", "revision", "task", "licence") if k not in table]
        if missing or table["task"] not in TASKS:
            raise ModelError(f"model catalog entry {name!r} lacks {missing or ['a known task']}")
        settings = {k: v for k, v in table.items() if k not in _ENTRY_KEYS}
        entries[name] = CatalogEntry(
            name=name,
            repo=table["repo"],
            revision=table["revision"],
            task=table["task"],
            licence=table["licence"],
            commit=table.get("commit"),
            default=bool(table.get("default", False)),
            languages=tuple(table.get("languages", ())),
            size_mb=table.get("size_mb"),
            description=table.get("description", ""),
            settings=settings,
        )
    return entries


def load_catalog(path: Path | None = None) -> dict[str, CatalogEntry]:
    """The catalog entries by name; an empty catalog when no catalog file exists."""
    path = path or catalog_path()
    if not path.is_file():
        return {}
    return parse_catalog(path.read_text(encoding="utf-8"))


def _default_name(task: str) -> str:
    """Name of the catalog's default model for a task (a fixed fallback when the catalog is absent)."""
    for entry in load_catalog().values():
        if entry.task == task and entry.default:
            return entry.name
    return "opus-mt-id-en" if task == "translation" else "NAME"


# -- the store -------------------------------------------------------------------------------


def _folder_size(path: Path) -> int:
    """Bytes of every file below a folder (0 when absent)."""
    if not path.is_dir():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _read_manifest(path: Path) -> dict[str, Any]:
    """The manifest pull wrote into a model folder, or {} when there is none or it is unreadable."""
    try:
        data = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _hub_commit(path: Path) -> str | None:
    """The commit a huggingface_hub download recorded in the folder (.cache/huggingface), if any."""
    meta_dir = path / ".cache" / "huggingface" / "download"
    for meta in sorted(meta_dir.glob("*.metadata")) if meta_dir.is_dir() else ():
        first = meta.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0].strip()
        if len(first) == 40 and all(c in "0123456789abcdef" for c in first):
            return first
    return None


def is_installed(path: Path) -> bool:
    """True when a folder looks like a model: config.json and safetensors weights."""
    return (path / "config.json").is_file() and any(path.glob("*.safetensors"))


def list_models() -> list[ModelStatus]:
    """Every catalog entry with whether the store holds it, its size on disk and pulled commit."""
    root = store_root()
    statuses = []
    for entry in load_catalog().values():
        path = root / entry.name
        statuses.append(
            ModelStatus(
                entry=entry,
                path=path,
                installed=is_installed(path),
                size_bytes=_folder_size(path),
                commit=_read_manifest(path).get("commit"),
            )
        )
    return statuses


def _revision_of(path: Path, entry: CatalogEntry | None) -> str:
    """The revision to name a model by: the pulled commit, else the catalog pin, else 'local'."""
    commit = _read_manifest(path).get("commit") or _hub_commit(path)
    if commit:
        return commit
    if entry:
        return entry.commit or entry.revision
    return "local"


def _looks_like_path(ref: str) -> bool:
    """True when a reference is meant as a folder rather than a catalog name."""
    return os.sep in ref or "/" in ref or ref.startswith((".", "~"))


def resolve(ref: str | os.PathLike[str], *, task: str | None = None) -> ModelRef:
    """A catalog name or a local folder as a ModelRef; raises ModelError when it names nothing usable."""
    text = os.fspath(ref)
    catalog = load_catalog()
    entry = catalog.get(text)
    if entry is not None and not _looks_like_path(text):
        if task and entry.task != task:
            raise UsageError(f"model {entry.name!r} is a {entry.task} model, not a {task} model")
        path = store_root() / entry.name
        if not path.is_dir():
            raise ModelError(
                f"model {entry.name!r} is not installed in {store_root()}; "
                f"get it with `ringkas models pull {entry.name}` ({entry.licence})"
            )
        return ModelRef(
            name=entry.name,
            revision=_revision_of(path, entry),
            path=path,
            task=entry.task,
            licence=entry.licence,
            entry=entry,
            settings=dict(entry.settings),
        )
    path = Path(text).expanduser()
    if not path.is_dir():
        names = ", ".join(sorted(catalog)) or "none"
        hint = _default_name(task or "translation")
        raise ModelError(
            f"no model {text!r}: neither a folder nor a catalog name (catalog: {names}); "
            f"get one with `ringkas models pull {hint}`"
        )
    manifest = _read_manifest(path)
    entry = catalog.get(manifest.get("name", ""))
    if entry is None and path.resolve().parent == store_root().resolve():
        entry = catalog.get(path.name)  # a store folder given by path is still its catalog model
    settings = dict(entry.settings) if entry else {}
    return ModelRef(
        name=entry.name if entry else path.resolve().name,
        revision=_revision_of(path, entry),
        path=path,
        task=entry.task if entry else (task or "translation"),
        licence=entry.licence if entry else None,
        entry=entry,
        settings=settings,
    )


def default_translator() -> ModelRef | None:
    """The catalog's default translator when the store holds it, else None (cheap: no torch)."""
    for entry in load_catalog().values():
        if entry.task == "translation" and entry.default:
            path = store_root() / entry.name
            if is_installed(path):
                return resolve(entry.name)
    return None


def default_summarizer() -> ModelRef | None:
    """The summarization model the store holds (the catalog's default first), else None (cheap: no torch)."""
    entries = [e for e in load_catalog().values() if e.task == "summarization"]
    for entry in sorted(entries, key=lambda e: not e.default):  # stable: catalog order after the default
        if is_installed(store_root() / entry.name):
            return resolve(entry.name)
    return None


# -- verify ----------------------------------------------------------------------------------


def _safetensors_problems(path: Path) -> list[str]:
    """Problems of one safetensors file: unreadable header, or a size that disagrees with it."""
    try:
        with path.open("rb") as fh:
            (header_len,) = struct.unpack("<Q", fh.read(8))
            if header_len > 100_000_000:
                return [f"{path.name}: header length {header_len} is implausible"]
            header = json.loads(fh.read(header_len))
    except (OSError, struct.error, ValueError) as exc:
        return [f"{path.name}: not a safetensors file ({exc})"]
    ends = [t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"]
    expected = 8 + header_len + max(ends, default=0)
    actual = path.stat().st_size
    if actual != expected:
        return [f"{path.name}: {actual} bytes, header says {expected} (truncated download?)"]
    return []


def _sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    import hashlib  # only `verify` hashes: kept off the import of every model run

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_problems(path: Path) -> list[str]:
    """Cheap structural problems of a model folder (config, tokenizer, weights headers)."""
    if not path.is_dir():
        return [f"{path} does not exist"]
    problems = []
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        if not isinstance(config, dict) or "model_type" not in config:
            problems.append("config.json has no model_type")
    except FileNotFoundError:
        problems.append("config.json is missing")
    except (OSError, ValueError) as exc:
        problems.append(f"config.json is not valid JSON ({exc})")
    if not any((path / name).is_file() for name in TOKENIZER_FILES):
        problems.append("no tokenizer files (tokenizer.json, *.spm, spiece.model, ...)")
    weights = sorted(path.glob("*.safetensors"))
    if not weights:
        problems.append("no *.safetensors weights (ringkas does not load pickled weights)")
    for w in weights:
        problems.extend(_safetensors_problems(w))
    return problems


def verify(name_or_dir: str | os.PathLike[str], *, checksums: bool = True) -> VerifyReport:
    """Check a catalog model or folder: structure, safetensors headers and pulled checksums."""
    text = os.fspath(name_or_dir)
    entry = load_catalog().get(text)
    path = store_root() / text if entry and not _looks_like_path(text) else Path(text).expanduser()
    if entry and not path.exists():
        return VerifyReport(path=path, problems=(f"not installed: get it with `ringkas models pull {text}`",))
    problems = folder_problems(path)
    checked = 0
    manifest = _read_manifest(path) if path.is_dir() else {}
    if checksums and manifest.get("files"):
        for rel, meta in manifest["files"].items():
            file = path / rel
            if not file.is_file():
                problems.append(f"{rel}: missing (pulled at {manifest.get('commit', '?')})")
            elif file.stat().st_size != meta.get("size"):
                problems.append(f"{rel}: size {file.stat().st_size}, pulled {meta.get('size')}")
            elif meta.get("sha256") and _sha256(file) != meta["sha256"]:
                problems.append(f"{rel}: checksum differs from the pulled file")
            checked += 1
    return VerifyReport(path=path, problems=tuple(problems), checked_files=checked)


# -- pull ------------------------------------------------------------------------------------


def _iter_files(path: Path) -> Iterator[Path]:
    """Model files of a folder, without huggingface_hub's own .cache bookkeeping."""
    for p in sorted(path.rglob("*")):
        if p.is_file() and ".cache" not in p.relative_to(path).parts and p.name != MANIFEST_FILE:
            yield p


def pull(
    name: str,
    *,
    progress: bool = True,
    log: Callable[[str], None] | None = None,
) -> ModelRef:
    """Download a catalog model at its pinned revision into the store (safetensors only)."""
    entry = load_catalog().get(name)
    if entry is None:
        names = ", ".join(sorted(load_catalog())) or "none"
        raise UsageError(f"no catalog model {name!r}; known: {names}")
    try:
        import huggingface_hub  # lazily: the only network-using import of ringkas
    except ImportError as exc:
        raise ModelError("pulling models needs huggingface_hub: pip install 'ringkas[models]'") from exc
    say = log or (lambda _msg: None)
    api = huggingface_hub.HfApi()
    try:
        info = api.model_info(entry.repo, revision=entry.revision)
    except Exception as exc:  # network, auth, missing revision: all mean "cannot pull now"
        raise ModelError(f"cannot reach {entry.repo}@{entry.revision} on the Hugging Face hub: {exc}") from exc
    commit = info.sha or ""
    if entry.commit and not commit.startswith(entry.commit):
        raise ModelError(
            f"{entry.repo}@{entry.revision} now resolves to {commit}, not the pinned {entry.commit}; "
            "update models/catalog.toml after checking the change"
        )
    target = store_root() / entry.name
    say(f"pulling {entry.repo}@{commit[:12]} into {target} (licence {entry.licence})")
    if not progress:
        huggingface_hub.utils.disable_progress_bars()
    try:
        huggingface_hub.snapshot_download(
            repo_id=entry.repo,
            revision=commit or entry.revision,
            local_dir=target,
            allow_patterns=list(PULL_PATTERNS),
        )
    except Exception as exc:
        raise ModelError(f"download of {entry.repo} failed: {exc}; run the pull again to resume") from exc
    if not any(target.glob("*.safetensors")):
        raise ModelError(f"{entry.repo}@{commit} has no safetensors weights; choose another revision")
    files = {
        str(p.relative_to(target)): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in _iter_files(target)
    }
    manifest = {"name": entry.name, "repo": entry.repo, "revision": entry.revision, "commit": commit,
                "licence": entry.licence, "files": files}
    (target / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    report = verify(target, checksums=False)
    if not report.ok:
        raise ModelError(f"pulled {entry.name} but it does not verify: {'; '.join(report.problems)}")
    return resolve(entry.name)
