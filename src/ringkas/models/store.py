"""Where models live, answered with os.path alone.

A model-free run asks whether the store holds any model at all (``--summarizer auto`` uses one
when installed) before it would import the catalog: tomllib, pathlib and the catalog itself cost
about 12 ms of a 140 ms start, and most stores of model-free users hold none.
"""

from __future__ import annotations

import os

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
