"""ringkas: Indonesian press releases to structured, bilingual JSON records.

The library API::

    import ringkas
    record = ringkas.process(text)                     # one release -> one record dict
    for record in ringkas.process_many(docs): ...      # many (str or {"text", "id", ...}), streamed

Keyword options are the fields of ``ringkas.Options`` (sentences, translate, translator, ...).
Importing ringkas is cheap: the pipeline, and torch only for a model, load on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Options", "Pipeline", "__version__", "process", "process_many"]


def __getattr__(name: str):
    # Lazy, so that `ringkas --version` and `import ringkas.types` stay instant.
    if name in ("Options", "Pipeline", "process", "process_many"):
        from ringkas.run import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'ringkas' has no attribute {name!r}")
