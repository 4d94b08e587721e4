"""The pipeline: Source -> Article -> quotes -> summary -> translation -> record.

Model-free stages run document by document; model stages run over a chunk of documents at once,
because batching the sentences of many releases is where the model speed is. Models are loaded
lazily, once per Pipeline, and torch/transformers are imported only when a model is used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from ringkas.text.document import build_article
from ringkas.errors import InputError, ModelError, RingkasError, UsageError
from ringkas.quotes.find import find_quotes
from ringkas.run.record import build_record, error_record
from ringkas.io.sources import DEFAULT_MAX_BYTES, source_from_text
from ringkas.summary.extractive import DEFAULT_SENTENCES, summarize_extractive
from ringkas.types import Article, ErrorInfo, Hints, QuoteResult, Source, Summary, TextGenerator, Translation

if TYPE_CHECKING:
    from ringkas.models.catalog import ModelRef
    from ringkas.models.translate import SegmentTranslator

EXTRACTIVE = "extractive"
AUTO = "auto"  # a summarization model when the store holds one, else extractive
# ringkas.run.duplicates.DEFAULT_THRESHOLD (a test checks they agree), which a one-document run never imports.
DUPLICATE_THRESHOLD = 0.5
NO_SENTENCES_WARNING = (
    "summary is empty: the text has no usable sentence (none of a reasonable length that ends in "
    "'.', '!' or '?'): no punctuation, or not running text"
)
NO_TRANSLATOR_WARNING = (
    "translation.en is empty: no translator is installed; run `ringkas models pull opus-mt-id-en` "
    "(or pass --translator DIR), or --no-translate to silence this"
)


@dataclass(frozen=True)
class Options:
    """Everything a run can be told; the CLI and the API map their arguments onto this."""

    sentences: int = DEFAULT_SENTENCES
    translate: bool = True
    translator: str | None = None  # catalog name or folder; None: the default one if installed
    summarizer: str = AUTO  # "auto", "extractive", or a catalog name / folder of a seq2seq model
    device: str = "auto"
    backend: str = "transformers"  # "transformers" | "ct2"
    beams: int | None = None  # beam count of the models; None: each model's own (its folder's settings)
    date: str | None = None  # ISO date hint: the year of dates written without one
    max_bytes: int = DEFAULT_MAX_BYTES
    chunk_docs: int = 64  # documents whose sentences go through a model together
    require_translation: bool = False  # `ringkas translate`: no translator is a usage error
    cache: bool = True  # translated segments kept across runs (ringkas.models.cache)
    cache_path: str | None = None  # None: translations.sqlite3 in the user's cache folder
    duplicate_threshold: float | None = DUPLICATE_THRESHOLD  # syndicated copies (ringkas.run.duplicates); None/0: off

    def __post_init__(self) -> None:
        if self.sentences < 1:
            raise UsageError("--sentences must be at least 1")
        if self.chunk_docs < 1:
            raise UsageError("chunk size must be at least 1")
        if not isinstance(self.max_bytes, int) or isinstance(self.max_bytes, bool) or self.max_bytes < 1:
            raise UsageError(f"max_bytes must be a whole number of at least 1, not {self.max_bytes!r}")
        if self.duplicate_threshold is not None and not 0 <= self.duplicate_threshold <= 1:
            raise UsageError(f"--duplicate-threshold must be between 0 and 1, not {self.duplicate_threshold}")
        if self.beams is not None and (not isinstance(self.beams, int) or isinstance(self.beams, bool) or self.beams < 1):
            raise UsageError(f"--beams must be a whole number of at least 1, not {self.beams!r}")
        if self.date is not None:
            import datetime as dt

            try:
                dt.date.fromisoformat(self.date)
            except ValueError:
                raise UsageError(f"--date must be YYYY-MM-DD, got {self.date!r}") from None

    @classmethod
    def from_kwargs(cls, **kwargs: object) -> Options:
        """Options from keyword arguments, rejecting unknown names with a clear message."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(kwargs) - names)
        if unknown:
            raise UsageError(f"unknown option(s): {', '.join(unknown)}; known: {', '.join(sorted(names))}")
        return cls(**kwargs)  # type: ignore[arg-type]

    def summarizer_ref(self) -> str | ModelRef | None:
        """The summarization model to use: the one named, or for ``auto`` the one installed; None:
        extractive (asked for, or ``auto`` with none installed). Cheap: no torch."""
        if self.summarizer == EXTRACTIVE:
            return None
        if self.summarizer == AUTO:
            from ringkas.models.store import default_model

            return default_model("summarization")
        return self.summarizer

    def uses_models(self) -> bool:
        """Whether a model stage will run, known without loading one (so without torch)."""
        if self.require_translation or self.summarizer_ref() is not None:
            return True  # `ringkas translate` without a translator fails as it loads one
        if not self.translate:
            return False
        if self.translator is not None:
            return True
        from ringkas.models.store import default_model  # cheap: no torch, no catalog for an empty store

        return default_model("translation") is not None


@dataclass(frozen=True)
class Analysis:
    """The model-free result for one document, waiting for the model stages."""

    source: Source
    article: Article
    quotes: QuoteResult
    summary: Summary


def analyze(source: Source, options: Options) -> Analysis | dict:
    """Run the model-free stages on one Source: an Analysis, or an error record."""
    if source.error is not None:
        return error_record(source, source.error, source.warnings)
    try:
        article = build_article(source, date_hint=options.date)
        quotes = find_quotes(
            article.text, article.sentences, article.paragraphs, lead_start=article.lead_start, captions=article.captions
        )
        summary = summarize_extractive(article, options.sentences)
        return Analysis(source, article, quotes, summary)
    except InputError as exc:
        return error_record(source, ErrorInfo(exc.kind, str(exc)), source.warnings)
    except Exception as exc:  # a bug must cost one record, never the rest of the batch
        import logging

        logging.getLogger("ringkas").debug("internal error on %s", source.origin, exc_info=True)
        return error_record(source, ErrorInfo("internal", f"{type(exc).__name__}: {exc}"), source.warnings)


class Pipeline:
    """Holds the loaded models of a run and turns Sources into records."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self._translator: TextGenerator | None = None
        self._translator_loaded = False
        self._segments: SegmentTranslator | None = None
        self._segments_ready = False
        self._translator_checked: ModelRef | None = None  # resolved and checked by segment_translator
        self._summarizer: TextGenerator | None = None

    def uses_models(self) -> bool:
        """Whether any model stage will run (decides chunking); loads the translator if one will."""
        if not self.options.uses_models():
            return False
        self.segment_translator()  # a missing or broken translator fails here, before any input is read
        return True

    def check_models(self) -> None:
        """Resolve and check the files of every model this run would load, loading none (no torch):
        a ModelError names what is missing before a batch makes its output."""
        if not self.options.uses_models():
            return
        from ringkas.models.loader import check_model

        ref = self._translator_ref()
        if ref is not None:
            check_model(ref, task="translation")
        summarizer = self.options.summarizer_ref()
        if summarizer is not None:
            check_model(summarizer, task="summarization")

    def _translator_ref(self) -> str | ModelRef | None:
        """The translator asked for, or the default one; None when translation is off or none is installed."""
        opts = self.options
        ref: str | ModelRef | None = opts.translator
        if opts.translate and ref is None:
            from ringkas.models.store import default_model  # cheap: no torch, no catalog for an empty store

            ref = default_model("translation")
            if ref is None and opts.require_translation:
                raise ModelError("no translator is installed: run `ringkas models pull opus-mt-id-en`, "
                                 "or pass --translator DIR")
        return ref if opts.translate else None

    def segment_translator(self) -> SegmentTranslator | None:
        """What translates segments: the cache, with the model behind it loaded at the first miss
        (with --no-cache, or when the cache is unusable: the model itself); None without a translator."""
        if not self._segments_ready:
            ref = self._translator_ref()
            if ref is not None and self.options.cache:
                from ringkas.models.cache import CachedSegments, open_cache, request_key
                from ringkas.models.loader import check_model

                mref = check_model(ref, task="translation")  # the folder's files, without loading it
                cache = open_cache(self.options.cache_path)
                if cache is not None:
                    self._translator_checked = mref
                    self._segments = CachedSegments(cache, request_key(mref, _load_options(self.options)),
                                                    self._loaded_translator)
            if self._segments is None and ref is not None:
                from ringkas.models.translate import ModelSegments

                self._segments = ModelSegments(self._loaded_translator())
            self._segments_ready = True  # as for translator(): a failure leaves it to be tried again
        return self._segments

    def _loaded_translator(self) -> TextGenerator:
        model = self.translator()
        assert model is not None  # only asked for when a translator is named or installed
        return model

    def translator(self) -> TextGenerator | None:
        """The translation model, loaded on first use; None when translation is off or none is installed."""
        if not self._translator_loaded:
            opts = self.options
            ref = self._translator_checked or self._translator_ref()
            if ref is not None:
                from ringkas.models.loader import load_model

                self._translator = load_model(ref, task="translation", device=opts.device, backend=opts.backend,
                                              beams=opts.beams)
            self._translator_loaded = True  # only a load that succeeded counts: a failed one is tried again
        return self._translator

    def summarizer(self) -> TextGenerator | None:
        """The abstractive summariser, loaded on first use; None for extractive summaries."""
        if self._summarizer is None:
            ref = self.options.summarizer_ref()
            if ref is None:
                return None
            from ringkas.models.loader import load_model

            self._summarizer = load_model(ref, task="summarization",
                                          device=self.options.device, backend=self.options.backend,
                                          beams=self.options.beams)
        return self._summarizer

    def run(self, documents: Iterable[Source | str | dict]) -> Iterator[dict]:
        """Records for ``documents`` (Sources, or what ``process_many`` takes: strings and dicts), in
        order, syndicated copies marked; streams, holding at most one chunk in memory."""
        sources = _sources(documents, self.options)
        yield from _mark_copies(self._records(sources), self.options.duplicate_threshold)

    def _records(self, sources: Iterable[Source]) -> Iterator[dict]:
        if not self.uses_models():
            for source in sources:
                result = analyze(source, self.options)
                yield result if isinstance(result, dict) else self._finish([result], [None])[0]
            return
        it = iter(sources)
        while chunk := list(islice(it, self.options.chunk_docs)):
            yield from self.run_chunk(chunk)

    def run_chunk(self, chunk: list[Source]) -> list[dict]:
        """Records for one chunk of Sources, the model stages batched across the chunk."""
        results = [analyze(s, self.options) for s in chunk]
        done = [r for r in results if isinstance(r, Analysis)]
        records = iter(self._model_stages(done) if done else [])
        return [r if isinstance(r, dict) else next(records) for r in results]

    def _model_stages(self, done: list[Analysis]) -> list[dict]:
        """Records of analysed documents through the model stages; when a stage raises on the chunk,
        each document goes through again alone, so that one bad document costs one error record."""
        summarizer = self.summarizer()  # a model that cannot be loaded stops the run (ModelError)
        translator = self.segment_translator()
        try:
            if summarizer is not None:
                from ringkas.summary.abstractive import summarize_articles

                summaries = summarize_articles([a.article for a in done], summarizer)
                done = [dataclasses.replace(a, summary=s) for a, s in zip(done, summaries, strict=True)]
            translations: list[Translation | None] = [None] * len(done)
            if translator is not None:
                from ringkas.models.translate import translate_articles

                translations = list(translate_articles([(a.article, a.summary, a.quotes.quotes) for a in done],
                                                       translator))
        except RingkasError:
            raise
        except Exception as exc:
            if len(done) > 1:
                return [record for a in done for record in self._model_stages([a])]
            import logging

            logging.getLogger("ringkas").debug("model stage failed on %s", done[0].source.origin, exc_info=True)
            return [error_record(done[0].source, ErrorInfo("internal", f"{type(exc).__name__}: {exc}"),
                                 done[0].source.warnings)]
        return self._finish(done, translations)

    def _finish(self, done: list[Analysis], translations: list[Translation | None]) -> list[dict]:
        out = []
        for a, tr in zip(done, translations, strict=True):
            warnings = list(a.article.warnings) + list(a.quotes.warnings)
            if tr is None and self.options.translate:
                warnings.append(NO_TRANSLATOR_WARNING)
            if not a.summary.text and a.summary.model is None:  # extractive: no sentence could be picked
                warnings.append(NO_SENTENCES_WARNING)
            out.append(build_record(a.source, a.article, a.quotes, a.summary, tr, warnings))
        return out


def _mark_copies(records: Iterator[dict], threshold: float | None) -> Iterator[dict]:
    """The records with syndicated copies marked, in order; ringkas.run.duplicates (with numpy and
    datasketch) is imported only when a second record comes."""
    first = next(records, None)
    if first is None:
        return
    yield first  # streamed: a copy of it can only come later, and the first record is never one
    second = next(records, None)
    if second is None:
        return
    if not threshold:
        yield second
        yield from records
        return
    from ringkas.run.duplicates import DuplicateMarker

    marker = DuplicateMarker(threshold)
    marker.mark(first)
    yield marker.mark(second)
    for record in records:
        yield marker.mark(record)


# Options that do not change what the translator is or how it decodes: the rest (backend, device,
# decoding options added later) are part of the cache's request key, so a new option is never missed.
_NOT_FOR_THE_MODEL = frozenset({"sentences", "translate", "summarizer", "date", "max_bytes", "chunk_docs",
                                "require_translation", "cache", "cache_path", "duplicate_threshold"})


def _load_options(options: Options) -> dict[str, object]:
    """The options a translator load depends on."""
    return {f.name: getattr(options, f.name) for f in dataclasses.fields(options) if f.name not in _NOT_FOR_THE_MODEL}


def process(text: str, *, id: str | None = None, title: str | None = None, url: str | None = None,
            source: str = "-", html: bool = False, **options: object) -> dict:
    """Process one release given as text (``html=True`` for a page) and return its record."""
    return next(process_many([{"text": text, "id": id, "title": title, "url": url, "source": source,
                               "format": "html" if html else "text"}], **options))


def process_many(documents: Iterable[str | dict], **options: object) -> Iterator[dict]:
    """Records for many releases (strings, or dicts with ``text`` and optional id/title/date/url)."""
    opts = Options.from_kwargs(**options)
    return Pipeline(opts).run(documents)


def _sources(documents: Iterable[Source | str | dict], opts: Options) -> Iterator[Source]:
    """Sources of the documents given to ``run``: Sources as they are, strings and dicts as ``process_many``
    reads them; anything else becomes an error record (``bad_input``), never an AttributeError."""
    for number, doc in enumerate(documents, start=1):
        if isinstance(doc, Source):
            yield doc
            continue
        if isinstance(doc, str):
            yield source_from_text(doc, f"<{number}>", max_bytes=opts.max_bytes)
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            yield Source(id=None, text=None, origin=f"<{number}>",
                         error=ErrorInfo("bad_input", "a document must be a string, a dict with 'text' "
                                                      f"or a ringkas Source, not {type(doc).__name__}"))
            continue
        hints = Hints(title=doc.get("title"), date=(doc.get("date") or None), url=doc.get("url"))
        doc_id = doc.get("id")
        yield source_from_text(doc["text"], str(doc.get("source") or f"<{number}>"),
                               kind="html" if doc.get("format") == "html" else "text", hints=hints,
                               doc_id=str(doc_id) if doc_id is not None else None, max_bytes=opts.max_bytes)


__all__ = ["Options", "Pipeline", "analyze", "process", "process_many"]
