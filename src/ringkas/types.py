"""Frozen dataclasses that flow between the pipeline stages.

Every span is a ``(start, end)`` pair of character offsets into ``Article.text``, so
``article.text[start:end]`` is exactly the span. Stages never mutate these objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

Span = tuple[int, int]


class TextGenerator(Protocol):
    """A model as the model stages see it (translation, abstractive summary): one output per input
    text, batched; ringkas.models.seq2seq.Seq2SeqModel is one, the tests' fakes are others."""

    @property
    def id(self) -> str:
        """``NAME@REVISION`` of the model, as records name it."""
        ...

    def generate(self, texts: Sequence[str]) -> list[str]:
        """One output per text, in input order."""
        ...

    def fits(self, text: str) -> bool:
        """True when the text fits the model's input as one piece."""
        ...


@dataclass(frozen=True)
class Hints:
    """Metadata the input already carries (JSONL fields, HTML metadata, ``--date``)."""

    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD; gives the year to dates written without one
    url: str | None = None


@dataclass(frozen=True)
class ErrorInfo:
    """Why a document could not be processed; becomes the record's ``error``."""

    type: str  # short machine-readable kind: "empty", "binary", "too_large", "unreadable", ...
    message: str


@dataclass(frozen=True)
class Source:
    """One input document after decoding, before any language processing."""

    id: str | None  # the id the input gave, else None (the record derives a stable one)
    text: str | None  # decoded text (HTML already reduced to its main text); None with ``error``
    origin: str  # path, "path:line" for JSONL, or "-" for stdin
    kind: str = "text"  # "text" | "html" | "jsonl"
    hints: Hints = field(default_factory=Hints)
    warnings: tuple[str, ...] = ()
    error: ErrorInfo | None = None


@dataclass(frozen=True)
class Article:
    """A cleaned release: text with paragraph and sentence spans, and its metadata."""

    text: str
    paragraphs: tuple[Span, ...]
    sentences: tuple[Span, ...]
    title: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    date: str | None = None
    date_text: str | None = None
    byline: str | None = None
    lang: str | None = None
    captions: tuple[str, ...] = ()  # photo captions taken out of the text
    lead_start: int = 0  # where the release's own words begin, after the dateline
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """One place where a person is referred to: a name, a role, a pronoun or a clitic."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Speaker:
    """Who said a quote, as resolved to a person of ``people``."""

    name: str | None
    role: str | None
    affiliation: str | None
    mention: Mention | None  # how the speaker is referred to at this quote
    resolved: str  # "named" | "alias" | "pronoun" | "role" | "unresolved"
    person: int | None = None  # index into the people list


@dataclass(frozen=True)
class Quote:
    """A direct quote or an indirect statement, with its speaker."""

    kind: str  # "direct" | "indirect"
    start: int
    end: int
    text: str  # == article.text[start:end]
    cue: str | None  # the speech verb ("ujar", "mengatakan", "menurut", ...)
    speaker: Speaker | None


@dataclass(frozen=True)
class Person:
    """A person of the release, once, with every mention."""

    name: str
    role: str | None
    affiliation: str | None
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class QuoteResult:
    """What the quote stage returns for one article."""

    quotes: tuple[Quote, ...] = ()
    people: tuple[Person, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """An Indonesian summary: a set of sentence spans (extractive) or model text."""

    method: str  # "extractive-bm25-lead" or "model:NAME@REVISION"
    text: str
    sentences: tuple[Span, ...] = ()  # empty for an abstractive summary
    model: str | None = None


@dataclass(frozen=True)
class Translation:
    """English for one article: per paragraph, the summary, and each quote (aligned by index)."""

    paragraphs: tuple[str, ...]
    summary: str | None
    quotes: tuple[str | None, ...]
    model: str  # "NAME@REVISION"

    @property
    def en(self) -> str:
        """The whole English text, paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)
