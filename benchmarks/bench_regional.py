"""Regional-pages benchmark: direct quotes, speakers, metadata and boilerplate on real regional pages.

Usage: python benchmarks/bench_regional.py [--split dev|test|all] [--verbose] [--json]
                                           [--dev-gold PATH] [--own-gold PATH] [--cache DIR]
                                           [--ringkas CMD]

Scores two hand-labelled sets of Indonesian regional news pages and government releases:

- ``dev``: the shared regional-dev set (``../shared/data/regional-dev/gold.json``); texts in
  ``<cache>/dev/<slug>.txt``;
- ``own``: this repository's set (``benchmarks/regional/gold.json``), split into ``own-dev`` and
  the held-out ``own-test`` (field ``split`` of each case); texts in ``<cache>/own/<slug>.txt``.

The page texts are third-party and are not in the repository: rebuild them into the cache
(default ``~/.cache/ringkas-bench/regional``, or ``$RINGKAS_BENCH_CACHE``) as
``benchmarks/regional/README.md`` says.

Each set is fed to ``ringkas summarize - --no-translate`` once, as JSONL on stdin (``id`` = slug),
and scored by the rules of the regional-dev README ("Scoring"):

- text is normalised before comparing: whitespace collapsed, lowercased, ``’`` mapped to ``'``;
- quote: a gold prefix matches a predicted direct quote when the prefix begins the predicted
  quote text, within its first len(prefix)+12 characters (the prefix is found at offset 0..12);
  each predicted quote matches at most once; an unmatched gold prefix is a false negative; an
  unmatched predicted direct quote that contains no ``optional`` string is a false positive;
- speaker (over matched quotes): right when every word of the gold speaker is among the words of
  the predicted speaker's ``name``, its ``mention`` and the texts of its person's ``mentions``;
- metadata: ``dateline`` and ``date`` must equal the prediction; the gold ``byline`` must be
  contained in the predicted byline; counted over the pages whose gold has the field. A value
  predicted where the gold has none is a "false alarm" (shown for information);
- boilerplate: a gold boilerplate string is "left" when it is still in the cleaned ``text``, or
  when the text is missing.

A record whose ``error`` is set (or a case with no record) counts as all misses. For information
the table also counts summaries whose first sentence contains a boilerplate string or starts with
the page's title (the record's ``title``, or else the text's first line when it reads as a
headline: under 160 characters, not ending in sentence punctuation).

Standalone: standard library only; ringkas is run as a subprocess (``--ringkas``, default
``<this python> -m ringkas``). Exits 0 when it ran; 2 when it could not (no cache, no gold,
ringkas failed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DEV_GOLD = ROOT.parent / "shared/data/regional-dev/gold.json"
DEFAULT_OWN_GOLD = ROOT / "benchmarks/regional/gold.json"
DEFAULT_CACHE = Path(os.environ.get("RINGKAS_BENCH_CACHE") or Path.home() / ".cache/ringkas-bench/regional")
SLACK = 12  # a prefix may start this many characters into the predicted quote

REBUILD_HINT = """\
To rebuild the cache: for each query in the gold file's `queries`, search the stored public
pages corpus (the `search` tool, corpus "pages") and save the excerpt whose url equals each case's
`url`, exactly as returned (the decoded JSON string, no trimming), to
  {cache}/dev/<slug>.txt   (cases of {dev_gold})
  {cache}/own/<slug>.txt   (cases of {own_gold})
See benchmarks/regional/README.md. Set RINGKAS_BENCH_CACHE or --cache to use another folder."""


class BenchError(Exception):
    """A reason the benchmark cannot run, printed without a traceback."""


def norm(s: str | None) -> str:
    """Whitespace collapsed, lowercased, ’ mapped to '."""
    return re.sub(r"\s+", " ", (s or "").replace("\u2019", "'")).strip().lower()


def words(s: str | None) -> list[str]:
    """Normalised word tokens."""
    return re.findall(r"\w+", norm(s))


@dataclass
class Case:
    slug: str
    gold: dict
    text: str | None  # None: not in the cache


@dataclass
class Score:
    """Counts of one set."""

    name: str
    cases: int = 0
    missing: list[str] = field(default_factory=list)
    errors: int = 0
    tp: int = 0
    fn: int = 0
    fp: int = 0
    spk_right: int = 0
    spk_n: int = 0
    meta: dict = field(
        default_factory=lambda: {k: [0, 0, 0] for k in ("dateline", "byline", "date")}
    )  # right, of, alarms
    boiler_left: int = 0
    boiler_n: int = 0
    sum_boiler: int = 0
    sum_title: int = 0
    sum_n: int = 0
    negatives: int = 0
    negatives_clean: int = 0
    details: list[tuple[str, list[str]]] = field(default_factory=list)

    def figures(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "set": self.name,
            "cases": self.cases,
            "missing_from_cache": len(self.missing),
            "errors": self.errors,
            "direct": {
                "tp": self.tp,
                "fp": self.fp,
                "fn": self.fn,
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f1, 4),
            },
            "speaker": {
                "right": self.spk_right,
                "matched": self.spk_n,
                "accuracy": round(self.spk_right / self.spk_n, 4) if self.spk_n else None,
            },
            "metadata": {k: {"right": v[0], "of": v[1], "false_alarms": v[2]} for k, v in self.meta.items()},
            "boilerplate": {"left": self.boiler_left, "of": self.boiler_n},
            "negatives": {"clean": self.negatives_clean, "of": self.negatives},
            "summary_first_sentence": {
                "with_boilerplate": self.sum_boiler,
                "starts_with_title": self.sum_title,
                "of": self.sum_n,
            },
        }


# ---------------------------------------------------------------------------------------------
# loading


def load_gold(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            gold = json.load(fh)
    except FileNotFoundError:
        raise BenchError(f"gold file not found: {path}") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise BenchError(f"cannot read gold file {path}: {exc}") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("cases"), list):
        raise BenchError(f"gold file {path} has no 'cases' list")
    return gold


def load_cases(gold: dict, folder: Path, split: str | None = None) -> list[Case]:
    out = []
    for g in gold["cases"]:
        if split is not None and g.get("split", "dev") != split:
            continue
        path = folder / f"{g['slug']}.txt"
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        out.append(Case(g["slug"], g, text))
    return out


# ---------------------------------------------------------------------------------------------
# running ringkas


def run_ringkas(cmd: list[str], cases: list[Case]) -> dict[str, dict]:
    """Records by id for the cases that have a text, from one ``summarize -`` run."""
    present = [c for c in cases if c.text is not None]
    if not present:
        return {}
    stdin = "".join(json.dumps({"id": c.slug, "text": c.text}, ensure_ascii=False) + "\n" for c in present)
    argv = [*cmd, "summarize", "-", "--no-translate"]
    try:
        proc = subprocess.run(argv, input=stdin.encode("utf-8"), capture_output=True, timeout=1800, cwd=ROOT)
    except FileNotFoundError:
        raise BenchError(f"cannot run ringkas: {argv[0]} not found (use --ringkas CMD)") from None
    except subprocess.TimeoutExpired:
        raise BenchError(f"ringkas did not finish within 30 minutes: {' '.join(argv)}") from None
    out = proc.stdout.decode("utf-8", "replace")
    records: dict[str, dict] = {}
    dec = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(out) and out[pos].isspace():
            pos += 1
        if pos >= len(out):
            break
        try:
            obj, pos = dec.raw_decode(out, pos)
        except json.JSONDecodeError:
            nl = out.find("\n", pos)
            if nl < 0:
                break
            pos = nl + 1
            continue
        if isinstance(obj, dict) and obj.get("id") is not None:
            records[str(obj["id"])] = obj
    if not records:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
        raise BenchError(
            f"ringkas produced no records (exit {proc.returncode}): {' '.join(argv)}\n  " + "\n  ".join(tail)
        )
    return records


# ---------------------------------------------------------------------------------------------
# scoring


def speaker_words(rec: dict, speaker: dict | None) -> set[str]:
    if not speaker:
        return set()
    ws = set(words(speaker.get("name"))) | set(words(speaker.get("mention")))
    idx = speaker.get("person")
    people = rec.get("people") or []
    if isinstance(idx, int) and 0 <= idx < len(people):
        person = people[idx] or {}
        ws |= set(words(person.get("name")))
        for m in person.get("mentions") or []:
            ws |= set(words(m.get("text") if isinstance(m, dict) else None))
    return ws


def speaker_label(speaker: dict | None) -> str:
    if not speaker:
        return "(none)"
    name, mention = speaker.get("name"), speaker.get("mention")
    return f"{name or '-'} / mention {mention!r}" if mention and mention != name else f"{name or '-'}"


def headline(rec: dict, raw: str | None) -> str | None:
    if rec.get("title"):
        return rec["title"]
    for line in (raw or "").splitlines():
        line = line.strip()
        if line:
            return line if len(line) < 160 and line[-1] not in '.!?:;,”"-–—' else None
    return None


def score_case(sc: Score, case: Case, rec: dict | None) -> None:
    g = case.gold
    notes: list[str] = []
    failed = rec is None or bool(rec.get("error"))
    if failed:
        sc.errors += 1
        why = (
            "no record" if rec is None else f"error {rec['error'].get('type')}: {rec['error'].get('message')}"
        )
        notes.append(f"ERROR    {why}")
        rec = {}
    text = rec.get("text") if not failed else None

    # direct quotes
    preds = [q for q in rec.get("quotes") or [] if q.get("kind") == "direct"]
    pnorm = [norm(q.get("text")) for q in preds]
    used = [False] * len(preds)
    for prefix, gspk in g.get("direct", []):
        pn = norm(prefix)
        best, best_at = None, None
        for i, t in enumerate(pnorm):
            if used[i]:
                continue
            at = t.find(pn)
            if 0 <= at <= SLACK and (best_at is None or at < best_at):
                best, best_at = i, at
        if best is None:
            sc.fn += 1
            notes.append(f"MISS     “{prefix}” ({gspk})")
            continue
        used[best] = True
        sc.tp += 1
        sc.spk_n += 1
        spk = preds[best].get("speaker")
        have = speaker_words(rec, spk)
        if all(w in have for w in words(gspk)):
            sc.spk_right += 1
        else:
            notes.append(f"SPEAKER  “{prefix}”: gold {gspk!r}, got {speaker_label(spk)}")
    optional = [norm(o) for o in g.get("optional", [])]
    for i, q in enumerate(preds):
        if used[i] or any(o and o in pnorm[i] for o in optional):
            continue
        sc.fp += 1
        t = re.sub(r"\s+", " ", q.get("text") or "")
        notes.append(f"FALSEPOS “{t[:70]}{'…' if len(t) > 70 else ''}” ({speaker_label(q.get('speaker'))})")
    if not g.get("direct"):
        sc.negatives += 1
        if not any(not used[i] and not any(o and o in pnorm[i] for o in optional) for i in range(len(preds))):
            sc.negatives_clean += 1

    # metadata
    for key in ("dateline", "byline", "date"):
        want, got = g.get(key), rec.get(key)
        m = sc.meta[key]
        if want:
            m[1] += 1
            ok = (norm(want) in norm(got)) if key == "byline" and got else (norm(want) == norm(got))
            if ok:
                m[0] += 1
            else:
                notes.append(f"META     {key}: gold {want!r}, got {got!r}")
        elif got:
            m[2] += 1
            notes.append(f"ALARM    {key}: got {got!r}, gold has none")

    # boilerplate
    tn = norm(text) if text is not None else None
    for b in g.get("boilerplate", []):
        sc.boiler_n += 1
        if tn is None or norm(b) in tn:
            sc.boiler_left += 1
            notes.append(f"BOILER   left: {b!r}")

    # summary's first sentence (information only)
    sents = (rec.get("summary") or {}).get("sentences") or []
    if text and sents:
        sc.sum_n += 1
        a, b = sents[0][0], sents[0][1]
        first = norm(text[a:b])
        if any(norm(x) and norm(x) in first for x in g.get("boilerplate", [])):
            sc.sum_boiler += 1
            notes.append(f"SUMMARY  first sentence has boilerplate: {text[a:b][:80]!r}")
        head = norm(headline(rec, case.text))
        if head and first.startswith(head):
            sc.sum_title += 1
            notes.append(f"SUMMARY  first sentence starts with the title: {head[:80]!r}")
    if notes:
        sc.details.append((case.slug, notes))


def score_set(name: str, cases: list[Case], records: dict[str, dict]) -> Score:
    sc = Score(name)
    for c in cases:
        if c.text is None:
            sc.missing.append(c.slug)
            continue
        sc.cases += 1
        score_case(sc, c, records.get(c.slug))
    return sc


# ---------------------------------------------------------------------------------------------
# output


def table(scores: list[Score]) -> str:
    figs = [s.figures() for s in scores]
    rows: list[tuple[str, list[str]]] = []

    def ratio(a: int, b: int) -> str:
        return f"{a}/{b}"

    rows.append(("cases scored", [str(f["cases"]) for f in figs]))
    rows.append(("missing from cache", [str(f["missing_from_cache"]) for f in figs]))
    rows.append(("records with error", [str(f["errors"]) for f in figs]))
    rows.append(("direct P", [f"{f['direct']['precision']:.3f}" for f in figs]))
    rows.append(("direct R", [f"{f['direct']['recall']:.3f}" for f in figs]))
    rows.append(("direct F1", [f"{f['direct']['f1']:.3f}" for f in figs]))
    rows.append(
        ("  tp / fp / fn", [f"{f['direct']['tp']}/{f['direct']['fp']}/{f['direct']['fn']}" for f in figs])
    )
    rows.append(
        (
            "speaker accuracy",
            [
                (f"{f['speaker']['accuracy']:.3f} " if f["speaker"]["accuracy"] is not None else "- ")
                + f"({ratio(f['speaker']['right'], f['speaker']['matched'])})"
                for f in figs
            ],
        )
    )
    for key in ("dateline", "byline", "date"):
        rows.append(
            (f"{key} right", [ratio(f["metadata"][key]["right"], f["metadata"][key]["of"]) for f in figs])
        )
    rows.append(
        (
            "meta false alarms d/b/date",
            [
                "/".join(str(f["metadata"][k]["false_alarms"]) for k in ("dateline", "byline", "date"))
                for f in figs
            ],
        )
    )
    rows.append(("boilerplate left", [ratio(f["boilerplate"]["left"], f["boilerplate"]["of"]) for f in figs]))
    rows.append(("negatives clean", [ratio(f["negatives"]["clean"], f["negatives"]["of"]) for f in figs]))
    rows.append(
        (
            "summary s1 has boilerplate",
            [
                ratio(f["summary_first_sentence"]["with_boilerplate"], f["summary_first_sentence"]["of"])
                for f in figs
            ],
        )
    )
    rows.append(
        (
            "summary s1 starts w/ title",
            [
                ratio(f["summary_first_sentence"]["starts_with_title"], f["summary_first_sentence"]["of"])
                for f in figs
            ],
        )
    )
    w0 = max(len(r[0]) for r in rows)
    ws = [max(len(s.name), *(len(r[1][i]) for r in rows)) for i, s in enumerate(scores)]
    lines = [" " * w0 + "  " + "  ".join(s.name.rjust(ws[i]) for i, s in enumerate(scores))]
    for label, cells in rows:
        lines.append(label.ljust(w0) + "  " + "  ".join(c.rjust(ws[i]) for i, c in enumerate(cells)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--dev-gold", type=Path, default=DEFAULT_DEV_GOLD, help=f"shared dev gold ({DEFAULT_DEV_GOLD})"
    )
    ap.add_argument("--own-gold", type=Path, default=DEFAULT_OWN_GOLD, help="this repository's gold")
    ap.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"text cache with dev/ and own/ ({DEFAULT_CACHE}; env RINGKAS_BENCH_CACHE)",
    )
    ap.add_argument(
        "--split",
        choices=("dev", "test", "all"),
        default="all",
        help="which cases of the own set to score (all: own-dev and own-test, reported apart)",
    )
    ap.add_argument(
        "--verbose", "-v", action="store_true", help="list every miss, false positive and mismatch"
    )
    ap.add_argument(
        "--ringkas", default=None, help="command that runs ringkas (default: this python -m ringkas)"
    )
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    cmd = shlex.split(args.ringkas) if args.ringkas else [sys.executable, "-m", "ringkas"]
    cache = args.cache.expanduser()
    hint = REBUILD_HINT.format(cache=cache, dev_gold=args.dev_gold, own_gold=args.own_gold)

    try:
        groups: list[tuple[str, list[tuple[str, list[Case]]]]] = []  # one ringkas run per group
        dev_gold = load_gold(args.dev_gold) if args.dev_gold.is_file() else None
        own_gold = load_gold(args.own_gold) if args.own_gold.is_file() else None
        if dev_gold is None and own_gold is None:
            raise BenchError(f"no gold found: {args.dev_gold}, {args.own_gold}")
        if dev_gold is not None:
            groups.append(("dev", [("dev", load_cases(dev_gold, cache / "dev"))]))
        else:
            print(f"note: dev gold not found ({args.dev_gold}); skipping the dev set", file=sys.stderr)
        if own_gold is not None:
            splits = ("dev", "test") if args.split == "all" else (args.split,)
            groups.append(("own", [(f"own-{s}", load_cases(own_gold, cache / "own", s)) for s in splits]))
        total = sum(1 for _, parts in groups for _, cs in parts for c in cs if c.text is not None)
        if total == 0:
            raise BenchError(f"the text cache is missing or empty: {cache}\n\n{hint}")

        scores: list[Score] = []
        for _, parts in groups:
            allcases = [c for _, cs in parts for c in cs]
            records = run_ringkas(cmd, allcases)
            for name, cs in parts:
                scores.append(score_set(name, cs, records))
    except BenchError as exc:
        print(f"bench_regional: {exc}", file=sys.stderr)
        return 2

    detail_out = sys.stderr if args.json else sys.stdout
    if args.verbose:
        for s in scores:
            print(f"== {s.name} ==", file=detail_out)
            for slug, notes in s.details:
                print(f"[{slug}]", file=detail_out)
                for n in notes:
                    print(f"  {n}", file=detail_out)
            print(file=detail_out)
    for s in scores:
        if s.missing:
            print(
                f"note: {s.name}: {len(s.missing)} case(s) not in the cache: {', '.join(s.missing)}",
                file=sys.stderr,
            )
    if any(s.missing for s in scores):
        print(hint, file=sys.stderr)
    if args.json:
        print(json.dumps([s.figures() for s in scores], indent=2))
    else:
        print(table(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
