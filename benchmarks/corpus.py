"""Synthetic archives for benchmarks: variants of the project's samples, deterministic by seed."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def _texts() -> list[str]:
    texts = []
    for path in SAMPLES:
        data = path.read_bytes()
        try:
            texts.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(data.decode("cp1252"))
    for line in (ROOT / "samples" / "archive.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    return texts


def releases(n: int, seed: int = 0):
    """``n`` release dicts ({id, text}): samples with middle paragraphs shuffled and numbers changed."""
    rng = random.Random(seed)
    base = _texts()
    for i in range(n):
        paragraphs = base[i % len(base)].split("\n\n")
        middle = paragraphs[1:-1]
        rng.shuffle(middle)
        text = "\n\n".join([paragraphs[0], *middle, paragraphs[-1]])
        text = re.sub(r"\b\d{2,3}\b(?![/.,]\d)", lambda m: str(rng.randint(10, 999)), text)
        yield {"id": f"bench-{i}", "text": text}


def write_jsonl(path: Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` synthetic releases to ``path`` as JSONL."""
    with path.open("w", encoding="utf-8") as fh:
        for release in releases(n, seed):
            fh.write(json.dumps(release, ensure_ascii=False) + "\n")
    return path
