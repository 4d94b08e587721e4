"""The ``ringkas`` command line (Click): one module per command family, ``main`` the entry point."""

from ringkas.cli.app import main

__all__ = ["main"]
