"""Reader of the PFSA-ID corpus format and the scoring of direct quotes and speakers against it.

PFSA-ID (Purnomo W.P. et al., 2022/2024) is one token and one BILOU tag a line, tab-separated,
with a blank line between sentences; an article begins at the sentence holding ``CITY , KOMPAS
—``. ``STATEMENT`` marks a direct quote (its quote marks included), ``PERSON``/``PERSONCOREF``
the speaker's mention. The corpus is for evaluation only and is never copied into the project.

Rebuilding readable text (``read_pfsa``)
    * Tokens are joined by a space, except before closing punctuation (``, . : ; ? ! ) ] %``),
      after ``( [``, around ``/`` and around a hyphen between two words (``Covid - 19`` ->
      ``Covid-19``).
    * Kompas writes ``”`` both to open and to close a quote. The direction of each mark is
      decided from the text alone (never from the gold tags): a mark followed by a lower-case
      word or by punctuation closes (``,” kata``), a mark that begins a corpus sentence opens,
      and any other mark opens when no quote is open in the article so far and closes
      otherwise; ``“`` always opens.
    * The corpus's sentence splitter left a quote's opening mark as the last token of the
      sentence before the quote; such a mark is moved to the start of the next sentence.
    * Paragraphs: every corpus sentence ends a paragraph unless a quote is still open at its end
      (Kompas paragraphs are short; a quote that runs over several sentences stays in one
      paragraph, so a multi-sentence quote is never cut into pieces without marks).

Scoring (``score``)
    * Words are ``\\w+`` runs of the rebuilt text. A predicted direct quote matches a gold
      STATEMENT when the words they share are at least 60% of the words of the longer of the
      two (positions, not just equal strings). Matching is one to one, greedy by overlap.
    * Precision = matched / predicted direct quotes; recall = matched / gold statements.
      Indirect statements are not labelled in the corpus and are not scored.
    * Gold speaker of a statement: the first PERSON/PERSONCOREF mention after the statement in
      the sentence where it closes (``”…,” kata Irjen Bambang``); when there is none, or it is a
      pronoun (dia, ia, beliau, …), the last non-pronoun PERSON/PERSONCOREF mention before the
      statement starts (the person last named before the quote). Statements with no gold
      speaker at all are left out of speaker accuracy.
    * A matched quote's speaker is right when the predicted person's name shares a word
      (case-folded) with the gold mention's name words. A gold mention made only of role or
      title words (``Presiden``, ``Mendagri``) has no name words; it is then compared with the
      words of the predicted person's name, role and the mention at the quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ringkas.lexicon import load_set
from ringkas.types import QuoteResult, Span

_OPEN_ONLY = frozenset("“«„")
_AMBIGUOUS = frozenset('”"')
_NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "?", "!", ")", "]", "%", "’s", "'s", "...", "…"})
_NO_SPACE_AFTER = frozenset({"(", "["})
_WORD = re.compile(r"\w+")
_PRONOUNS = frozenset({"dia", "ia", "beliau", "mereka", "nya", "saya", "kami", "aku"})


@dataclass(frozen=True)
class GoldStatement:
    """A gold direct quote: its span in the rebuilt text (marks included) and its speaker."""

    start: int
    end: int
    speaker: str | None  # the gold mention that names the speaker (pronouns already resolved)


@dataclass(frozen=True)
class PfsaArticle:
    """One corpus article rebuilt as readable text, with its gold statements."""

    text: str
    paragraphs: tuple[Span, ...]
    statements: tuple[GoldStatement, ...]


@dataclass(frozen=True)
class Scores:
    """Direct-quote precision/recall/F1 and speaker accuracy over one corpus."""

    gold: int
    predicted: int
    matched: int
    speaker_checked: int
    speaker_right: int
    errors: tuple[str, ...] = field(default=(), repr=False)
    speaker_right_by_name: int = 0  # the stricter rule of earlier reports: the person's name alone

    @property
    def precision(self) -> float:
        """Matched predictions over all predicted direct quotes."""
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Matched gold statements over all gold statements."""
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        """Right speakers over matched quotes that have a gold speaker."""
        return self.speaker_right / self.speaker_checked if self.speaker_checked else 0.0


@dataclass
class _Token:
    text: str
    tag: str
    start: int = 0
    end: int = 0


def parse_sentences(lines: Iterable[str]) -> list[list[tuple[str, str]]]:
    """Sentences of (token, tag) pairs from PFSA-ID lines."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        token, _, tag = line.partition("\t")
        current.append((token, tag.strip() or "O"))
    if current:
        sentences.append(current)
    return sentences


def _is_article_start(sentence: Sequence[tuple[str, str]]) -> bool:
    """Whether a sentence opens an article (``CITY , KOMPAS —``)."""
    head = [t for t, _ in sentence[:12]]
    # "JAKARTA , KOMPAS —" and, once, "KOMPAS , BANYUWANGI —"
    return any(
        t == "KOMPAS" and any(h in ("—", "–", "-") for h in head[i + 1 : i + 5]) for i, t in enumerate(head)
    )


def split_articles(sentences: list[list[tuple[str, str]]]) -> list[list[list[tuple[str, str]]]]:
    """Group corpus sentences into articles."""
    articles: list[list[list[tuple[str, str]]]] = []
    for sentence in sentences:
        if not articles or _is_article_start(sentence):
            articles.append([])
        articles[-1].append(sentence)
    return articles


def _glue(prev: _Token | None, tok: _Token, prev_opens: bool, tok_closes: bool) -> str:
    """The separator between two tokens in readable text."""
    if prev is None:
        return ""
    if prev_opens or tok_closes or tok.text in _NO_SPACE_BEFORE or prev.text in _NO_SPACE_AFTER:
        return ""
    if tok.text == "/" or prev.text == "/":
        return ""
    # A hyphen joins words ("Covid - 19", "SARS - CoV - 2"), except the dateline's dash
    # ("KOMPAS - Bupati ...") and a dash before a long capitalised word.
    if tok.text == "-" and prev.text != "KOMPAS":
        return ""
    if prev.text == "-" and (not tok.text[:1].isupper() or len(tok.text) < 5):
        return ""
    return " "


def rebuild_article(sentences: list[list[tuple[str, str]]]) -> PfsaArticle:
    """Readable text, paragraphs and gold statements of one article (rules in the module doc)."""
    tokenised = [[_Token(t, tag) for t, tag in s] for s in sentences]
    # Decide each mark's direction from the text, and move a dangling opening mark forward.
    inside = False
    carry: _Token | None = None
    para_breaks: list[bool] = []  # after each sentence
    directions: dict[int, str] = {}  # id(token) -> "open" | "close"
    ordered: list[list[_Token]] = []
    for sent in tokenised:
        out: list[_Token] = []
        if carry is not None:
            out.append(carry)
            carry = None
            inside = True
        for i, tok in enumerate(sent):
            if tok.text in _AMBIGUOUS:
                # Local evidence first: a mark before a lower-case word or punctuation closes
                # (”…,” kata X), one that opens a sentence opens; otherwise the parity decides.
                nxt = sent[i + 1].text if i + 1 < len(sent) else ""
                if nxt[:1].islower() or (nxt and not nxt[:1].isalnum() and nxt not in _OPEN_ONLY):
                    inside = True
                elif i == 0:
                    inside = False
            if tok.text in _OPEN_ONLY or (tok.text in _AMBIGUOUS and not inside):
                directions[id(tok)] = "open"
                inside = True
                if i == len(sent) - 1 and i > 0:
                    carry = tok
                    inside = False  # until the carried mark opens the next sentence
                    continue
            elif tok.text in _AMBIGUOUS:
                directions[id(tok)] = "close"
                inside = False
            out.append(tok)
        ordered.append(out)
        para_breaks.append(not inside)
    if carry is not None:
        ordered.append([carry])
        para_breaks.append(True)

    pieces: list[str] = []
    pos = 0
    paragraphs: list[Span] = []
    para_start = 0
    for si, (sent, brk) in enumerate(zip(ordered, para_breaks, strict=True)):
        # A corpus sentence that starts in lower case ("ujar seorang ibu.") continues the one
        # before it: the corpus's splitter cut after “…?”.
        if brk and si + 1 < len(ordered) and ordered[si + 1] and ordered[si + 1][0].text[:1].islower():
            brk = False
        prev: _Token | None = None
        if pieces and pos != para_start:
            pieces.append(" ")
            pos += 1
        for tok in sent:
            prev_opens = prev is not None and directions.get(id(prev)) == "open"
            sep = _glue(prev, tok, prev_opens, directions.get(id(tok)) == "close")
            pieces.append(sep)
            pos += len(sep)
            tok.start = pos
            pieces.append(tok.text)
            pos += len(tok.text)
            tok.end = pos
            prev = tok
        if brk and pos > para_start:
            paragraphs.append((para_start, pos))
            pieces.append("\n\n")
            pos += 2
            para_start = pos
    if pos > para_start:
        paragraphs.append((para_start, pos))
    text = "".join(pieces).rstrip("\n")
    flat = [(tok, si) for si, sent in enumerate(ordered) for tok in sent]
    return PfsaArticle(text, tuple(paragraphs), tuple(_gold_statements(flat)))


def _spans(flat: list[tuple[_Token, int]], label: str | tuple[str, ...]) -> list[tuple[int, int]]:
    """Index ranges [i, j) of BILOU spans whose label is in ``label``."""
    labels = (label,) if isinstance(label, str) else label
    spans = []
    begin = None
    for i, (tok, _) in enumerate(flat):
        prefix, _, name = tok.tag.partition("-")
        if name not in labels:
            if begin is not None:  # a span the annotators left without its L- tag
                spans.append((begin, i))
                begin = None
            continue
        if prefix == "U":
            spans.append((i, i + 1))
            begin = None
        elif prefix == "B":
            if begin is not None:
                spans.append((begin, i))
            begin = i
        elif prefix == "L":
            spans.append((begin if begin is not None else i, i + 1))
            begin = None
        elif begin is None:
            begin = i
    if begin is not None:
        spans.append((begin, len(flat)))
    return spans


def _is_pronoun(words: str) -> bool:
    """Whether a gold mention is a pronoun (dia, ia, beliau, -nya)."""
    return words.lower().strip() in _PRONOUNS


def _gold_statements(flat: list[tuple[_Token, int]]) -> list[GoldStatement]:
    """Gold statements with their speaker mention (rules in the module doc)."""
    persons = _spans(flat, ("PERSON", "PERSONCOREF"))
    out = []
    for i, j in _spans(flat, "STATEMENT"):
        sent_of_end = flat[j - 1][1]
        speaker = None
        for a, b in persons:
            if a >= j and flat[a][1] == sent_of_end:
                words = " ".join(t.text for t, _ in flat[a:b])
                if not _is_pronoun(words):
                    speaker = words
                break
        if speaker is None:
            for a, b in reversed(persons):
                if b <= i:
                    words = " ".join(t.text for t, _ in flat[a:b])
                    if not _is_pronoun(words):
                        speaker = words
                        break
        out.append(GoldStatement(flat[i][0].start, flat[j - 1][0].end, speaker))
    return out


def read_pfsa(path: str) -> list[PfsaArticle]:
    """Articles of a PFSA-ID file, rebuilt as readable text."""
    with open(path, encoding="utf-8") as f:
        sentences = parse_sentences(f)
    return [rebuild_article(a) for a in split_articles(sentences)]


def _word_positions(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of each word of ``text``."""
    starts, ends = [], []
    for m in _WORD.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _words_in(starts: list[int], ends: list[int], start: int, end: int) -> set[int]:
    """Indices of the words lying inside [start, end)."""
    import bisect

    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_right(ends, end)
    return set(range(lo, max(lo, hi)))


def _role_words() -> frozenset[str]:
    """Lower-case words that are roles, titles or ranks rather than names."""
    words: set[str] = set()
    for name in ("quote_roles", "quote_titles"):
        for entry in load_set(name, lower=True):
            words.update(_WORD.findall(entry))
    return frozenset(words)


def speaker_matches(
    gold: str, name: str | None, role: str | None, mention: str | None, *, by_name_only: bool = False
) -> bool:
    """Whether a predicted speaker (person name, role, mention text) fits a gold mention.

    PFSA-ID's gold speaker is the mention written near the quote ("Risma"); ringkas reports the
    person ("Tri Rismaharini") and the mention it resolved. A gold name fits when it is among the
    person's name words or the mention's (``by_name_only`` keeps the earlier rule: the name alone).
    """
    role_words = _role_words()
    gold_words = {w.lower() for w in _WORD.findall(gold)}
    name_words = {w for w in gold_words if w not in role_words and len(w) > 1}
    predicted = {w.lower() for w in _WORD.findall(name or "")}
    if name_words:
        if by_name_only:
            return bool(name_words & predicted)
        return bool(name_words & (predicted | {w.lower() for w in _WORD.findall(mention or "")}))
    for extra in (role, mention):
        predicted |= {w.lower() for w in _WORD.findall(extra or "")}
    return bool(gold_words & predicted)


def score(
    articles: Sequence[PfsaArticle],
    extract: Callable[[str, Sequence[Span]], QuoteResult],
    *,
    max_errors: int = 0,
) -> Scores:
    """Score ``extract(text, paragraphs)`` on ``articles`` (rules in the module doc)."""
    gold_n = pred_n = matched_n = checked = right = right_by_name = 0
    errors: list[str] = []
    for art in articles:
        result = extract(art.text, art.paragraphs)
        preds = [q for q in result.quotes if q.kind == "direct"]
        starts, ends = _word_positions(art.text)
        gold_sets = [_words_in(starts, ends, g.start, g.end) for g in art.statements]
        pred_sets = [_words_in(starts, ends, q.start, q.end) for q in preds]
        pairs = []
        for gi, gs in enumerate(gold_sets):
            for pi, ps in enumerate(pred_sets):
                shared = len(gs & ps)
                if shared:
                    ratio = shared / max(len(gs), len(ps))
                    if ratio >= 0.6:
                        pairs.append((ratio, gi, pi))
        pairs.sort(reverse=True)
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            gold = art.statements[gi]
            if gold.speaker is None:
                continue
            checked += 1
            sp = preds[pi].speaker
            ok = sp is not None and speaker_matches(
                gold.speaker, sp.name, sp.role, sp.mention.text if sp.mention else None
            )
            right += ok
            right_by_name += sp is not None and speaker_matches(
                gold.speaker, sp.name, sp.role, sp.mention.text if sp.mention else None, by_name_only=True
            )
            if not ok and len(errors) < max_errors:
                got = (
                    f"{sp.name!r} via {sp.mention.text if sp.mention else None!r} ({sp.resolved})"
                    if sp
                    else None
                )
                errors.append(f"SPEAKER gold={gold.speaker!r} got={got}: {_context(art.text, gold)}")
        gold_n += len(gold_sets)
        pred_n += len(preds)
        matched_n += len(used_g)
        for gi, gold in enumerate(art.statements):
            if gi not in used_g and len(errors) < max_errors:
                errors.append(f"MISSED: {_context(art.text, gold)}")
        for pi, q in enumerate(preds):
            if pi not in used_p and len(errors) < max_errors:
                errors.append(
                    f"SPURIOUS: …{art.text[max(0, q.start - 60) : q.end + 60]}…".replace("\n", " ¶ ")
                )
    return Scores(gold_n, pred_n, matched_n, checked, right, tuple(errors), right_by_name)


def _context(text: str, gold: GoldStatement) -> str:
    """A gold statement with some text around it, on one line."""
    return f"…{text[max(0, gold.start - 60) : gold.end + 60]}…".replace("\n", " ¶ ")


def extract_as_product(text: str, paragraphs: Sequence[Span]) -> QuoteResult:
    """The product's path on a rebuilt article: the shared sentence splitter, then find_quotes."""
    from ringkas.quotes.find import find_quotes
    from ringkas.text.sentences import split_sentences

    return find_quotes(text, split_sentences(text, list(paragraphs)), paragraphs)


def report(path: str, *, max_errors: int = 0) -> list[str]:
    """Score the product on one PFSA-ID file and return the lines of a readable report."""
    import time

    articles = read_pfsa(path)
    t0 = time.perf_counter()
    s = score(articles, extract_as_product, max_errors=max_errors)
    elapsed = time.perf_counter() - t0
    return [
        *s.errors,
        f"articles {len(articles)}  gold statements {s.gold}  predicted {s.predicted}  matched {s.matched}",
        f"direct quotes  P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}",
        f"speaker accuracy {s.speaker_accuracy:.3f}  ({s.speaker_right}/{s.speaker_checked}; gold name in the "
        f"person's name or the resolved mention)",
        f"speaker accuracy by name alone {s.speaker_right_by_name / max(1, s.speaker_checked):.3f}  "
        f"({s.speaker_right_by_name}/{s.speaker_checked}; the rule of earlier reports)",
        f"time {elapsed:.2f} s ({elapsed / max(1, len(articles)) * 1000:.2f} ms/article incl. splitting)",
    ]
