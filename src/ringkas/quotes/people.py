"""The people of one release, built mention by mention: short forms join full names, roles their holder."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ringkas.quotes.mentions import ParsedMention
from ringkas.quotes.tokens import NAME_PARTICLES
from ringkas.types import Mention, Person


# Spellings of one name that writers mix ("Arief" / "Arif", "Soedirman" / "Sudirman", "Afiffudin" /
# "Afifuddin"): the old Indonesian spelling and doubled letters are folded before names are compared.
_OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("ie", "i"), ("ph", "f"), ("th", "t"))
_DOUBLED = re.compile(r"(\w)\1")


def _fold(word: str) -> str:
    word = word.lower().strip(".")
    for old, new in _OLD_SPELLING:
        word = word.replace(old, new)
    return _DOUBLED.sub(r"\1", word)


def _short_form(words: frozenset[str], full: frozenset[str]) -> bool:
    """A one-word name that begins a word of a fuller name: "Afif" for "Mochammad Afifuddin"."""
    if len(words) != 1 or len(full) < 2:
        return False
    (word,) = words
    return len(word) >= 4 and any(w.startswith(word) and w != word for w in full)


def name_words(name: str) -> frozenset[str]:
    """Folded words of a name, for alias matching."""
    return frozenset(_fold(w) for w in name.split() if w.lower() not in NAME_PARTICLES)


# Words that make a role another one: "Wakil Bupati" is not the Bupati, "Pj Sekda" not the Sekda.
_QUALIFIERS = frozenset({"wakil", "wk", "pj", "pj.", "plt", "plt.", "plh", "plh.", "pjs", "pjs.", "mantan", "eks"})
_WORD = re.compile(r"[\w.]+")


def _words(text: str | None) -> frozenset[str]:
    """Case-folded words of a role or an affiliation, parentheses and commas aside."""
    return frozenset(w.lower().strip(".") for w in _WORD.findall(text or "")) - {""}


def _holds(held: str, role: str) -> bool:
    """Whether a person's role ``held`` is the role ``role`` written short, not a deputy's."""
    if role not in held:
        return False
    before = held[: held.index(role)].split()
    return not any(w in _QUALIFIERS for w in before) and not held.startswith("waka")


@dataclass
class _Draft:
    name: str
    words: frozenset[str]
    role: str | None
    affiliation: str | None
    mentions: list[Mention] = field(default_factory=list)
    role_only: bool = False


class PeopleRegistry:
    """People of one article, built mention by mention (short forms join full names)."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self._seen: set[tuple[int, int]] = set()

    def _note(self, idx: int, mention: Mention | None) -> None:
        if mention is not None and (mention.start, mention.end) not in self._seen:
            self._seen.add((mention.start, mention.end))
            self.drafts[idx].mentions.append(mention)

    def add(self, parsed: ParsedMention, mention: Mention | None) -> tuple[int, str]:
        """Link a parsed mention to a person (creating one when new); returns (index, how)."""
        if parsed.name is None:
            return self.add_role(parsed, mention)
        words = name_words(parsed.name)
        best = None
        for i in range(len(self.drafts) - 1, -1, -1):
            d = self.drafts[i]
            if d.role_only:
                continue
            if words <= d.words or d.words <= words or _short_form(words, d.words):
                best = i
                break
        if best is None:
            best = self._named_role(parsed)
            how = "named"
        if best is None:
            self.drafts.append(_Draft(parsed.name, words, parsed.role, parsed.affiliation))
            best = len(self.drafts) - 1
        else:
            d = self.drafts[best]
            how = "named" if words == d.words else "alias"
            if len(words) > len(d.words):
                d.name, d.words, how = parsed.name, words, "named"
            if d.role is None and parsed.role:
                d.role = parsed.role
            if d.affiliation is None and parsed.affiliation:
                d.affiliation = parsed.affiliation
        self._note(best, mention)
        return best, how

    def add_role(self, parsed: ParsedMention, mention: Mention | None) -> tuple[int, str]:
        """Link a role-only mention ("Bupati") to the latest person holding exactly that role, else
        to the latest whose role contains it ("Kepala" of "Kepala Dinas ..."); never a deputy or an
        acting holder ("ucap Bupati" is not the "Wakil Bupati" or "Pj Sekda" named beside)."""
        role = (parsed.role or "").lower()
        aff = _words(parsed.affiliation)
        if role:
            head = role.split()[0]
            for rule in ("exact", "contains", "head"):
                for i in range(len(self.drafts) - 1, -1, -1):
                    d = self.drafts[i]
                    held = (d.role or "").lower()
                    if rule == "exact":
                        fits = held == role
                    elif rule == "contains":
                        fits = _holds(held, role)
                    else:  # "Kasi Pidsus" for "Kepala Seksi (Kasi) Tindak Pidana Khusus"
                        # the short form may stand in parentheses after the long one: "Kepala Seksi (Kasi) ..."
                        fits = not d.role_only and head in _words(f"{d.role or ''} {d.affiliation or ''}")
                    if fits and aff <= _words(f"{d.role or ''} {d.affiliation or ''}"):
                        self._note(i, mention)
                        return i, "role"
        label = " ".join(p for p in (parsed.role, parsed.affiliation) if p)
        self.drafts.append(_Draft(label, frozenset(), parsed.role, parsed.affiliation, role_only=True))
        self._note(len(self.drafts) - 1, mention)
        return len(self.drafts) - 1, "role"

    def _named_role(self, parsed: ParsedMention) -> int | None:
        """A person introduced by role alone and named now ("Ketua Karang Taruna … menegaskan" …
        "Yohanis, Ketua Karang Taruna …"): the role-only draft takes the name."""
        if not parsed.role or parsed.name is None:
            return None
        role, aff = parsed.role.lower(), _words(parsed.affiliation)
        for i in range(len(self.drafts) - 1, -1, -1):
            d = self.drafts[i]
            if d.role_only and (d.role or "").lower() == role and _words(d.affiliation) == aff:
                d.name, d.words, d.role_only = parsed.name, name_words(parsed.name), False
                return i
        return None

    def find(self, name: str) -> int | None:
        """Index of the latest person whose name contains every word of ``name``."""
        words = name_words(name)
        for i in range(len(self.drafts) - 1, -1, -1):
            if not self.drafts[i].role_only and words and words <= self.drafts[i].words:
                return i
        return None

    def note(self, idx: int, mention: Mention | None) -> None:
        """Record one more mention of person ``idx`` (a pronoun, a clitic)."""
        self._note(idx, mention)

    def people(self) -> tuple[list[Person], list[int]]:
        """The people that have a mention, and the map from draft index to people index."""
        out: list[Person] = []
        index = [-1] * len(self.drafts)
        for i, d in enumerate(self.drafts):
            if d.mentions:
                index[i] = len(out)
                out.append(
                    Person(d.name, d.role, d.affiliation, tuple(sorted(d.mentions, key=lambda m: m.start)))
                )
        return out, index
