"""Writing records as JSON lines: whole lines, flushed; a named file is replaced atomically.

Lines are written here, not through ``jsonlines.Writer``: importing jsonlines (attrs) costs a
one-document `ringkas summarize` 12-16 ms of its start-up, and the writer would only call
``dumps`` and add the newline. Where ``-o PATH`` writes (atomically, or straight through to a
FIFO or device) is ``ringkas.io.destination``, imported only when there is one.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from ringkas.errors import UsageError
from ringkas.io.jsonl import dumps

if TYPE_CHECKING:
    from ringkas.io.destination import OutputFile, OutputTarget


class RecordWriter:
    """Writes one record per line to a stream, or to ``-o PATH`` through ``OutputFile``."""

    def __init__(self, path: str | OutputTarget | None, stream: TextIO | None):
        if isinstance(path, str) and path != "-":
            from ringkas.io.destination import output_target

            self.target: OutputTarget | None = output_target(path)
        else:
            self.target = None if isinstance(path, str) else path
        self._stream = stream
        self._file: OutputFile | None = None
        self.failed = 0  # records written with an error

    def __enter__(self) -> RecordWriter:
        if self.target is not None:
            from ringkas.io.destination import OutputFile

            self._file = OutputFile(self.target)
            self._stream = self._file.__enter__()
        elif self._stream is None:
            raise UsageError("no stream to write to")
        return self

    def write(self, record: dict) -> None:
        """Write one record as one line and flush, so a reader never sees half a line."""
        assert self._stream is not None
        self._stream.write(dumps(record) + "\n")
        self._stream.flush()
        self.failed += record.get("error") is not None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._file is not None:
            self._file.__exit__(exc_type, exc, tb)
