"""The errors a user can see, and the exit statuses of the command line."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Process exit codes: 0 all records good, 1 some carry an error, 2 usage error."""

    OK = 0
    SOME_FAILED = 1
    USAGE = 2


class RingkasError(Exception):
    """Base class of every error ringkas raises on purpose; its message is shown as is."""


class UsageError(RingkasError):
    """The command line or API call asks for something impossible (exit status 2)."""


class RunError(RingkasError):
    """A run failed midway (a worker process died); exit status 1, and what it wrote is kept."""


class InputError(RingkasError):
    """One input document cannot be processed; it becomes a record with ``error``."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class ModelError(RingkasError):
    """A model is missing, broken, or cannot be loaded; the message says how to get it."""
