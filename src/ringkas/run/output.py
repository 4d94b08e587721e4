"""The output file of `ringkas batch`: checked, locked, repaired on resume, appended a whole line at a time.

A crash or ``kill -9`` leaves only whole lines behind, and at most one torn last line (a crash in
the middle of its write), which ``repair_output`` cuts away before a resumed run appends.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ringkas.errors import UsageError


@dataclass(frozen=True)
class OutputState:
    """What an existing output already holds: how often each id occurs, and how many are errors."""

    ids: Counter[str] = field(default_factory=Counter)
    failed: int = 0
    truncated: int = 0  # bytes of a torn last line cut away


def check_output(path: str, resume: bool) -> bool:
    """Whether ``path`` holds records to resume; a usage error when it may not be written (exists
    without ``resume``, a folder, no folder). A FIFO or a device is written straight through."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"folder of the output does not exist: {folder}")
    if os.path.isdir(path):
        raise UsageError(f"output is a folder, not a file: {path}")
    if not os.path.exists(path):
        return False
    if not stat.S_ISREG(os.stat(path).st_mode):
        if resume:
            raise UsageError(f"{path} is not a regular file (a FIFO or a device): there is nothing to "
                             "resume there; drop --resume, or write to a file")
        return False
    if not resume:
        raise UsageError(f"{path} already exists: pass --resume to continue it, "
                         "or choose another output name (or delete it to start over)")
    return True


def repair_output(path: str, on_record: Callable[[dict], None] | None = None) -> OutputState:
    """Cut a torn last line off ``path`` and count the ids it holds; a bad line elsewhere is an error.
    ``on_record`` sees each whole record in order (the duplicate index is rebuilt from them)."""
    ids: Counter[str] = Counter()
    failed = 0
    with open(path, "r+b") as fh:
        offset = 0
        torn_at: int | None = None
        torn_number = 0
        for number, raw in enumerate(fh, start=1):
            record = _parse_line(raw)
            if torn_at is not None:  # a bad line with more after it is no crash: refuse to touch it
                raise UsageError(f"{path}:{torn_number} is not a JSON record; it does not look like "
                                 "ringkas batch output, so nothing will be appended to it")
            if record is None:
                torn_at, torn_number = offset, number
            else:
                ids[record["id"]] += 1
                failed += record.get("error") is not None
                if on_record is not None:
                    on_record(record)
            offset += len(raw)
        truncated = 0
        if torn_at is not None:  # only the last line may be torn: a crash in the middle of its write()
            truncated = offset - torn_at
            fh.truncate(torn_at)
    return OutputState(ids, failed, truncated)


def _parse_line(raw: bytes) -> dict | None:
    """The record of one output line, or None when the line is not a whole record."""
    if not raw.endswith(b"\n"):
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return None
    return record


class LineAppender:
    """Appends records to a file, each as one ``write()`` of a whole line, flushed to the OS at once.

    Not ``jsonlines.Writer``: the lines come serialised from the workers (a writer would serialise
    them again, on the parent's one core), and each goes out as one write(2), newline included.
    """

    def __init__(self, path: str):
        self.path = path
        self.written = 0  # lines written by this run
        try:
            try:  # O_EXCL first, to know whether this run made the file (and may remove it)
                self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o666)
                self.created = True
            except FileExistsError:
                self._fd = os.open(path, os.O_WRONLY | os.O_APPEND)
                self.created = False
        except OSError as exc:  # a read-only folder or file, a full disk: before any document is processed
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        st = os.fstat(self._fd)
        self.regular = stat.S_ISREG(st.st_mode)  # a FIFO or device: no lock, no sync, nothing to resume
        self.identity = (st.st_dev, st.st_ino)  # never read back as an input of the run
        if not self.regular:
            return
        try:
            _lock(self._fd)
        except OSError:
            os.close(self._fd)
            raise UsageError(f"{path} is being written by another ringkas batch; wait for it, "
                             "or write to another file") from None

    def write(self, line: str) -> None:
        """Write one JSON line (without its newline) as a single system call, newline included."""
        data = (line + "\n").encode("utf-8", "surrogatepass")
        view = memoryview(data)
        while view:  # write(2) to a regular file takes it all; the loop is for the rare short write
            view = view[os.write(self._fd, view):]
        self.written += 1

    def discard_if_empty(self) -> None:
        """Remove the file if this run created it and wrote nothing (a run that failed before its first record)."""
        if self.created and self.regular and not self.written:
            os.unlink(os.path.realpath(self.path))  # a dangling symlink made its target: that goes, the link stays

    def close(self) -> None:
        """Sync the file to disk and close it."""
        try:
            if self.regular:
                os.fsync(self._fd)
        finally:
            os.close(self._fd)


def _lock(fd: int) -> None:
    """An exclusive, non-blocking lock on the output, so two runs never interleave their lines."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock; the user is trusted not to run two at once
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
