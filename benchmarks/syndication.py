"""Archives with syndicated copies for benchmarks: real, distinct releases (PFSA-ID's Kompas articles,
cut to their first paragraphs) and copies of them as regional portals publish them."""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PFSA = ROOT.parent / "shared" / "data" / "pfsa-id" / "dev.txt"
OUTLETS = ("KABARJATIM.COM", "SURYA", "ANTARA", "RADARMALANG.ID", "TRIBUNNEWS.COM", "DETIKCOM")
EDITS = ("exact", "dateline", "changed", "added", "cut")


def articles(paragraphs: int = 3) -> list[str]:
    """PFSA-ID's 258 articles, each cut to its first ``paragraphs`` paragraphs."""
    import sys

    sys.path.insert(0, str(ROOT / "src"))
    from ringkas.eval.pfsa import read_pfsa

    texts = []
    for article in read_pfsa(str(PFSA)):
        parts = [article.text[s:e] for s, e in article.paragraphs]
        texts.append("\n\n".join(parts[:paragraphs]))
    return texts


def copy_of(text: str, edit: str, rng: random.Random, other: str) -> str:
    """A copy of ``text`` with one portal edit: another dateline and outlet, a paragraph changed, added or cut."""
    paragraphs = text.split("\n\n")
    if edit == "dateline":
        head, _, rest = paragraphs[0].partition("—")
        paragraphs[0] = f"{head.split(',')[0].strip().title()}, {rng.choice(OUTLETS)} - {rest.strip() or head}"
    elif edit == "changed" and len(paragraphs) > 1:
        words = paragraphs[-1].split()
        cut = max(1, len(words) // 2)
        paragraphs[-1] = " ".join(words[:cut]) + " " + other.split("\n\n")[0]
    elif edit == "added":
        paragraphs.insert(len(paragraphs) // 2 + 1, other.split("\n\n")[-1])
    elif edit == "cut" and len(paragraphs) > 2:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    return "\n\n".join(paragraphs)


def archive(distinct: int = 200, copies: int = 100, seed: int = 0, paragraphs: int = 3) -> list[dict]:
    """``distinct`` releases and ``copies`` copies of them (edits in turn), each copy after its release."""
    rng = random.Random(seed)
    base = articles(paragraphs)[:distinct]
    docs: list[dict] = [{"id": f"rilis-{i}", "text": t} for i, t in enumerate(base)]
    for k in range(copies):
        i = rng.randrange(len(base))
        text = copy_of(base[i], EDITS[k % len(EDITS)], rng, base[(i + 1) % len(base)])
        after = next(n for n, d in enumerate(docs) if d["id"] == f"rilis-{i}") + 1
        docs.insert(rng.randrange(after, len(docs) + 1), {"id": f"salinan-{k}-of-{i}", "text": text})
    return docs


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    """Documents as a JSONL archive."""
    with path.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


def sentence_mixes(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct texts of 12 sentences drawn from the PFSA-ID articles (for memory at scale)."""
    rng = random.Random(seed)
    pool = [s.strip() for t in articles(paragraphs=30) for s in t.replace("\n\n", " ").split(". ") if len(s) > 40]
    return [". ".join(rng.choice(pool) for _ in range(12)) + f". Nomor {i}." for i in range(n)]
