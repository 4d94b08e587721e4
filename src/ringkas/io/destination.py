"""Where ``-o PATH`` writes, checked before any document is processed (``output_target``).

A regular file or a new path is replaced atomically (a temporary file beside it, then a rename)
and keeps the mode it had (a new one gets the umask's); a symlink is followed and its target
replaced, the link kept; a FIFO, a device or ``/dev/stdout`` is written straight through, never
replaced by a file. Imported only when ``-o`` is given: a run to stdout pays nothing for it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from types import TracebackType
from typing import TextIO

from ringkas.errors import UsageError

# A path that leads through here names a stream of the process (/dev/stdout -> /proc/self/fd/1),
# whatever kind of file is behind it: renaming a file onto its target is never what the user meant.
_PROC = "/proc/"
_MAX_LINKS = 40  # as the kernel's limit on symlinks followed in one lookup


@dataclass(frozen=True)
class OutputTarget:
    """Where ``-o PATH`` writes: the file to replace atomically, or a stream to write straight through."""

    path: str  # as the user gave it (for messages)
    real: str  # the file that is replaced (symlinks followed), or ``path`` for a stream
    stream: bool  # a FIFO, a device or /dev/stdout: written straight through
    mode: int | None = None  # the permission bits of the file replaced; None for a new file
    owner: tuple[int, int] | None = None  # its uid and gid


def output_target(path: str) -> OutputTarget:
    """Check ``path`` as an output before anything is processed; a UsageError says what is wrong."""
    try:
        st: os.stat_result | None = os.stat(path)  # follows symlinks, /dev/stdout included
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(f"output is a folder, not a file: {path}")
    if (st is not None and not stat.S_ISREG(st.st_mode)) or _through_proc(path):
        return OutputTarget(path, path, stream=True)
    real = os.path.realpath(path)
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        raise UsageError(f"folder of the output does not exist: {os.path.dirname(os.path.abspath(path))}")
    if st is None:
        return OutputTarget(path, real, stream=False)
    return OutputTarget(path, real, stream=False, mode=stat.S_IMODE(st.st_mode), owner=(st.st_uid, st.st_gid))


def _through_proc(path: str) -> bool:
    """Whether ``path`` or a symlink it leads through lies under /proc (/dev/stdout, /dev/fd/1)."""
    current = os.path.abspath(path)
    for _ in range(_MAX_LINKS):
        # the folders' links resolved first (/dev/fd -> /proc/self/fd), then the last name's own
        current = os.path.join(os.path.realpath(os.path.dirname(current)), os.path.basename(current))
        if current.startswith(_PROC):
            return True
        try:
            link = os.readlink(current)
        except OSError:  # not a link (or not there): the chain ends
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return False


def _new_file_mode() -> int:
    """The mode ``open()`` gives a new file: 0666 less the umask (read by setting it back at once)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


class OutputFile:
    """A text stream onto ``-o PATH``: the whole file appears at the end (atomic), or not at all.

    Entering creates the temporary file (or opens the stream), so that a folder that cannot be
    written is a UsageError before any work; leaving on an exception removes it.
    """

    def __init__(self, target: OutputTarget):
        self.target = target
        self._tmp: str | None = None
        self.stream: TextIO | None = None

    def __enter__(self) -> TextIO:
        target = self.target
        if target.stream:
            try:
                # appending, not truncating: /dev/stdout onto a file the shell opened with >> keeps it
                self.stream = open(target.real, "a", encoding="utf-8", newline="\n")  # noqa: SIM115
            except OSError as exc:
                raise UsageError(f"cannot write {target.path}: {exc.strerror or exc}") from None
            return self.stream
        import tempfile  # only for -o: it pulls in shutil, random, bz2, lzma (3-4 ms of start-up)

        name = os.path.basename(target.real)
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=os.path.dirname(target.real))
        except OSError as exc:
            raise UsageError(f"cannot write {target.path}: {exc.strerror or exc}") from None
        try:
            if hasattr(os, "fchmod"):  # POSIX (Windows keeps mkstemp's own)
                os.fchmod(fd, target.mode if target.mode is not None else _new_file_mode())
            if target.owner is not None and hasattr(os, "geteuid") and target.owner != (os.geteuid(), os.getegid()):
                # root replacing another user's file keeps it theirs (only root may give a file away)
                with contextlib.suppress(OSError):
                    os.fchown(fd, *target.owner)
            self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except BaseException:
            os.close(fd)
            os.unlink(self._tmp)
            raise
        return self.stream

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self.stream is not None
        try:
            self.stream.close()
        except BaseException:
            if self._tmp is not None:
                os.unlink(self._tmp)
            raise
        if self._tmp is None:
            return
        if exc_type is None:
            try:
                os.replace(self._tmp, self.target.real)  # the output appears whole or not at all
            except BaseException:
                os.unlink(self._tmp)
                raise
        else:
            os.unlink(self._tmp)
