"""Writing records as JSON lines: whole lines, flushed; a named file is replaced atomically.

Lines are written here, not through ``jsonlines.Writer``: importing jsonlines (attrs) costs a
one-document `ringkas summarize` 12-16 ms of its start-up, and the writer would only call
``dumps`` and add the newline.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import TextIO

from ringkas.io.jsonl import dumps


class RecordWriter:
    """Writes one record per line to a stream, or atomically to a file (temporary file, then rename)."""

    def __init__(self, path: str | None, stream: TextIO):
        self.path = path
        self._stream = stream
        self._tmp: str | None = None
        self.failed = 0  # records written with an error

    def __enter__(self) -> RecordWriter:
        if self.path and self.path != "-":
            import tempfile  # only for -o: it pulls in shutil, random, bz2, lzma (3-4 ms of start-up)

            folder = os.path.dirname(os.path.abspath(self.path))
            fd, self._tmp = tempfile.mkstemp(prefix=".ringkas-", suffix=".part", dir=folder)
            self._stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write(self, record: dict) -> None:
        """Write one record as one line and flush, so a reader never sees half a line."""
        self._stream.write(dumps(record) + "\n")
        self._stream.flush()
        self.failed += record.get("error") is not None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._tmp is None or self.path is None:
            return
        self._stream.close()
        if exc_type is None:
            os.replace(self._tmp, self.path)  # the output appears whole or not at all
        else:
            os.unlink(self._tmp)
