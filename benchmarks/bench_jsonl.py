"""JSON Lines costs per document: the record serialiser and the JSONL reader, against plain json.

1. Serialising records: ``ringkas.io.jsonl.dumps`` (orjson) against the
   ``json.dumps(record, ensure_ascii=False, separators=(",", ":"))`` it reproduces, on the records of
   N synthetic releases (checked identical first).
2. Reading a JSONL archive of N releases into Sources: ``read_jsonl`` (jsonlines.Reader, decoding
   and checks per line) against a bare ``json.loads`` per line.
3. Importing jsonlines (attrs) in a fresh process, after what a summarize run imports anyway: the
   reason the record writer does not use ``jsonlines.Writer``.

Best of R rounds each (the machine is shared; the best round is the least disturbed).

Run: .venv/bin/python benchmarks/bench_jsonl.py [--docs 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import releases

IMPORT_COST = """
import time
import ringkas.io.sources, ringkas.io.writer, ringkas.run.pipeline  # what summarize imports anyway
t = time.perf_counter()
import jsonlines
print((time.perf_counter() - t) * 1000)
"""


def best(fn, rounds: int) -> float:
    """The fastest of ``rounds`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    import ringkas
    from ringkas.io.jsonl import dumps
    from ringkas.io.sources import read_jsonl

    docs = list(releases(args.docs))
    records = list(ringkas.process_many(docs, translate=False))

    def plain(record: dict) -> str:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))

    assert [dumps(r) for r in records] == [plain(r) for r in records]
    per = 1e6 / len(records)
    ours = best(lambda: [dumps(r) for r in records], args.rounds) * per
    theirs = best(lambda: [plain(r) for r in records], args.rounds) * per
    size = sum(len(dumps(r)) for r in records) / len(records)
    print(f"serialise a record ({size:,.0f} characters)   dumps {ours:6.1f} us   json.dumps {theirs:6.1f} us "
          f"({theirs / ours:.1f}x)")

    archive = b"".join(json.dumps(d, ensure_ascii=False).encode("utf-8") + b"\n" for d in docs)
    ours = best(lambda: list(read_jsonl(io.BytesIO(archive), "a.jsonl")), args.rounds) * 1e6 / len(docs)
    theirs = best(lambda: [json.loads(line) for line in io.BytesIO(archive)], args.rounds) * 1e6 / len(docs)
    print(f"read a JSONL line into a Source          read_jsonl {ours:6.1f} us   json.loads alone {theirs:6.1f} us")

    costs = sorted(float(subprocess.run([sys.executable, "-c", IMPORT_COST], check=True, capture_output=True,
                                        text=True).stdout) for _ in range(args.rounds))
    print(f"import jsonlines after summarize's own imports: {costs[len(costs) // 2]:.1f} ms "
          f"(median of {args.rounds} processes)")


if __name__ == "__main__":
    main()
