"""Where models live, answered with os.path alone.

A run asks for the installed default translator and summarizer (``--summarizer auto`` and
translation without ``--translator`` use them when installed) through ``default_model``, which
answers an empty store before it would import the catalog: tomllib, pathlib and the catalog itself
cost about 12 ms of a 140 ms start, and most stores of model-free users hold none.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ringkas.models.catalog import ModelRef

CATALOG_FILE = "catalog.toml"


def checkout_models_dir() -> str | None:
    """models/ of the source checkout holding this package, when there is one (editable install)."""
    here = os.path.dirname(os.path.realpath(__file__))
    while True:
        candidate = os.path.join(here, "models", CATALOG_FILE)
        if os.path.isfile(candidate):
            return os.path.dirname(candidate)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def store_root() -> str:
    """Where models live: $RINGKAS_MODELS, else models/ of the checkout, else ~/.cache/ringkas/models."""
    env = os.environ.get("RINGKAS_MODELS")
    if env:
        return os.path.expanduser(env)
    return checkout_models_dir() or os.path.join(os.path.expanduser("~"), ".cache", "ringkas", "models")


def holds_models() -> bool:
    """True when some folder of the store has a config.json (what every installed model has)."""
    try:
        with os.scandir(store_root()) as entries:
            return any(e.is_dir() and os.path.isfile(os.path.join(e.path, "config.json")) for e in entries)
    except OSError:
        return False


def default_model(task: str) -> ModelRef | None:
    """The catalog's installed default for ``task`` ("translation" or "summarization"), or None;
    an empty store answers without reading the catalog."""
    if not holds_models():
        return None
    from ringkas.models import catalog

    return catalog.default_translator() if task == "translation" else catalog.default_summarizer()
