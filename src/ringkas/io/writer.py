"""Writing records as JSON lines: whole lines, flushed; a named file is replaced atomically."""

from __future__ import annotations

import os
import tempfile
from typing import TextIO

from ringkas.run.record import dumps


class RecordWriter:
    """Writes one record per line to a stream, or atomically to a file (temporary file, then rename)."""

    def __init__(self, path: str | None, stream: TextIO):
        self.path = path
        self._stream = stream
        self._tmp: str | None = None
        self.count = 0
        self.failed = 0

    def __enter__(self):  # -> Self (typing.Self needs Python 3.11)
        if self.path and self.path != "-":
            folder = os.path.dirname(os.path.abspath(self.path))
            fd, self._tmp = tempfile.mkstemp(prefix=".ringkas-", suffix=".part", dir=folder)
            self._stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write(self, record: dict) -> None:
        """Write one record as one line and flush, so a reader never sees half a line."""
        self._stream.write(dumps(record) + "\n")
        self._stream.flush()
        self.count += 1
        self.failed += record.get("error") is not None

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._tmp is None:
            return
        self._stream.close()
        if exc_type is None:
            os.replace(self._tmp, self.path)  # the output appears whole or not at all
        else:
            os.unlink(self._tmp)
